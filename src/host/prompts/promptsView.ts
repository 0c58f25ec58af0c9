// The Prompts view (activity bar "Prompt Cache"): every registered prompt, opened or not, with its
// model, the request's size, cacheability and cache state; below each, its tiers with their
// tokens. It re-renders on registry and ledger changes, and once a second only while some prompt
// is warm (the countdown); nothing ticks otherwise.
import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import type { ModelCatalog } from '../modelCatalog';
import { cacheStateOf, cacheStateText, type CacheState } from './cacheState';
import { promptIdOf, type PromptRegistry, type RegisteredPrompt } from './registry';
import { summarize, tierTokens } from './summary';

export interface PromptNode {
  kind: 'prompt';
  uri: vscode.Uri;
  prompt: RegisteredPrompt;
}

interface TierNode {
  kind: 'tier';
  uri: vscode.Uri;
  label: string;
  description: string;
}

type Node = PromptNode | TierNode;

export type LastRequestOf = (promptId: string) => { atMs: number; ttl: '5m' | '1h' | undefined } | undefined;

/** What a view row shows, also returned to the integration tests. */
export interface PromptRow {
  id: string;
  path: string;
  model?: string;
  description: string;
  cache: string;
  tiers: string[];
}

const n = (x: number) => x.toLocaleString('en-US');

export class PromptsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: PromptRegistry,
    private readonly models: ModelCatalog,
    private readonly lastRequestOf: LastRequestOf,
    onLedger: vscode.Event<unknown>,
    /** The cache's clock (the offline emulator's may run ahead of the wall clock): cache states count down on it. */
    private readonly now: () => number = Date.now,
    onClock?: vscode.Event<unknown>,
  ) {
    this.disposables.push(
      registry.onDidChange(() => this.refresh()),
      onLedger(() => this.refresh()),
      ...(onClock ? [onClock(() => this.refresh())] : []),
    );
  }

  refresh(): void {
    this.emitter.fire(undefined);
  }

  rows(nowMs = this.now()): PromptRow[] {
    return this.registry.all().map((p) => this.rowOf(p, nowMs));
  }

  private stateOf(p: RegisteredPrompt, nowMs: number): CacheState {
    return cacheStateOf(p.plan?.promptId ? this.lastRequestOf(p.plan.promptId) : undefined, nowMs);
  }

  private rowOf(p: RegisteredPrompt, nowMs: number): PromptRow {
    const plan = p.plan;
    const model = plan ? this.models.tryResolve(plan.model) : undefined;
    const summary = summarize(plan, model, p.readError);
    const cache = cacheStateText(this.stateOf(p, nowMs), nowMs);
    const size = summary.tokens === undefined ? summary.text : `≈${n(summary.tokens)} tokens · ${summary.cacheable ? 'cacheable' : `below ${n(summary.minimum ?? 0)}, not cached`}`;
    const tiers = plan ? tierTokens(plan).map((t) => `${t.tier}: ≈${n(t.tokens)} tokens, ${t.ttl}${t.placed ? '' : ' (no breakpoint)'}`) : [];
    return { id: promptIdOf(p), path: p.relativePath, model: plan?.model, description: [plan?.model, size, cache].filter(Boolean).join(' · '), cache, tiers };
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      this.scheduleTick();
      return this.registry.all().map((prompt) => ({ kind: 'prompt', uri: prompt.uri, prompt }));
    }
    if (node.kind === 'tier') return [];
    return this.rowOf(node.prompt, this.now()).tiers.map((t) => {
      const [label = t, description = ''] = t.split(': ');
      return { kind: 'tier', uri: node.uri, label, description };
    });
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'tier') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.description = node.description;
      item.iconPath = new vscode.ThemeIcon('symbol-number');
      return item;
    }
    const row = this.rowOf(node.prompt, this.now());
    const item = new vscode.TreeItem(row.id, row.tiers.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = node.uri.toString();
    item.description = row.description;
    item.resourceUri = node.uri;
    item.contextValue = 'promptCacheLab.prompt';
    const warm = row.cache.startsWith('warm');
    const problems = node.prompt.plan?.diagnostics.some((d) => d.severity === 'error') || Boolean(node.prompt.readError);
    item.iconPath = new vscode.ThemeIcon(problems ? 'warning' : warm ? 'flame' : 'file-text', problems ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${row.id}** — \`${row.path}\`\n\n${summarize(node.prompt.plan, node.prompt.plan ? this.models.tryResolve(node.prompt.plan.model) : undefined, node.prompt.readError).text}\n\n`);
    for (const t of row.tiers) md.appendMarkdown(`- ${t}\n`);
    md.appendMarkdown(`\nCache: ${row.cache}${row.cache === 'unknown' ? ' (no request of this prompt in the ledger yet)' : ''}`);
    item.tooltip = md;
    item.command = { title: 'Open File', command: CommandId.openPromptFile, arguments: [node.uri] };
    return item;
  }

  /** One tick a second while a prompt is warm, so "warm until" turns "cold" on time. */
  private scheduleTick(): void {
    if (this.ticker) return;
    const now = this.now();
    if (!this.registry.all().some((p) => this.stateOf(p, now).kind === 'warm')) return;
    this.ticker = setTimeout(() => {
      this.ticker = undefined;
      this.refresh();
    }, 1000);
  }

  dispose(): void {
    clearTimeout(this.ticker);
    for (const d of this.disposables) d.dispose();
  }
}
