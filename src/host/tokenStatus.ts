// Live token count of the active prompt, Markdown or text editor in the status bar. Counting
// runs in the engine worker (incremental there); this side only debounces and renders.
import * as vscode from 'vscode';
import type { TokenCountView } from '../shared/protocol';
import type { ModelInfo } from '../core/models/types';
import { SupersededError } from '../node/engineClient';
import type { ExactCounts } from './exactCounts';
import type { ModelCatalog } from './modelCatalog';
import type { Logger } from './log';
import { readSettings } from './config';
import { CommandId } from './commandIds';
import type { PromptRegistry } from './prompts/registry';
import { requestTokens, tierTokens } from './prompts/summary';

/** What the worker client offers; the real one lives in src/node/engineClient.ts. */
export interface TokenCounter {
  count(docKey: string, text: string): Promise<{ rawTokens: number; ms: number }>;
  forget(docKey: string): void;
}

/** A count that takes longer than this shows a "counting" state. */
const SLOW_COUNT_MS = 400;

/** Pause after the last local count before asking count_tokens (it is rate-limited). */
const EXACT_DELAY_MS = 1200;

const COUNTED_LANGUAGES = new Set(['markdown', 'plaintext', 'prompty']);

export function isCountable(doc: vscode.TextDocument): boolean {
  if (COUNTED_LANGUAGES.has(doc.languageId)) return true;
  return /\.(prompt\.md|prompty|md|txt)$/i.test(doc.fileName);
}

/** Front matter `model:` of a prompt file, so its tokenizer's factor applies. */
function declaredModel(text: string): string | undefined {
  if (!text.startsWith('---')) return undefined;
  const end = text.indexOf('\n---', 3);
  const head = end > 0 ? text.slice(0, end) : text.slice(0, 2000);
  const m = head.match(/^\s*model:\s*["']?([A-Za-z0-9._-]+)["']?\s*$/m);
  return m?.[1];
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export class TokenStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private exactTimer: NodeJS.Timeout | undefined;
  private exactAbort: AbortController | undefined;
  private lastDoc: vscode.TextDocument | undefined;
  private generation = 0;
  private current: TokenCountView | undefined;
  /** The last render's inputs, so a new plan of the same prompt re-renders without a re-count. */
  private rendered: { doc: vscode.TextDocument; view: TokenCountView; knownModel: boolean } | undefined;
  private requestSize: number | undefined;
  private readonly changed = new vscode.EventEmitter<TokenCountView | undefined>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly counter: TokenCounter,
    private readonly models: ModelCatalog,
    private readonly exact: ExactCounts,
    private readonly log: Logger,
    private readonly prompts?: PromptRegistry,
  ) {
    this.item = vscode.window.createStatusBarItem('promptCacheLab.tokens', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Prompt Cache Lab: token estimate';
    this.item.command = CommandId.openPanel;
    this.disposables.push(
      this.item,
      this.changed,
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule(0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.target()) this.schedule();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.counter.forget(d.uri.toString())),
    );
    if (prompts) {
      this.disposables.push(
        prompts.onDidChange(({ changed }) => {
          const r = this.rendered;
          // Only while that document is still the one counted: a closed editor's document can linger.
          if (r && r.doc === this.target() && changed.some((u) => u.toString() === r.doc.uri.toString())) this.render(r.doc, r.view, r.knownModel);
        }),
      );
    }
    this.schedule(0);
  }

  /** The last rendered count (for the panel and for tests). */
  get view(): TokenCountView | undefined {
    return this.current;
  }

  /** On a prompt file: the size of the request it makes (tools + system + context), as shown. */
  get request(): number | undefined {
    return this.requestSize;
  }

  get text(): string {
    return this.item.text;
  }

  get tooltip(): string {
    const t = this.item.tooltip;
    return typeof t === 'string' ? t : t?.value ?? '';
  }

  refresh(): void {
    this.schedule(0);
  }

  private schedule(delay = readSettings()['tokenCount.debounceMs']): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), Math.max(0, delay));
  }

  /**
   * The document to count: the active editor's, or — while a webview such as the panel has focus
   * and no editor is active — the last counted one if it is still visible.
   */
  private target(): vscode.TextDocument | undefined {
    const active = vscode.window.activeTextEditor?.document;
    if (active) return active;
    const last = this.lastDoc;
    return last && !last.isClosed && vscode.window.visibleTextEditors.some((e) => e.document === last) ? last : undefined;
  }

  private async update(): Promise<void> {
    // Every update supersedes what is still in flight, including a pending exact count.
    const gen = ++this.generation;
    if (this.exactTimer) clearTimeout(this.exactTimer);
    this.exactAbort?.abort();
    const doc = this.target();
    const settings = readSettings();
    if (!settings['statusBar.enabled'] || !doc || !isCountable(doc)) {
      this.item.hide();
      this.publish(undefined);
      return;
    }
    this.lastDoc = doc;
    const text = doc.getText();
    const modelId = declaredModel(text) ?? settings.defaultModel;
    const model = this.models.tryResolve(modelId);
    // Large documents take a while in the worker (about 2 MB/s the first time): say so.
    const slow = setTimeout(() => {
      if (gen !== this.generation) return;
      this.item.text = '$(sync~spin) ≈… tokens';
      this.item.tooltip = `Counting ${(text.length / 1e6).toFixed(1)} million characters in the background; the editor stays responsive.`;
      this.item.show();
    }, SLOW_COUNT_MS);
    try {
      const { rawTokens } = await this.counter.count(doc.uri.toString(), text).finally(() => clearTimeout(slow));
      if (gen !== this.generation) return;
      const factor = this.models.factorFor(model);
      const tokens = Math.round(rawTokens * factor);
      const view: TokenCountView = { document: vscode.workspace.asRelativePath(doc.uri), tokens, rawTokens, model: model?.id ?? modelId, factor };
      const why = this.exact.unavailableReason(settings.exactCounts);
      if (why && settings.exactCounts) view.exactNote = `Exact count ${why}.`;
      this.render(doc, view, Boolean(model));
      if (!why && model) this.scheduleExact(gen, doc, text, model, view);
    } catch (err) {
      if (gen !== this.generation || err instanceof SupersededError) return;
      this.log.warn(`token count failed for ${doc.uri.fsPath}: ${(err as Error).message}`);
      this.item.text = '$(warning) tokens: unavailable';
      this.item.tooltip = `Could not count tokens: ${(err as Error).message}. See "Prompt Cache: Show Log".`;
      this.item.show();
    }
  }

  /** Asks Anthropic's count_tokens once typing has paused; the estimate stays until it answers. */
  private scheduleExact(gen: number, doc: vscode.TextDocument, text: string, model: ModelInfo, view: TokenCountView): void {
    if (this.exactTimer) clearTimeout(this.exactTimer);
    this.exactAbort?.abort();
    this.exactTimer = setTimeout(async () => {
      const abort = (this.exactAbort = new AbortController());
      let result: Awaited<ReturnType<ExactCounts['count']>>;
      try {
        result = await this.exact.count(text, model, view.rawTokens, abort.signal);
      } catch (err) {
        this.log.warn(`exact count failed: ${(err as Error).message}`);
        result = { unavailable: (err as Error).message };
      }
      if (gen !== this.generation || abort.signal.aborted) return;
      if ('tokens' in result) this.render(doc, { ...view, exact: result.tokens }, true);
      else this.render(doc, { ...view, exactNote: `Exact count unavailable: ${result.unavailable}` }, true);
    }, EXACT_DELAY_MS);
  }

  private render(doc: vscode.TextDocument, view: TokenCountView, knownModel: boolean): void {
    this.rendered = { doc, view, knownModel };
    this.requestSize = undefined;
    const md = new vscode.MarkdownString(undefined, true);
    const plan = this.prompts?.get(doc.uri)?.plan;
    const request = plan && view.exact === undefined ? requestTokens(plan) : undefined;
    if (plan && request !== undefined) {
      // A prompt file is not sent as it is: its front matter is not, its tools and context are.
      this.requestSize = request;
      this.item.text = `$(symbol-number) ≈${formatCount(request)} tokens`;
      md.appendMarkdown(`**≈${formatCount(request)} tokens**: the request \`${plan.promptId ?? view.document}\` makes before any conversation (tools + system + context) for **${plan.model}**.

`);
      md.appendMarkdown(`| tier | tokens | TTL |\n|---|---:|---|\n`);
      for (const t of tierTokens(plan)) md.appendMarkdown(`| ${t.tier} | ≈${formatCount(t.tokens)} | ${t.placed ? t.ttl : 'no breakpoint'} |\n`);
      md.appendMarkdown(`\nThe file \`${view.document}\` itself counts ≈${formatCount(view.tokens)}: its front matter is not sent, its tools and context files are.\n\n`);
      md.appendMarkdown(`Counts are estimates: a local o200k_base count × ${view.factor.toFixed(2)}, the calibration factor for **${view.model}**'s tokenizer; billing uses the usage the API reports.\n\n`);
      this.finishRender(doc, { ...view }, md, request);
      return;
    }
    if (view.exact !== undefined) {
      this.item.text = `$(symbol-number) ${formatCount(view.exact)} tokens`;
      md.appendMarkdown(`**${formatCount(view.exact)} tokens** in \`${view.document}\`, counted by Anthropic's count_tokens for **${view.model}** (message framing excluded).\n\n`);
      md.appendMarkdown(`The local estimate was ≈${formatCount(view.tokens)}; the estimator's calibration is refined from each such count.\n\n`);
      this.finishRender(doc, view, md);
      return;
    }
    this.item.text = `$(symbol-number) ≈${formatCount(view.tokens)} tokens`;
    md.appendMarkdown(`**≈${formatCount(view.tokens)} tokens** in \`${view.document}\`\n\n`);
    md.appendMarkdown(
      `This is an estimate: a local o200k_base count (${formatCount(view.rawTokens)}) × ${view.factor.toFixed(2)}, ` +
        `the calibration factor for **${view.model}**'s tokenizer. Anthropic publishes no offline tokenizer; ` +
        `billing always uses the usage the API reports.\n\n`,
    );
    if (!knownModel) md.appendMarkdown(`⚠ Unknown model \`${view.model}\`: the default model's factor applies. Add it in \`promptCacheLab.models\`.\n\n`);
    if (view.exactNote) md.appendMarkdown(`${view.exactNote}\n\n`);
    this.finishRender(doc, view, md);
  }

  private finishRender(doc: vscode.TextDocument, view: TokenCountView, md: vscode.MarkdownString, shown?: number): void {
    md.appendMarkdown(`Click to open the Prompt Cache Lab panel.`);
    this.item.tooltip = md;
    const n = shown ?? view.exact ?? view.tokens;
    this.item.accessibilityInformation = { label: `${view.exact === undefined ? 'About ' : ''}${n} tokens in ${doc.fileName}${view.exact === undefined ? ', estimated' : ''}` };
    this.item.show();
    this.publish(view);
  }

  private publish(view: TokenCountView | undefined): void {
    this.current = view;
    this.changed.fire(view);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.exactTimer) clearTimeout(this.exactTimer);
    this.exactAbort?.abort();
    for (const d of this.disposables) d.dispose();
  }
}
