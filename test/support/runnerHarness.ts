// A session runner wired to real parts: the official SDK over HTTP against the emulator, the
// in-process forecaster on the sample workspace's prompts, a ledger sink that keeps records.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createAnthropicBackend } from '../../src/backends/anthropic/backend';
import { startEmulator, type EmulatorHandle } from '../../src/backends/emulator/server';
import type { EmulatorScript } from '../../src/backends/emulator/script';
import type { RequestRecord } from '../../src/core/ledger/record';
import type { BackendPort, ToolExecutor } from '../../src/core/ports';
import { createLocalForecaster } from '../../src/core/session/localForecaster';
import { Conversation } from '../../src/core/session/runner';
import type { RunnerDeps } from '../../src/core/session/runnerDeps';
import { SendSessions } from '../../src/core/session/session';

export const WORKSPACE = resolve(__dirname, '../fixtures/workspace');
export const T0 = Date.UTC(2026, 10, 30, 9, 0, 0);

export interface Harness {
  emu: EmulatorHandle;
  records: RequestRecord[];
  clock: { t: number; now(): number };
  port: BackendPort;
  deps: RunnerDeps;
  conversation(id?: string): Conversation;
  close(): Promise<void>;
}

export function emulatorPort(emu: { url: string }, cacheScope = `offline:${emu.url}`): BackendPort {
  const backend = createAnthropicBackend({ apiKey: 'offline-test-key', baseURL: emu.url, maxRetries: 0 });
  return { kind: 'offline', cacheScope, send: (r, h) => backend.send(r, h) };
}

export async function harness(opts: { prompt?: string; script?: EmulatorScript; tools?: ToolExecutor } = {}): Promise<Harness> {
  const clock = { t: T0, now: () => clock.t };
  const emu = await startEmulator({ now: () => clock.t, ...(opts.script ? { script: opts.script } : {}) });
  const records: RequestRecord[] = [];
  const path = join(WORKSPACE, opts.prompt ?? 'prompts/code-reviewer.prompt.md');
  const sessions = new SendSessions();
  const port = emulatorPort(emu);
  const h: Harness = {
    emu,
    records,
    clock,
    port,
    deps: {
      forecaster: createLocalForecaster({ promptPath: path, root: WORKSPACE, readText: () => readFile(path, 'utf8'), defaultModel: 'claude-sonnet-5', sessions }),
      backend: async () => h.port,
      ledger: { append: (r) => records.push(r) },
      clock,
      newId: randomUUID,
      sessionId: () => 'session-1',
      ...(opts.tools ? { tools: opts.tools } : {}),
    },
    conversation: (id = randomUUID()) => new Conversation(h.deps, { id, turns: 0, messages: [], lastMessageId: null }),
    close: () => emu.close(),
  };
  return h;
}
