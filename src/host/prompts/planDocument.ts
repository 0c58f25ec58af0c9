// Show Request Plan: a read-only virtual document (scheme `prompt-cache-plan`) per prompt file with
// the exact request body its plan would send, each breakpoint with the planner's reason, the tier
// and the line of the file it comes from, and the predicted cold and warm cost. It follows the
// registry, so an edit of the prompt updates an open plan document.
import * as vscode from 'vscode';
import type { RequestRecord } from '../../core/ledger/record';
import { describeRequestDiff, type PreviousRequest } from '../../core/registry/requestDiff';
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

/** The latest answered request of the prompt (by id, else by path): the previous request of its conversation. */
export function previousRequestOf(records: readonly RequestRecord[], promptId: string | undefined, relativePath: string): PreviousRequest | undefined {
  let best: RequestRecord | undefined;
  for (const r of records) {
    if (r.outcome !== 'ok' || !r.shape.blocks.length) continue;
    if (promptId ? r.prompt.id !== promptId : r.prompt.path !== relativePath) continue;
    if (!best || r.atMs >= best.atMs) best = r;
  }
  return best && { atMs: best.atMs, model: best.model, turn: best.turn, shape: best.shape, version: best.prompt.version };
}

export function renderPlan(prompt: RegisteredPrompt, plan: PlanViewResult | undefined, text: string, summary: string, previous?: PreviousRequest, nowMs = Date.now()): string {
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
  out.push('## Compared with the previous request', '');
  if (plan.request) out.push(...describeRequestDiff(plan.request, previous, { body: lines.system, tools: lines.tools, context: lines.context }, nowMs), '');
  else out.push('No request to compare: fix the problems above.', '');
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
    /** The ledger's recent records: the previous request of each prompt's conversation. */
    private readonly records: () => readonly RequestRecord[] = () => [],
    onDidAppend?: vscode.Event<RequestRecord>,
  ) {
    const refresh = (uris: readonly vscode.Uri[]) => {
      for (const u of uris) {
        const doc = planDocumentUri(u);
        if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === doc.toString())) this.emitter.fire(doc);
      }
    };
    const subscriptions = [registry.onDidChange(({ changed }) => refresh(changed))];
    // A send is the new "previous request": the open plan documents of that prompt compare with it.
    if (onDidAppend) subscriptions.push(onDidAppend((r) => refresh(registry.all().filter((p) => p.plan?.promptId === r.prompt.id).map((p) => p.uri))));
    this.subscription = vscode.Disposable.from(...subscriptions);
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
    const previous = previousRequestOf(this.records(), plan?.promptId, prompt.relativePath);
    return renderPlan(prompt, plan, text, summarize(plan, plan ? this.models.tryResolve(plan.model) : undefined, prompt.readError).text, previous);
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
