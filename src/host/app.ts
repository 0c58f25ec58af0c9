// The composition root: builds every service once and owns every disposable.
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SendResult } from '../backends/types';
import type { MessagesRequest } from '../shared/anthropic';
import type { PanelState, RequestView, WebviewCommand, WebviewToHost } from '../shared/protocol';
import { PanelController } from '../webview/panelController';
import { ApiKeyStore } from './apiKey';
import { BackendManager } from './backendManager';
import { CalibrationStore } from './calibrationStore';
import { Conversations } from './conversations';
import { CommandId } from './commandIds';
import { registerCommands } from './commands';
import { affects, readSettings } from './config';
import { ExactCounts } from './exactCounts';
import { createLogger, type Logger } from './log';
import { ModelCatalog } from './modelCatalog';
import { PlanService } from './planService';
import { PromptDiagnostics } from './promptDiagnostics';
import { TokenStatus } from './tokenStatus';
import { TokenWorker } from './tokenWorker';

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
}

export class App implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private lastRequest: RequestView | undefined;
  readonly log: Logger;
  readonly keys: ApiKeyStore;
  readonly models: ModelCatalog;
  readonly backends: BackendManager;
  readonly tokens: TokenStatus;
  readonly plans: PlanService;
  readonly panel: PanelController;
  readonly conversations = new Conversations();
  readonly calibration: CalibrationStore;

  constructor(readonly context: vscode.ExtensionContext) {
    const channel = vscode.window.createOutputChannel('Prompt Cache Lab', { log: true });
    this.keys = this.own(new ApiKeyStore(context.secrets));
    this.log = createLogger(channel, () => this.keys.known());
    this.own(channel);
    const calibration = (this.calibration = new CalibrationStore(context.globalState));
    this.models = new ModelCatalog(this.log, calibration);
    this.backends = this.own(new BackendManager(vscode.Uri.joinPath(context.extensionUri, 'dist', 'emulatorWorker.js').fsPath, this.keys, this.models, this.log));
    const exact = new ExactCounts(this.backends, calibration, this.log);
    const worker = this.own(new TokenWorker(vscode.Uri.joinPath(context.extensionUri, 'dist', 'tokenWorker.js').fsPath, this.log));
    this.tokens = this.own(new TokenStatus(worker, this.models, exact, this.log));
    this.plans = this.own(new PlanService(worker, this.log));
    this.panel = this.own(
      new PanelController(context.extensionUri, {
        snapshot: () => this.snapshot(),
        onMessage: (m) => this.onPanelMessage(m),
      }),
    );
    this.wireEvents();
    registerCommands(this).forEach((d) => this.own(d));
  }

  get api(): PromptCacheLabApi {
    return {
      tokenStatus: () => ({ text: this.tokens.text, tooltip: this.tokens.tooltip, tokens: this.tokens.view?.tokens, exact: this.tokens.view?.exact }),
      lastRequest: () => this.lastRequest,
      logLines: () => this.log.recent(),
      plan: () => this.plans.current,
      panelOpen: () => this.panel.isOpen,
      backendKind: () => this.backends.kind(),
    };
  }

  async start(): Promise<void> {
    await this.keys.load((m) => this.log.warn(m));
    this.panel.post({ type: 'backend', backend: this.backends.view() });
  }

  /** Workspace storage (global storage without a workspace) / response-cache. */
  private responseCacheRoot(): string {
    return vscode.Uri.joinPath(this.context.storageUri ?? this.context.globalStorageUri, 'response-cache').fsPath;
  }

  /**
   * The local response cache of one backend (its own folder): an answer from the offline
   * emulator must never come back as Anthropic's, nor one from another gateway or script.
   */
  private async responseCache(dir = join(this.responseCacheRoot(), createHash('sha256').update(this.answerScope()).digest('hex').slice(0, 16))) {
    const { ResponseCache } = await import('../backends/bundle');
    const settings = readSettings();
    return new ResponseCache({
      dir,
      ttlMs: settings['responseCache.ttlHours'] * 3_600_000,
      maxBytes: settings['responseCache.maxMegabytes'] * 1024 * 1024,
      log: (line) => this.log.warn(line),
    });
  }

  private cache: Promise<import('../backends/responseCache').ResponseCache> | undefined;
  private cacheKey = '';

  /** The response cache for the current settings (rebuilt when they change). */
  private currentCache(): Promise<import('../backends/responseCache').ResponseCache> {
    const s = readSettings();
    const key = `${s['responseCache.ttlHours']}|${s['responseCache.maxMegabytes']}|${this.answerScope()}`;
    if (!this.cache || key !== this.cacheKey) {
      this.cacheKey = key;
      this.cache = this.responseCache();
    }
    return this.cache;
  }

  /** A stored answer to exactly this request, when the settings allow answering from the cache. */
  async cachedAnswer(request: MessagesRequest): Promise<{ text: string; storedAtMs: number } | undefined> {
    if (!(await this.mayUseResponseCache(request))) return undefined;
    const hit = await (await this.currentCache()).get(request);
    return hit ? { text: hit.result.text, storedAtMs: hit.storedAtMs } : undefined;
  }

  async storeAnswer(request: MessagesRequest, result: SendResult): Promise<void> {
    if (!(await this.mayUseResponseCache(request))) return;
    await (await this.currentCache()).put(request, result);
  }

  private async mayUseResponseCache(request: MessagesRequest): Promise<boolean> {
    const s = readSettings();
    if (!s['responseCache.enabled']) return false;
    const { isCacheableRequest } = await import('../backends/bundle');
    return isCacheableRequest(request, { chat: true, agent: s['responseCache.agentLoops'] });
  }

  private answerScope(): string {
    const offline = this.backends.kind() === 'offline';
    return `${this.backends.cacheScope()}|${offline ? this.backends.scriptStamp : ''}`;
  }

  /** Deletes every stored answer of every backend; returns how many there were. */
  async clearResponseCache(): Promise<number> {
    let entries = 0;
    const root = this.responseCacheRoot();
    const folders = await readdir(root).catch(() => [] as string[]);
    for (const folder of folders) {
      const cache = await this.responseCache(join(root, folder));
      entries += (await cache.stats()).entries;
      await cache.clear();
    }
    this.cache = undefined;
    this.log.info(`local response cache cleared (${entries} entries)`);
    return entries;
  }

  snapshot(): PanelState {
    return { backend: this.backends.view(), tokens: this.tokens.view, plan: this.plans.current, lastRequest: this.lastRequest };
  }

  recordRequest(view: RequestView): void {
    this.lastRequest = view;
    this.panel.post({ type: 'request', request: view });
  }

  private wireEvents(): void {
    this.own(this.tokens.onDidChange((tokens) => this.panel.post({ type: 'tokens', tokens })));
    const diagnostics = this.own(new PromptDiagnostics());
    this.own(
      this.plans.onDidChange((plan) => {
        this.panel.post({ type: 'plan', plan });
        if (plan) diagnostics.show(plan);
      }),
    );
    this.own(vscode.workspace.onDidCloseTextDocument((d) => diagnostics.forget(d.uri)));
    this.own(this.keys.onDidChange(() => this.panel.post({ type: 'backend', backend: this.backends.view() })));
    this.own(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!affects(e)) return;
        if (affects(e, 'models') || affects(e, 'defaultModel')) {
          this.models.reload();
          this.backends.modelsChanged();
        }
        this.tokens.refresh();
        this.plans.refresh();
        this.panel.post({ type: 'backend', backend: this.backends.view() });
      }),
    );
  }

  private onPanelMessage(m: Exclude<WebviewToHost, { type: 'ready' }>): void {
    switch (m.type) {
      case 'openFile': {
        // Only the prompt the panel shows, at a sane line: the webview is not trusted with paths.
        if (m.path !== this.plans.current?.promptPath || !Number.isInteger(m.line)) return;
        const uri = vscode.Uri.file(m.path);
        const line = Math.max(0, m.line - 1);
        void vscode.window.showTextDocument(uri, { selection: new vscode.Range(line, 0, line, 0), viewColumn: vscode.ViewColumn.One });
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
