// The session panel's host side: which prompt and mode the panel works with, its conversation as
// views (from transcripts and records), and what the panel asks for (send, cancel, retry,
// continue, forecast while typing, sessions). Every number comes from records and the ledger.
import * as vscode from 'vscode';
import type { RequestRecord } from '../../core/ledger/record';
import type { RunEvent, TurnResult } from '../../core/session/agentLoop';
import type { Transcript } from '../../node/transcriptStore';
import type { ConversationView, PanelMode, TurnView } from '../../shared/panelViews';
import type { HostDelta, PanelState, PanelToHost } from '../../shared/protocol';
import type { PanelController } from '../../webview/panelController';
import { CommandId } from '../commandIds';
import { readSettings } from '../config';
import type { Logger } from '../log';
import type { ModelCatalog } from '../modelCatalog';
import type { PlanService } from '../planService';
import { promptIdOf, type PromptRegistry } from '../prompts/registry';
import type { LedgerService } from '../services/ledger';
import type { SessionClock } from '../services/sessionClock';
import type { SessionService } from '../services/sessions';
import { mapRowOf, sessionsViewOf, timelineOf, totalsViewOf, turnViewOf } from './views';

export interface PanelSessionDeps {
  panel: PanelController;
  sessions: SessionService;
  ledger: LedgerService;
  clock: SessionClock;
  registry: PromptRegistry;
  plans: PlanService;
  state: vscode.Memento;
  log: Logger;
  models: ModelCatalog;
}

const MODE_KEY = 'promptCacheLab.panelMode';
type Message = Exclude<PanelToHost, { type: 'ready' | 'resync' | 'openFile' | 'runCommand' }>;

export class PanelSession implements vscode.Disposable {
  private selected: vscode.Uri | undefined;
  private conversation: ConversationView | undefined;
  private abort: AbortController | undefined;
  private typing: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: PanelSessionDeps) {
    this.disposables.push(
      deps.sessions.onDidTurn(({ transcript }) => void this.showTranscript(transcript)),
      deps.sessions.onDidRecord(({ record }) => this.onRecord(record)),
      deps.registry.onDidChange(() => this.post({ type: 'prompts', prompts: this.prompts(), ...this.selectedId() })),
    );
  }

  private get mode(): PanelMode {
    return this.deps.state.get<PanelMode>(MODE_KEY) === 'agent' && vscode.workspace.isTrusted ? 'agent' : 'chat';
  }

  /** The panel state this side owns; the App adds backend, tokens, plan and the last request. */
  snapshot(): Omit<PanelState, 'backend'> {
    const session = this.deps.clock.peek();
    const records = this.deps.ledger.recentRecords(session);
    if (!this.conversation) void this.loadConversation();
    return {
      prompts: this.prompts(),
      ...this.selectedId(),
      mode: this.mode,
      agent: this.agent(),
      ...(this.conversation ? { conversation: this.conversation } : {}),
      totals: totalsViewOf(this.deps.ledger.totals(session), records, readSettings().budgetUsd, this.deps.models.live),
      timeline: timelineOf(records, Date.now()),
      map: records.filter((r) => r.kind !== 'prewarm').map(mapRowOf),
      sessions: sessionsViewOf(this.deps.ledger.allSessions(), session),
    };
  }

  async handle(m: Message): Promise<void> {
    switch (m.type) {
      case 'send':
        return this.run(m.mode, (doc, req) => this.deps.sessions.send(doc, m.text, req), m.text);
      case 'retryLast':
        return this.run(this.mode, (doc, req) => this.deps.sessions.resendLast(doc, { ...req, localAnswers: false }));
      case 'continue':
        return this.run(this.mode, (doc, req) => this.deps.sessions.continueTurn(doc, req));
      case 'cancel':
        this.abort?.abort();
        return;
      case 'newConversation':
        return void vscode.commands.executeCommand(CommandId.newConversation, this.selected).then(() => this.loadConversation());
      case 'selectPrompt':
        this.selected = this.deps.registry.all().find((p) => promptIdOf(p) === m.id)?.uri;
        this.post({ type: 'prompts', prompts: this.prompts(), ...this.selectedId() });
        return this.loadConversation();
      case 'setMode':
        await this.deps.state.update(MODE_KEY, m.mode);
        this.post({ type: 'mode', mode: this.mode, agent: this.agent() });
        return;
      case 'typing':
        return this.forecastSoon(m.text);
      case 'answerTool':
        void vscode.window.showInformationMessage('Prompt Cache Lab: answering a tool by hand is not available yet; name a mock-results file in the prompt (tool_results:) instead.');
        return;
      case 'openSession':
        return this.openSession(m.id);
      case 'exportStats':
        return void vscode.commands.executeCommand(CommandId.exportStats);
      case 'clearCaches':
        return void vscode.commands.executeCommand(CommandId.clearCaches);
      default: {
        const never: never = m;
        void never;
      }
    }
  }

  private async document(): Promise<vscode.TextDocument | undefined> {
    return this.deps.plans.resolvePrompt(this.selected, 'chat in the panel');
  }

  private async run(mode: PanelMode, send: (doc: vscode.TextDocument, req: Parameters<SessionService['send']>[2]) => Promise<TurnResult>, user?: string): Promise<void> {
    const doc = await this.document();
    if (!doc) return;
    if (mode === 'agent' && !vscode.workspace.isTrusted) return void this.post({ type: 'mode', mode: 'chat', agent: this.agent() });
    const abort = (this.abort = new AbortController());
    if (user !== undefined) {
      const next = (this.conversation?.turns.at(-1)?.turn ?? 0) + 1;
      this.post({ type: 'turn', turn: { turn: next, mode, user, answer: '', toolRuns: [], requests: [], inFlight: true } });
    }
    try {
      await send(doc, { mode, signal: abort.signal, onEvent: (e) => this.onEvent(e, doc) });
    } catch (err) {
      void vscode.window.showErrorMessage(`Prompt Cache Lab: ${this.deps.log.redact((err as Error).message)}`);
      await this.loadConversation();
    }
  }

  private lastStream = 0;

  private onEvent(e: RunEvent, doc: vscode.TextDocument): void {
    if (e.type === 'text') {
      const now = Date.now();
      if (now - this.lastStream < 50) return;
      this.lastStream = now;
      this.post({ type: 'streaming', promptId: vscode.workspace.asRelativePath(doc.uri), text: e.snapshot, turn: e.turn });
    } else if (e.type === 'tool-result') {
      this.post({ type: 'toolRun', turn: e.turn, run: { name: e.call.name, input: e.call.input, output: e.output.content, isError: e.output.isError } });
    }
  }

  private onRecord(record: RequestRecord): void {
    const session = this.deps.clock.peek();
    const records = this.deps.ledger.recentRecords(session);
    this.post({ type: 'totals', totals: totalsViewOf(this.deps.ledger.totals(session), records, readSettings().budgetUsd, this.deps.models.live) });
    this.post({ type: 'timeline', timeline: timelineOf(records, Date.now()) });
    if (record.kind !== 'prewarm') this.post({ type: 'mapRow', row: mapRowOf(record) });
    this.post({ type: 'sessions', sessions: sessionsViewOf(this.deps.ledger.allSessions(), session) });
  }

  private async loadConversation(): Promise<void> {
    const doc = this.selected ? await vscode.workspace.openTextDocument(this.selected) : this.deps.plans.current ? await vscode.workspace.openTextDocument(vscode.Uri.file(this.deps.plans.current.promptPath)).then(undefined, () => undefined) : undefined;
    if (!doc) return;
    await this.showTranscript(await this.deps.sessions.transcriptOf(doc));
  }

  private async showTranscript(t: Transcript): Promise<void> {
    const byId = new Map<string, RequestRecord>();
    for (const id of t.turns.flatMap((x) => x.recordIds)) {
      const r = this.deps.ledger.recordById(id);
      if (r) byId.set(id, r);
    }
    const turns: TurnView[] = t.turns.map((x) => turnViewOf(x, byId));
    this.conversation = { id: t.conversation.id, promptId: t.promptId, turns };
    this.post({ type: 'conversation', conversation: this.conversation });
  }

  /** A past session, read-only: its totals and its requests' map rows (its text stays in the transcripts). */
  private async openSession(id: string): Promise<void> {
    const records = await this.deps.ledger.records(id);
    this.post({ type: 'totals', totals: totalsViewOf(this.deps.ledger.allSessions().get(id) ?? this.deps.ledger.totals(id), records, readSettings().budgetUsd) });
    for (const r of records) if (r.kind !== 'prewarm') this.post({ type: 'mapRow', row: mapRowOf(r) });
  }

  private forecastSoon(text: string): void {
    if (this.typing) clearTimeout(this.typing);
    this.typing = setTimeout(() => void this.forecast(text), Math.max(100, readSettings()['tokenCount.debounceMs']));
  }

  private async forecast(text: string): Promise<void> {
    const doc = await this.deps.plans.resolvePrompt(this.selected, 'forecast');
    if (!doc || !text.trim()) return this.post({ type: 'forecast', forecast: undefined });
    try {
      const p = await this.deps.sessions.forecast(doc, text, this.mode);
      if (!p) return this.post({ type: 'forecast', forecast: undefined });
      const write = (p.usage.cache_creation_input_tokens ?? 0);
      this.post({ type: 'forecast', forecast: { cacheRead: p.usage.cache_read_input_tokens ?? 0, cacheWrite: write, input: p.usage.input_tokens, ...(p.costUsd !== undefined ? { costUsd: p.costUsd } : {}), note: p.sentence } });
    } catch (err) {
      this.deps.log.warn(`forecast failed: ${(err as Error).message}`);
    }
  }

  private prompts() {
    return this.deps.registry.all().map((p) => ({ id: promptIdOf(p), path: p.relativePath, model: p.plan?.model ?? '' }));
  }

  private selectedId(): { selectedPromptId?: string } {
    const uri = this.selected ?? (this.deps.plans.current ? vscode.Uri.file(this.deps.plans.current.promptPath) : undefined);
    const p = uri ? this.deps.registry.get(uri) : undefined;
    return p ? { selectedPromptId: promptIdOf(p) } : {};
  }

  private agent() {
    return vscode.workspace.isTrusted ? { allowed: true } : { allowed: false, reason: 'Agent turns are off in an untrusted workspace: the model could read workspace files through its tools.' };
  }

  private post(delta: HostDelta): void {
    this.deps.panel.post(delta);
  }

  dispose(): void {
    if (this.typing) clearTimeout(this.typing);
    this.abort?.abort();
    for (const d of this.disposables) d.dispose();
  }
}
