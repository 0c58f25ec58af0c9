// Show Request Plan: a read-only virtual document (scheme `prompt-cache-plan`) per prompt file with
// the exact request body its plan would send, each breakpoint with the planner's reason, the tier
// and the line of the file it comes from, and the predicted cold and warm cost. It follows the
// registry, so an edit of the prompt updates an open plan document.
import * as vscode from 'vscode';
import type { PlanViewResult } from '../../core/session/engineProtocol';
import type { ModelCatalog } from '../modelCatalog';
import type { PromptRegistry, RegisteredPrompt } from './registry';
import { summarize, tierTokens, usd } from './summary';

export const PLAN_SCHEME = 'prompt-cache-plan';

const n = (x: number) => x.toLocaleString('en-US');

/** The plan document of a prompt file; its query holds the prompt's URI. */
export function planDocumentUri(prompt: vscode.Uri): vscode.Uri {
  const name = prompt.path.split('/').pop() ?? 'prompt';
  return vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/${name}.request-plan.md`, query: prompt.toString() });
}

/** The prompt file a plan document (or a prompt URI) stands for. */
export function promptUriOf(uri: vscode.Uri): vscode.Uri {
  return uri.scheme === PLAN_SCHEME ? vscode.Uri.parse(uri.query) : uri;
}

const TIER_WORDS: Record<string, string> = {
  tools: 'tools (the tool definitions)',
  system: 'tools + system instructions (the prompt body)',
  context: 'context documents',
  conversation: 'the conversation (the user turn)',
  anchor: 'a look-back anchor inside a long tool loop',
};

/** Where each tier comes from in the prompt file: the front-matter key, or the line the body starts on. */
function tierLines(text: string): Record<string, number> {
  const lines = text.split('\n');
  const out: Record<string, number> = {};
  if (!lines[0]?.startsWith('---')) return { system: 1 };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('---')) {
      out.system = i + 2;
      break;
    }
    const key = /^(tools|context)\s*:/.exec(line)?.[1];
    if (key) out[key] = i + 1;
  }
  return out;
}

export function renderPlan(prompt: RegisteredPrompt, plan: PlanViewResult | undefined, text: string, summary: string): string {
  const out = [`# Request plan: ${plan?.promptId ?? prompt.relativePath}`, '', `File: ${prompt.relativePath}  `, `Summary: ${summary}`, ''];
  if (!plan) return [...out, prompt.readError ?? 'Not planned yet.', ''].join('\n');
  out.push(`Model: ${plan.model}  `);
  if (plan.coldUsd !== undefined) out.push(`Predicted cost of the first send (cache written): ≈${usd(plan.coldUsd)}  `);
  if (plan.warmUsd !== undefined) out.push(`Predicted cost of a repeat within the TTL (cache read): ≈${usd(plan.warmUsd)}  `);
  out.push('(Input side only, one placeholder user turn; output tokens are extra. Token counts are local estimates.)', '');
  if (plan.error) out.push(`**${plan.error}**`, '');
  const lines = tierLines(text);
  const sizes = new Map(tierTokens(plan).map((t) => [t.tier, t.tokens]));
  out.push('## Cache breakpoints', '');
  if (!plan.breakpoints.length) out.push('None: no request could be planned.');
  plan.breakpoints.forEach((b, i) => {
    const where = lines[b.tier] ? `, from line ${lines[b.tier]} of the file` : '';
    const own = sizes.get(b.tier);
    out.push(`${i + 1}. **${b.placed ? 'Placed' : 'Not placed'}** after ${TIER_WORDS[b.tier] ?? b.tier}${where}: ${b.ttl} TTL, ≈${n(b.prefixTokens)} tokens up to here${own !== undefined ? ` (≈${n(own)} in this tier)` : ''}.  `);
    out.push(`   Why: ${b.reason}`);
  });
  out.push('');
  if (plan.diagnostics.length) {
    out.push('## Problems', '');
    for (const d of plan.diagnostics) out.push(`- ${d.severity} on line ${d.line}${d.column ? `:${d.column}` : ''}: ${d.message}`);
    out.push('');
  }
  for (const note of plan.notes ?? []) out.push(`> ${note}`, '');
  out.push('## The exact request body (POST /v1/messages)', '');
  out.push(plan.request ? ['```json', JSON.stringify(plan.request, null, 2), '```'].join('\n') : 'No request: fix the problems above.', '');
  out.push('## Compared with the previous request', '', 'Skipped: the conversation\'s previous request body is not kept on the host (the ledger stores numbers and hashes only). The panel\'s miss explanation names the block that changed after each send.', '');
  out.push('Use "Prompt Cache: Copy Request as curl" or "Copy Request as SDK Code" (editor title) to run it yourself with $ANTHROPIC_API_KEY.', '');
  return out.join('\n');
}

export class PlanDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly registry: PromptRegistry,
    private readonly models: ModelCatalog,
  ) {
    this.subscription = registry.onDidChange(({ changed }) => {
      for (const u of changed) {
        const doc = planDocumentUri(u);
        if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === doc.toString())) this.emitter.fire(doc);
      }
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const promptUri = promptUriOf(uri);
    const prompt = this.registry.get(promptUri);
    if (!prompt) return `# Not a registered prompt file\n\n${promptUri.fsPath} does not match promptCacheLab.promptGlobs (or it was deleted).\n`;
    // The latest plan, but never held up for long by other prompts being planned.
    await Promise.race([this.registry.whenIdle(), new Promise((r) => setTimeout(r, 3000))]);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === promptUri.toString())?.getText();
    const text = open ?? new TextDecoder().decode(await vscode.workspace.fs.readFile(promptUri).then(undefined, () => new Uint8Array()));
    const plan = prompt.plan;
    return renderPlan(prompt, plan, text, summarize(plan, plan ? this.models.tryResolve(plan.model) : undefined, prompt.readError).text);
  }

  async show(prompt: vscode.Uri): Promise<vscode.TextDocument> {
    const uri = planDocumentUri(prompt);
    this.emitter.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    return doc;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
