// Chooses and owns the backend: the Anthropic API when a key is set (or forced by setting), else
// the offline emulator started in this process so the real SDK code path runs. Backend modules
// (and the SDK) are imported on first use, never at activation.
import * as vscode from 'vscode';
import { BackendFailure, type Backend } from '../backends/types';
import type { BackendPort } from '../core/ports';
import type { BackendView } from '../shared/protocol';
import type { ApiKeyStore } from './apiKey';
import { readSettings } from './config';
import type { Logger } from './log';
import type { ModelCatalog } from './modelCatalog';
import { EmulatorClock } from './services/cacheClock';

type RunningEmulator = Awaited<ReturnType<typeof import('../backends/bundle').startEmulatorInWorker>>;

/** The key the emulator accepts; it only checks that some key is present. */
const OFFLINE_KEY = 'offline-emulator-key';

export class BackendManager implements vscode.Disposable {
  private emulator: Promise<RunningEmulator> | undefined;
  private emulatorUrl: string | undefined;
  private scriptLoaded: string | undefined;
  private cached: { key: string; backend: Backend } | undefined;
  /** The clock cache lifetimes run on: the emulator's virtual clock offline (services/cacheClock.ts). */
  readonly clock: EmulatorClock = new EmulatorClock(() => this.kind());
  /**
   * Which emulator cache this window's offline requests land in: a new one per window (the
   * emulator starts empty after a reload) and per reset. Part of the offline cache scope, so
   * records from an emulator that is gone never count as warm entries.
   */
  private emulatorGeneration = Date.now().toString(36);

  constructor(
    /** dist/emulatorWorker.js: the emulator runs off the main thread (its cache model tokenizes). */
    private readonly emulatorWorkerPath: string,
    private readonly keys: ApiKeyStore,
    private readonly models: ModelCatalog,
    private readonly log: Logger,
  ) {}

  kind(): 'offline' | 'anthropic' {
    const choice = readSettings().backend;
    if (choice === 'auto') return this.keys.known().length ? 'anthropic' : 'offline';
    return choice;
  }

  /** Which server-side cache requests land in: the worker keeps one cache model per scope. */
  cacheScope(): string {
    // Stored in every request record: a key inside the base URL (gateways) must not be.
    return this.kind() === 'offline' ? `offline-emulator@${this.emulatorGeneration}` : `anthropic|${this.log.redact(readSettings().baseUrl)}`;
  }

  view(): BackendView {
    const settings = readSettings();
    const hasKey = this.keys.known().length > 0;
    if (this.kind() === 'offline') {
      const where = this.emulatorUrl ? `running at ${this.emulatorUrl}` : 'starts on the first request';
      return { kind: 'offline', hasKey, detail: `Local Anthropic-compatible emulator (${where}). No key or network needed; nothing leaves this machine.` };
    }
    const url = this.log.redact(settings.baseUrl);
    const detail = hasKey ? `Requests go to ${url}.` : `No API key set: run "Prompt Cache: Set API Key" to use ${url}.`;
    return { kind: 'anthropic', hasKey, detail };
  }

  /** A backend ready to send (reused while the settings and key stay the same); starts the emulator when offline. */
  async get(): Promise<Backend> {
    const settings = readSettings();
    const offline = this.kind() === 'offline';
    const emu = offline ? await this.startEmulator() : undefined;
    if (emu) await this.applyScript(emu, settings['emulator.script']);
    const key = offline ? OFFLINE_KEY : this.keys.known()[0];
    if (!key) {
      throw new BackendFailure({ kind: 'auth', action: 'setApiKey', message: 'No Anthropic API key is set. Set one, or switch promptCacheLab.backend to "offline".' });
    }
    const baseURL = emu?.url ?? settings.baseUrl;
    const options = {
      apiKey: key,
      baseURL,
      maxRetries: settings.maxRetries,
      timeoutMs: settings.timeoutSeconds * 1000,
      diagnostics: settings.cacheDiagnostics,
      useEnvironment: !offline && settings.useAnthropicEnvironment,
    };
    // The key is part of the identity but never stored in readable form here.
    const identity = JSON.stringify({ ...options, apiKey: key.length + key.slice(-4) });
    if (this.cached?.key !== identity) {
      const { createAnthropicBackend } = await import('../backends/bundle');
      this.cached = {
        key: identity,
        backend: createAnthropicBackend({ ...options, models: this.models.live, log: (line: string) => this.log.info(line) }),
      };
    }
    return this.cached.backend;
  }

  /** The backend as the session runner sees it: kind and cache scope fixed for this request. */
  async port(): Promise<BackendPort> {
    const backend = await this.get();
    const port: BackendPort = { kind: this.kind(), cacheScope: this.cacheScope(), now: () => this.clock.now(), send: (r, h) => backend.send(r, h) };
    return port;
  }

  /** Forgets every entry the running offline emulator holds, and its clock offset (its control endpoint); false when none runs. */
  async resetEmulatorCache(): Promise<boolean> {
    if (!this.emulatorUrl) return false;
    await this.control('reset', {}, 'did not reset its cache');
    this.emulatorGeneration = Date.now().toString(36);
    this.clock.cacheChanged();
    return true;
  }

  /**
   * Moves the offline emulator's clock `seconds` ahead (starting it if needed); the host's cache
   * clock follows. Returns the emulator's total offset in ms. Rejects with the emulator's reason.
   */
  async advanceEmulatorClock(seconds: number): Promise<number> {
    if (this.kind() !== 'offline') throw new Error('the clock can only be advanced on the offline emulator (Anthropic\'s cache runs on real time)');
    await this.startEmulator();
    return this.control('clock', { advance_s: seconds }, 'did not advance its clock');
  }

  /** A control POST; mirrors the emulator's clock offset from its answer (the emulator's state). */
  private async control(what: 'reset' | 'clock', body: unknown, failed: string): Promise<number> {
    const res = await fetch(`${this.emulatorUrl}/_emulator/${what}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = (await res.json().catch(() => undefined)) as { clock_offset_s?: unknown; error?: { message?: unknown } } | undefined;
    if (!res.ok) {
      const why = typeof answer?.error?.message === 'string' ? `: ${answer.error.message}` : '';
      throw new Error(`the offline emulator ${failed} (HTTP ${res.status})${why}`);
    }
    const offsetMs = typeof answer?.clock_offset_s === 'number' ? answer.clock_offset_s * 1000 : 0;
    this.clock.set(offsetMs);
    return offsetMs;
  }

  /** The response-cache scope: the cache scope plus, offline, the script version answers come from. */
  answerScope(): string {
    // Not the emulator's generation: stored answers stay valid across reloads and resets.
    return this.kind() === 'offline' ? `offline-emulator|${this.scriptStamp}` : `${this.cacheScope()}|`;
  }

  /**
   * Loads promptCacheLab.emulator.script (workspace-relative JSON/YAML) into the emulator when the
   * setting or the file changed (edited scripts apply to the next request).
   */
  private async applyScript(emu: RunningEmulator, path: string): Promise<void> {
    const fail = (why: string) =>
      new BackendFailure({ kind: 'bad_request', action: 'openSettings', message: `The emulator script ${path} (setting promptCacheLab.emulator.script) ${why}` });
    let text: string | undefined;
    let stamp = '';
    if (path) {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const uri = folder && !/^([a-z]:)?[\\/]/i.test(path) ? vscode.Uri.joinPath(folder.uri, path) : vscode.Uri.file(path);
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        stamp = `${path}@${stat.mtime}:${stat.size}`;
        if (stamp === this.scriptLoaded) return;
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch (err) {
        throw fail(`cannot be read: ${(err as Error).message}`);
      }
    } else if (this.scriptLoaded === undefined) {
      return;
    }
    await emu.setScript(text, path || 'none').catch((err: Error) => {
      throw fail(`is not valid: ${err.message}`);
    });
    this.scriptLoaded = stamp || undefined;
    if (path) this.log.info(`offline emulator: script ${path} loaded`);
  }

  /** Which script version the emulator answers from ('' for placeholder text): part of the response-cache scope. */
  get scriptStamp(): string {
    return this.scriptLoaded ?? '';
  }

  /** Model settings changed: the running emulator prices and caches with the new table. */
  modelsChanged(): void {
    void this.emulator?.then((e) => e.setModelOverrides(readSettings().models)).catch(() => undefined);
  }

  private startEmulator(): Promise<RunningEmulator> {
    if (!this.emulator) {
      this.emulator = (async () => {
        const { startEmulatorInWorker } = await import('../backends/bundle');
        const emu = await startEmulatorInWorker(this.emulatorWorkerPath, { port: 0, modelOverrides: readSettings().models });
        this.emulatorUrl = emu.url;
        // A new emulator's clock starts at the wall clock.
        this.clock.set(0);
        this.log.info(`offline emulator listening on ${emu.url} (worker thread)`);
        return emu;
      })();
      this.emulator.catch((err: Error) => {
        this.emulator = undefined;
        this.log.error(`offline emulator failed to start: ${err.message}`);
      });
    }
    return this.emulator;
  }

  dispose(): void {
    this.clock.dispose();
    void this.emulator?.then((e) => e.close()).catch(() => undefined);
  }
}
