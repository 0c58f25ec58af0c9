// The composition root: builds every service once and owns every disposable. No behaviour here:
// commands, views and services each get the narrow pieces they need.
import * as vscode from 'vscode';
import type { RequestRecord } from '../core/ledger/record';
import type { Totals } from '../core/ledger/reducers';
import type { CalibrationSample } from '../core/session/calibrationSample';
import { TranscriptStore } from '../node/transcriptStore';
import { isWebviewToHost, type PanelState, type RequestView, type WebviewCommand, type WebviewToHost } from '../shared/protocol';
import { PanelController } from '../webview/panelController';
import { ApiKeyStore } from './apiKey';
import { BackendManager } from './backendManager';
import { CalibrationStore } from './calibrationStore';
import { CommandId } from './commandIds';
import { registerCommands, type CommandServices } from './commands';
import { affects } from './config';
import { ExactCounts } from './exactCounts';
import { createLogger } from './log';
import { ModelCatalog } from './modelCatalog';
import { PlanService } from './planService';
import { PromptCodeLens } from './prompts/codeLens';
import { WorkspaceDiagnostics } from './prompts/diagnostics';
import { PromptLanguageFeatures } from './prompts/languageFeatures';
import { planInputFor } from './prompts/planInput';
import { PLAN_SCHEME, PlanDocuments } from './prompts/planDocument';
import { DefaultPrompt } from './prompts/promptCommands';
import { PromptsView, type PromptRow } from './prompts/promptsView';
import { PromptRegistry, type RegistryChange } from './prompts/registry';
import { PromptWatcher } from './prompts/watcher';
import { readSettings } from './config';
import { AnswerCacheService } from './services/answerCache';
import { CacheBusts } from './services/cacheBusts';
import { LedgerService } from './services/ledger';
import { SessionClock } from './services/sessionClock';
import { PanelSession } from './panel/panelSession';
import { ConversationOverrides } from './panel/overrides';
import { PanelPicks } from './panel/panelPicks';
import { FrontMatterAssist } from './prompts/frontMatterAssist';
import { askUser } from './panel/toolAnswers';
import { cardOf, turnCardOf } from './panel/views';
import { MetricsService } from './services/metrics';
import { SessionService } from './services/sessions';
import { SessionItem } from './status/sessionItem';
import { agentTools } from './services/tools';
import { TokenStatus } from './tokenStatus';
import { EngineWorker } from './engineWorker';
import { workerForecaster } from './workerForecaster';
import { seedRecordsOf } from '../core/session/cacheSeed';

const PANEL_COMMANDS: Record<WebviewCommand, string> = {
  setApiKey: CommandId.setApiKey,
  refreshPlan: CommandId.showPlan,
  prewarm: CommandId.prewarm,
  send: CommandId.send,
  newConversation: CommandId.newConversation,
};

/** What activate() returns: used by the integration tests, and by nothing else. */
export interface PromptCacheLabApi {
  tokenStatus(): { text: string; tooltip: string; tokens: number | undefined; exact: number | undefined };
  lastRequest(): RequestView | undefined;
  logLines(): readonly string[];
  plan(): PanelState['plan'];
  panelOpen(): boolean;
  backendKind(): 'offline' | 'anthropic';
  /** The ledger file, its totals for the current session, and a flush so tests can read it. */
  ledger(): { path: string; sessionId: string | undefined; totals: Totals; flush(): Promise<boolean> };
  /** The session status bar item's text. */
  sessionStatus(): string;
  /** The metrics endpoint's URL while it serves. */
  metricsUrl(): Promise<string | undefined>;
  /** Records made in this window, in order. */
  records(): readonly RequestRecord[];
  /** The Prompts view's rows: every registered prompt. */
  prompts(): PromptRow[];
  /** Registry events (prompt URIs as strings). */
  onPromptsChanged(listener: (e: { changed: string[]; removed: string[] }) => void): vscode.Disposable;
  /** Resolves once every registered prompt has its latest plan. */
  promptsIdle(): Promise<void>;
  /** What the status bar shows on a prompt file: the size of its request (undefined elsewhere). */
  requestTokens(): number | undefined;
  /** A message as the panel's webview would post it (validated the same way); resolves once handled. */
  panelMessage(message: unknown): Promise<void>;
  /** The panel's state as a snapshot would carry it. */
  panelState(): PanelState;
}

export class App implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private lastRequest: RequestView | undefined;
  private readonly made: RequestRecord[] = [];
  private readonly sessionItem: SessionItem;
  private readonly metrics: MetricsService;
  private panelSession!: PanelSession;
  private picks!: PanelPicks;
  private readonly services: CommandServices & { ledger: LedgerService; backends: BackendManager; models: ModelCatalog; promptsView: PromptsView };

  constructor(readonly context: vscode.ExtensionContext) {
    const channel = this.own(vscode.window.createOutputChannel('Prompt Cache Lab', { log: true }));
    const keys = this.own(new ApiKeyStore(context.secrets));
    const log = createLogger(channel, () => keys.known());
    const calibration = new CalibrationStore(context.globalState);
    const models = new ModelCatalog(log, calibration);
    const dist = (file: string) => vscode.Uri.joinPath(context.extensionUri, 'dist', file).fsPath;
    const backends = this.own(new BackendManager(dist('emulatorWorker.js'), keys, models, log));
    const worker = this.own(new EngineWorker(dist('engineWorker.js'), log));
    const storage = (context.storageUri ?? context.globalStorageUri).fsPath;
    const ledger = this.own(new LedgerService(storage, log));
    const history = (now: number) => ledger.history(now);
    // Anthropic's cache outlives the window: the worker's cache models start from what the ledger says it holds.
    worker.seedFrom(() => ({ records: seedRecordsOf(ledger.recentRecords(), backends.clock.now()), modelOverrides: readSettings().models }));
    void ledger.loaded.then(() => worker.reseed());
    const registry = this.own(
      new PromptRegistry({ plan: (r) => worker.plan(r), planMany: (rs) => worker.planMany(rs), input: (uri, text) => planInputFor(uri, text, history), log, debounceMs: () => readSettings()['tokenCount.debounceMs'] }),
    );
    const defaultPrompt = new DefaultPrompt(context.workspaceState);
    const plans = this.own(new PlanService(registry, history, () => defaultPrompt.get()));
    const tokens = this.own(new TokenStatus(worker, models, new ExactCounts(backends, calibration, log), log, registry));
    const diagnostics = this.own(new WorkspaceDiagnostics(registry, () => ledger.recentRecords(), ledger.onDidAppend));
    const lenses = this.own(new PromptCodeLens(registry, models));
    this.own(new PromptLanguageFeatures(lenses, diagnostics, new FrontMatterAssist(models)));
    const planDocuments = this.own(new PlanDocuments(registry, models, () => ledger.recentRecords(), ledger.onDidAppend));
    this.own(vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, planDocuments));
    const busts = this.own(new CacheBusts());
    const promptsView = this.own(new PromptsView(registry, models, (id) => ledger.lastRequestOf(id, backends.cacheScope()), ledger.onDidAppend, () => backends.clock.now(), backends.clock.onDidChange));
    void ledger.loaded.then(() => promptsView.refresh());
    this.own(vscode.window.createTreeView('promptCacheLab.prompts', { treeDataProvider: promptsView }));
    this.own(registry.onDidChange(() => this.publishPromptPaths(registry)));
    // Created last: its first scan plans through the registry, whose listeners are all in place.
    const watcher = this.own(new PromptWatcher(registry, log));
    const answers = new AnswerCacheService(vscode.Uri.joinPath(vscode.Uri.file(storage), 'response-cache').fsPath, () => backends.answerScope(), log);
    const onSample = (s: CalibrationSample) => {
      if (calibration.observe(s.generation, s.rawTokens, s.actualTokens)) tokens.refresh();
    };
    // A new session (Clear Caches, New Session, Reset All Stats) shows as empty at once, in the panel too.
    const clock = new SessionClock(() => ledger.lastSession(), () => {
      this.sessionItem.refresh();
      this.services?.panel.refresh();
    });
    const transcripts = new TranscriptStore(vscode.Uri.joinPath(vscode.Uri.file(storage), 'transcripts').fsPath, (m) => log.warn(m));
    const overrides = new ConversationOverrides(context.workspaceState);
    const sessions = this.own(new SessionService({ worker, plans, models, backends, answers, ledger, transcripts, clock, tools: agentTools(log, askUser(() => this.panelSession)), log, onSample, busts, picks: (doc) => overrides.planPicks(vscode.workspace.asRelativePath(doc.uri, false)) }));
    this.sessionItem = this.own(new SessionItem(() => ledger.totals(clock.peek())));
    void ledger.loaded.then(() => this.sessionItem.refresh());
    const panel = this.own(
      new PanelController(context.extensionUri, {
        snapshot: () => this.snapshot(),
        onMessage: (m) => this.onPanelMessage(m),
        onPanelMessage: (m) => {
          if (m.type === 'openFile' || m.type === 'runCommand') this.onPanelMessage(m);
          else void this.panelSession.handle(m).catch((err: Error) => log.error(`panel: ${err.message}`));
        },
      }),
    );
    const metrics = this.own(new MetricsService(log));
    this.metrics = metrics;
    this.services = { log, keys, tokens, plans, panel, answers, sessions, clock, backends, models, ledger, worker, registry, watcher, planDocuments, defaultPrompt, promptsView, busts, forecasterFor: (doc) => workerForecaster(() => doc, worker, plans, models, onSample, { busts }) };
    const picks = this.own(new PanelPicks({ overrides, models, worker, plans, registry, backends, keys, post: (d) => panel.post(d), shown: () => this.panelSession.shownDocument(), onChanged: () => this.panelSession.repeatForecast() }));
    this.panelSession = this.own(new PanelSession({ panel, sessions, ledger, clock, registry, plans, state: context.workspaceState, log, models, transcripts, picks, cacheClock: backends.clock, cacheScope: () => backends.cacheScope(), busts }));
    this.picks = picks;
    this.wireEvents();
    registerCommands(this.services).forEach((d) => this.own(d));
  }

  get api(): PromptCacheLabApi {
    const { tokens, plans, panel, backends, ledger, clock, log } = this.services;
    return {
      tokenStatus: () => ({ text: tokens.text, tooltip: tokens.tooltip, tokens: tokens.view?.tokens, exact: tokens.view?.exact }),
      lastRequest: () => this.lastRequest,
      logLines: () => log.recent(),
      plan: () => plans.current,
      panelOpen: () => panel.isOpen,
      backendKind: () => backends.kind(),
      ledger: () => ({ path: ledger.path(), sessionId: clock.peek(), totals: ledger.totals(clock.peek()), flush: () => ledger.flush() }),
      records: () => this.made,
      sessionStatus: () => this.sessionItem.text,
      metricsUrl: () => this.metrics.url(),
      prompts: () => this.services.promptsView.rows(),
      onPromptsChanged: (listener) => this.services.registry.onDidChange((e: RegistryChange) => listener({ changed: e.changed.map(String), removed: e.removed.map(String) })),
      promptsIdle: () => this.services.registry.whenIdle(),
      requestTokens: () => tokens.request,
      panelMessage: async (m) => {
        if (!isWebviewToHost(m) || m.type === 'ready' || m.type === 'resync') throw new Error(`not a panel message: ${JSON.stringify(m)}`);
        if (m.type === 'openFile' || m.type === 'runCommand') return this.onPanelMessage(m);
        await this.panelSession.handle(m);
      },
      panelState: () => this.snapshot(),
    };
  }

  /** The `when` clauses of the editor-title buttons test `resourcePath in promptCacheLab.promptPaths`. */
  private publishPromptPaths(registry: PromptRegistry): void {
    const paths: Record<string, true> = {};
    for (const p of registry.all()) {
      paths[p.uri.fsPath] = true;
      paths[p.uri.path] = true;
    }
    void vscode.commands.executeCommand('setContext', 'promptCacheLab.promptPaths', paths);
  }

  async start(): Promise<void> {
    await this.services.keys.load((m) => this.services.log.warn(m));
    this.services.panel.post({ type: 'backend', backend: this.services.backends.view() });
  }

  private snapshot(): PanelState {
    const { backends, tokens, plans } = this.services;
    return { backend: backends.view(), tokens: tokens.view, plan: plans.current, ...(this.lastRequest ? { lastRequest: this.lastRequest } : {}), ...(this.panelSession?.snapshot() ?? {}) };
  }

  private showRequest(view: RequestView): void {
    this.lastRequest = view;
    this.services.panel.post({ type: 'request', request: view });
  }

  private wireEvents(): void {
    const { tokens, plans, panel, keys, backends, models, sessions, ledger } = this.services;
    this.own(tokens.onDidChange((t) => panel.post({ type: 'tokens', tokens: t })));
    // The panel shows the plan with what was picked for its conversation (model, TTLs, inputs).
    this.own(plans.onDidChange((plan) => void this.picks.publishPlan(plan)));
    this.own(
      sessions.onDidRecord(({ record, extras }) => {
        this.made.push(record);
        this.sessionItem.refresh();
        this.metrics.observe(record);
        // A turn's last request is shown with its answer when the turn ends (onDidTurn).
        if (record.kind === 'prewarm') this.showRequest(cardOf(record, extras));
      }),
    );
    this.own(
      sessions.onDidTurn(({ result }) => {
        const view = turnCardOf(result);
        if (view) this.showRequest(view);
      }),
    );
    this.own(keys.onDidChange(() => panel.post({ type: 'backend', backend: backends.view() })));
    this.own(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!affects(e)) return;
        if (affects(e, 'models') || affects(e, 'defaultModel')) {
          models.reload();
          backends.modelsChanged();
        }
        if (affects(e, 'metrics.port')) this.metrics.apply();
        if (affects(e, 'ledger.path')) void ledger.reopen().then(() => this.sessionItem.refresh());
        this.sessionItem.refresh();
        tokens.refresh();
        plans.refresh();
        this.services.promptsView.refresh();
        panel.post({ type: 'backend', backend: backends.view() });
        void this.picks.refresh();
      }),
    );
  }

  private onPanelMessage(m: Exclude<WebviewToHost, { type: 'ready' }>): void {
    switch (m.type) {
      case 'openFile': {
        // Only the prompt the panel shows, at a sane line: the webview is not trusted with paths.
        if (m.path !== this.services.plans.current?.promptPath || !Number.isInteger(m.line)) return;
        const line = Math.max(0, m.line - 1);
        void vscode.window.showTextDocument(vscode.Uri.file(m.path), { selection: new vscode.Range(line, 0, line, 0), viewColumn: vscode.ViewColumn.One });
        return;
      }
      case 'runCommand':
        void vscode.commands.executeCommand(PANEL_COMMANDS[m.command]);
        return;
      default: {
        const never: never = m;
        void never;
      }
    }
  }

  private own<T extends vscode.Disposable>(d: T): T {
    this.disposables.push(d);
    return d;
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) {
      try {
        d.dispose();
      } catch {
        /* keep disposing the rest */
      }
    }
  }
}
