// Chooses and owns the backend: the Anthropic API when a key is set (or forced by setting), else
// the offline emulator started in this process so the real SDK code path runs. Backend modules
// (and the SDK) are imported on first use, never at activation.
import * as vscode from 'vscode';
import type { Backend } from '../backends/types';
import type { BackendView } from '../shared/protocol';
import type { ApiKeyStore } from './apiKey';
import { readSettings } from './config';
import type { Logger } from './log';
import type { ModelCatalog } from './modelCatalog';

interface RunningEmulator {
  url: string;
  close(): Promise<void>;
}

/** The key the emulator accepts; it only checks that some key is present. */
const OFFLINE_KEY = 'offline-emulator-key';

export class BackendManager implements vscode.Disposable {
  private emulator: Promise<RunningEmulator> | undefined;
  private emulatorUrl: string | undefined;

  constructor(
    private readonly keys: ApiKeyStore,
    private readonly models: ModelCatalog,
    private readonly log: Logger,
  ) {}

  kind(): 'offline' | 'anthropic' {
    const choice = readSettings().backend;
    if (choice === 'auto') return this.keys.known().length ? 'anthropic' : 'offline';
    return choice;
  }

  view(): BackendView {
    const settings = readSettings();
    const hasKey = this.keys.known().length > 0;
    if (this.kind() === 'offline') {
      const where = this.emulatorUrl ? `running at ${this.emulatorUrl}` : 'starts on the first request';
      return { kind: 'offline', hasKey, detail: `Local Anthropic-compatible emulator (${where}). No key or network needed; nothing leaves this machine.` };
    }
    const detail = hasKey ? `Requests go to ${settings.baseUrl}.` : `No API key set: run "Prompt Cache: Set API Key" to use ${settings.baseUrl}.`;
    return { kind: 'anthropic', hasKey, detail };
  }

  /** A backend ready to send; starts the emulator when offline. */
  async get(): Promise<Backend> {
    const settings = readSettings();
    const { createAnthropicBackend } = await import('../backends/bundle');
    const common = {
      maxRetries: settings.maxRetries,
      timeoutMs: settings.timeoutSeconds * 1000,
      diagnostics: settings.cacheDiagnostics,
      models: this.models.modelTable,
      log: (line: string) => this.log.info(line),
    };
    if (this.kind() === 'offline') {
      const emu = await this.startEmulator();
      return createAnthropicBackend({ ...common, apiKey: OFFLINE_KEY, baseURL: emu.url });
    }
    const key = this.keys.known()[0];
    if (!key) throw new Error('No Anthropic API key is set. Run "Prompt Cache: Set API Key", or switch promptCacheLab.backend to "offline".');
    return createAnthropicBackend({ ...common, apiKey: key, baseURL: settings.baseUrl, useEnvironment: settings.useAnthropicEnvironment });
  }

  private startEmulator(): Promise<RunningEmulator> {
    if (!this.emulator) {
      this.emulator = (async () => {
        const { startEmulator } = await import('../backends/bundle');
        const emu = await startEmulator({ port: 0, models: this.models.modelTable });
        this.emulatorUrl = emu.url;
        this.log.info(`offline emulator listening on ${emu.url}`);
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
    void this.emulator?.then((e) => e.close()).catch(() => undefined);
  }
}
