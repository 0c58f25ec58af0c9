// The session panel's host side: which prompt and mode the panel works with, its conversation as
// views (from transcripts and records), and what the panel asks for (send, cancel, retry,
// continue, forecast while typing, sessions). Every number comes from records and the ledger.
import * as vscode from 'vscode';
import type { RequestRecord } from '../../core/ledger/record';
import type { ToolCall, ToolOutput } from '../../core/ports';
import type { RunEvent, TurnResult } from '../../core/session/agentLoop';
import type { Transcript, TranscriptStore } from '../../node/transcriptStore';
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
import type { PanelPicks, PickMessage } from './panelPicks';
import { pastConversationOf } from './pastSession';
import type { PanelAsker } from './toolAnswers';
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
  /** The cache's clock (the offline emulator's may run ahead): the timeline counts down on it. */
  cacheClock?: { now(): number; onDidChange: vscode.Event<void> };
  /** The cache requests land in now (BackendManager.cacheScope): the timeline shows its entries only. */
  cacheScope?: () => string;
  /** One-off busts (Clear Caches…): asking for one, or using it up, changes what the typed message would read. */
  busts?: { onDidChange: vscode.Event<string> };
  transcripts: TranscriptStore;
  picks: PanelPicks;
}

const MODE_KEY = 'promptCacheLab.panelMode';
type Message = Exclude<PanelToHost, { type: 'ready' | 'resync' | 'openFile' | 'runCommand' }>;

export class PanelSession implements vscode.Disposable, PanelAsker {
  private selected: vscode.Uri | undefined;
  /** The turn the last tool call belongs to, and the tool answers the panel is waiting for. */
  private toolTurn = 0;
  private readonly pendingTools = new Map<string, { turn: number; resolve: (o: ToolOutput) => void }>();
  private running = 0;
  private conversation: ConversationView | undefined;
  private abort: AbortController | undefined;
  private typing: NodeJS.Timeout | undefined;
  /** The composer's text as last typed, forecast again when a pick changes. */
  private typed = '';
  /** A reopened past session is on screen (read-only) instead of the current conversation. */
  private past: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: PanelSessionDeps) {
    this.disposables.push(
      deps.sessions.onDidTurn(({ transcript }) => void this.showTranscript(transcript)),
      deps.registry.onDidChange(() => void deps.picks.refresh()),
      deps.sessions.onDidRecord(({ record }) => this.onRecord(record)),
      deps.registry.onDidChange(() => this.post({ type: 'prompts', prompts: this.prompts(), ...this.selectedId() })),
      // The message being typed is forecast again: what it would read changed without a keystroke.
      ...(deps.cacheClock ? [deps.cacheClock.onDidChange(() => {
        this.postTimeline();
        this.repeatForecast();
      })] : []),
      ...(deps.busts ? [deps.busts.onDidChange(() => this.repeatForecast())] : []),
    );
  }

  private cacheNow(): number {
    return this.deps.cacheClock?.now() ?? Date.now();
  }

  /** The emulator's clock moved: entries may have expired without any record. */
  private postTimeline(): void {
    this.post({ type: 'timeline', timeline: timelineOf(this.deps.ledger.recentRecords(this.deps.clock.peek()), this.cacheNow(), this.deps.cacheScope?.()) });
  }

  private get mode(): PanelMode {
    return this.deps.state.get<PanelMode>(MODE_KEY) === 'agent' && vscode.workspace.isTrusted ? 'agent' : 'chat';
  }

  /** The panel state this side owns; the App adds backend, tokens, plan and the last request. */
  snapshot(): Omit<PanelState, 'backend'> {
    const session = this.deps.clock.peek();
    const records = this.deps.ledger.recentRecords(session);
    if (!this.conversation) void this.loadConversation();
    if (!this.deps.picks.snapshot.overrides) void this.deps.picks.refresh();
    return {
      prompts: this.prompts(),
      ...this.selectedId(),
      mode: this.mode,
      agent: this.agent(),
      ...(this.conversation ? { conversation: this.conversation } : {}),
      totals: totalsViewOf(this.deps.ledger.totals(session), records, readSettings().budgetUsd, this.deps.models.live),
      timeline: timelineOf(records, this.cacheNow(), this.deps.cacheScope?.()),
      map: records.filter((r) => r.kind !== 'prewarm').map(mapRowOf),
      sessions: sessionsViewOf(this.deps.ledger.allSessions(), session),
      ...this.deps.picks.snapshot,
    };
  }

  async handle(m: Message): Promise<void> {
    switch (m.type) {
      case 'send':
        return this.sendText(m.text, m.mode);
      case 'setModel':
      case 'setBackend':
      case 'setTtl':
      case 'setInputs':
        return this.deps.picks.handle(m as PickMessage);
      case 'backToCurrent':
        return this.backToCurrent();
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
        void this.deps.picks.refresh();
        return this.loadConversation();
      case 'setMode':
        await this.deps.state.update(MODE_KEY, m.mode);
        this.post({ type: 'mode', mode: this.mode, agent: this.agent() });
        return;
      case 'typing':
        return this.forecastSoon(m.text);
      case 'answerTool': {
        const waiting = this.pendingTools.get(m.toolUseId);
        if (!waiting) return;
        this.pendingTools.delete(m.toolUseId);
        this.post({ type: 'toolPrompt', turn: waiting.turn, pending: undefined });
        waiting.resolve({ content: m.content, isError: m.isError });
        return;
      }
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

  /** The prompt the panel shows: picked in it, else the one whose plan it shows (the panel has focus, so no editor is active). */
  private shownPrompt(): vscode.Uri | undefined {
    return this.selected ?? (this.deps.plans.current ? vscode.Uri.file(this.deps.plans.current.promptPath) : undefined);
  }

  /** The shown prompt's document, without asking the user for one. */
  async shownDocument(): Promise<vscode.TextDocument | undefined> {
    const uri = this.shownPrompt();
    return uri ? vscode.workspace.openTextDocument(uri).then(undefined, () => undefined) : undefined;
  }

  private async document(): Promise<vscode.TextDocument | undefined> {
    return this.deps.plans.resolvePrompt(this.shownPrompt(), 'chat in the panel');
  }

  /** A message whose template inputs do not render is not sent: it goes back to the composer with the error shown. */
  private async sendText(text: string, mode: PanelMode): Promise<void> {
    const doc = await this.document();
    if (!doc) return;
    if (await this.deps.picks.refusal(doc)) return void this.post({ type: 'draft', text });
    if (this.past) await this.backToCurrent();
    return this.run(mode, (d, req) => this.deps.sessions.send(d, text, req), text);
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
    this.running++;
    try {
      await send(doc, { mode, signal: abort.signal, onEvent: (e) => this.onEvent(e, doc) });
    } catch (err) {
      void vscode.window.showErrorMessage(`Prompt Cache Lab: ${this.deps.log.redact((err as Error).message)}`);
      await this.loadConversation();
    } finally {
      this.running--;
    }
  }

  /** Shows the call under its turn and waits for the user's answer (cancel: an error result). */
  askInPanel(call: ToolCall, signal?: AbortSignal): Promise<ToolOutput> | undefined {
    // Only a turn the panel started is on screen with a place to answer; others ask in an input box.
    if (!this.deps.panel.isOpen || !this.running) return undefined;
    const turn = this.toolTurn;
    this.post({ type: 'toolPrompt', turn, pending: { toolUseId: call.id, name: call.name, input: call.input } });
    return new Promise((resolve) => {
      this.pendingTools.set(call.id, { turn, resolve });
      signal?.addEventListener('abort', () => {
        if (!this.pendingTools.delete(call.id)) return;
        this.post({ type: 'toolPrompt', turn, pending: undefined });
        resolve({ content: `The turn was cancelled before ${call.name} was answered.`, isError: true });
      });
    });
  }

  private lastStream = 0;

  private onEvent(e: RunEvent, doc: vscode.TextDocument): void {
    if (e.type === 'text') {
      const now = Date.now();
      if (now - this.lastStream < 50) return;
      this.lastStream = now;
      this.post({ type: 'streaming', promptId: vscode.workspace.asRelativePath(doc.uri), text: e.snapshot, turn: e.turn });
    } else if (e.type === 'tool-call') {
      this.toolTurn = e.turn;
    } else if (e.type === 'tool-result') {
      this.post({ type: 'toolRun', turn: e.turn, run: { name: e.call.name, input: e.call.input, output: e.output.content, isError: e.output.isError } });
    }
  }

  private onRecord(record: RequestRecord): void {
    const session = this.deps.clock.peek();
    const records = this.deps.ledger.recentRecords(session);
    if (!this.past) this.post({ type: 'totals', totals: totalsViewOf(this.deps.ledger.totals(session), records, readSettings().budgetUsd, this.deps.models.live) });
    this.post({ type: 'timeline', timeline: timelineOf(records, this.cacheNow(), this.deps.cacheScope?.()) });
    if (record.kind !== 'prewarm' && !this.past) this.post({ type: 'mapRow', row: mapRowOf(record) });
    this.post({ type: 'sessions', sessions: sessionsViewOf(this.deps.ledger.allSessions(), session) });
  }

  private async loadConversation(): Promise<void> {
    const doc = this.selected ? await vscode.workspace.openTextDocument(this.selected) : this.deps.plans.current ? await vscode.workspace.openTextDocument(vscode.Uri.file(this.deps.plans.current.promptPath)).then(undefined, () => undefined) : undefined;
    if (!doc) return;
    await this.showTranscript(await this.deps.sessions.transcriptOf(doc));
  }

  private async showTranscript(t: Transcript): Promise<void> {
    this.past = undefined;
    const byId = new Map<string, RequestRecord>();
    for (const id of t.turns.flatMap((x) => x.recordIds)) {
      const r = this.deps.ledger.recordById(id);
      if (r) byId.set(id, r);
    }
    const turns: TurnView[] = t.turns.map((x) => turnViewOf(x, byId));
    this.conversation = { id: t.conversation.id, promptId: t.promptId, turns };
    this.post({ type: 'conversation', conversation: this.conversation });
  }

  /** A past session, read-only: its turns (text from the transcripts, cards from its records), totals and map. */
  private async openSession(id: string): Promise<void> {
    if (id === this.deps.clock.peek()) return this.backToCurrent();
    const [records, transcripts] = await Promise.all([this.deps.ledger.records(id), this.deps.transcripts.list()]);
    this.past = id;
    this.post({ type: 'conversation', conversation: pastConversationOf(id, records, transcripts) });
    this.post({ type: 'totals', totals: totalsViewOf(this.deps.ledger.allSessions().get(id) ?? this.deps.ledger.totals(id), records, readSettings().budgetUsd) });
    this.post({ type: 'map', rows: records.filter((r) => r.kind !== 'prewarm').map(mapRowOf) });
  }

  private async backToCurrent(): Promise<void> {
    this.past = undefined;
    const session = this.deps.clock.peek();
    const records = this.deps.ledger.recentRecords(session);
    this.post({ type: 'totals', totals: totalsViewOf(this.deps.ledger.totals(session), records, readSettings().budgetUsd, this.deps.models.live) });
    this.post({ type: 'map', rows: records.filter((r) => r.kind !== 'prewarm').map(mapRowOf) });
    await this.loadConversation();
  }

  /** A pick (model, TTL, inputs), the cache's clock or a bust changed: the forecast of what is being typed follows it. */
  repeatForecast(): void {
    if (this.typed.trim()) this.forecastSoon(this.typed);
  }

  private forecastSoon(text: string): void {
    this.typed = text;
    if (this.typing) clearTimeout(this.typing);
    this.typing = setTimeout(() => void this.forecast(text), Math.max(100, readSettings()['tokenCount.debounceMs']));
  }

  private async forecast(text: string): Promise<void> {
    const doc = await this.deps.plans.resolvePrompt(this.shownPrompt(), 'forecast');
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
    const uri = this.shownPrompt();
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
    for (const [, w] of this.pendingTools) w.resolve({ content: 'The panel closed before the tool was answered.', isError: true });
    this.pendingTools.clear();
    if (this.typing) clearTimeout(this.typing);
    this.abort?.abort();
    for (const d of this.disposables) d.dispose();
  }
}
