// Session runner budgets (design "Performance budgets"):
// - session.turn_overhead: the runner's own time per turn (plan, forecast, record: everything but
//   the request itself, whose time inside backend.send is subtracted) in a 200-turn conversation
//   with the support agent against the in-process emulator; goal ≤ 3 ms median.
// - soak: 2,000 turns (chat and agent, 20-turn conversations) against the emulator in one process;
//   heap growth after warm-up < 30 MB.
// Run: node --expose-gc --import tsx test/bench/index.ts session [--smoke]
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createAnthropicBackend } from '../../src/backends/anthropic/backend';
import { startEmulator } from '../../src/backends/emulator/server';
import type { BackendPort, ToolExecutor } from '../../src/core/ports';
import { createLocalForecaster } from '../../src/core/session/localForecaster';
import { Conversation } from '../../src/core/session/runner';
import type { RunnerDeps } from '../../src/core/session/runnerDeps';
import { SendSessions } from '../../src/core/session/session';
import type { BenchOptions } from './index';

const WS = join(__dirname, '..', 'fixtures', 'workspace');
const PROMPT = join(WS, '.prompts', 'support-agent.md');
const MB = 1024 * 1024;
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

function median(xs: number[]): number {
  const s = Float64Array.from(xs).sort();
  return s[s.length >> 1] ?? NaN;
}

const tools: ToolExecutor = {
  definitions: () => [{ name: 'read_file', description: 'Read a workspace file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } }],
  run: async () => ({ content: 'the file says: returns within 30 days', isError: false }),
};

async function setup(clock: { t: number }, script?: NonNullable<Parameters<typeof startEmulator>[0]>['script']) {
  const emu = await startEmulator({ now: () => clock.t, ...(script ? { script } : {}) });
  const sdk = createAnthropicBackend({ apiKey: 'bench-key', baseURL: emu.url, maxRetries: 0 });
  let sendMs = 0;
  const port: BackendPort = {
    kind: 'offline',
    cacheScope: 'bench',
    send: async (r, h) => {
      const t = performance.now();
      try {
        return await sdk.send(r, h);
      } finally {
        sendMs += performance.now() - t;
      }
    },
  };
  const sessions = new SendSessions();
  const deps: RunnerDeps = {
    forecaster: createLocalForecaster({ promptPath: PROMPT, root: WS, readText: () => readFile(PROMPT, 'utf8'), defaultModel: 'claude-sonnet-5', sessions }),
    backend: async () => port,
    ledger: { append: () => undefined },
    tools,
    clock: { now: () => clock.t },
    newId: randomUUID,
    sessionId: () => 'bench',
  };
  return { emu, deps, sendMs: () => sendMs, resetSend: () => (sendMs = 0) };
}

async function turnOverhead(smoke: boolean): Promise<Record<string, unknown>> {
  const clock = { t: Date.UTC(2026, 11, 1, 9) };
  const s = await setup(clock);
  const turns = smoke ? 12 : 200;
  const own: number[] = [];
  try {
    const c = new Conversation(s.deps, { id: randomUUID(), turns: 0, messages: [], lastMessageId: null });
    for (let i = 0; i < turns; i++) {
      clock.t += 30_000;
      s.resetSend();
      const t = performance.now();
      await c.send(`Turn ${i}: where is order AO-2026${String(i).padStart(4, '0')}?`, { mode: 'chat' });
      own.push(performance.now() - t - s.sendMs());
    }
  } finally {
    await s.emu.close();
  }
  const late = own.slice(Math.floor(own.length / 2));
  const m = median(late);
  return { name: 'session.turn_overhead', smoke, turns, median_ms: round(m), median_ms_first_half: round(median(own.slice(0, Math.floor(own.length / 2)))), target_ms: 3, met: m <= 3 };
}

async function soak(smoke: boolean): Promise<Record<string, unknown>> {
  const clock = { t: Date.UTC(2026, 11, 1, 9) };
  // Agent turns call one tool and then answer; chat turns get placeholder text.
  const toolTurn = { content: [{ type: 'tool_use' as const, name: 'read_file', input: { path: 'docs/faq.md' } }] };
  const answer = { content: [{ type: 'text' as const, text: 'Returns are accepted within 30 days.' }] };
  const s = await setup(clock, { turns: Array.from({ length: 10_000 }, (_, i) => (i % 2 ? answer : toolTurn)) });
  const total = smoke ? 60 : 2000;
  const perConversation = 20;
  const heap: number[] = [];
  let done = 0;
  try {
    while (done < total) {
      const c = new Conversation(s.deps, { id: randomUUID(), turns: 0, messages: [], lastMessageId: null });
      for (let i = 0; i < perConversation && done < total; i++, done++) {
        clock.t += 20_000;
        await c.send(`question ${done}`, { mode: done % 4 === 0 ? 'agent' : 'chat' });
      }
      if (done === perConversation * 5 || done >= total) {
        gc();
        heap.push(process.memoryUsage().heapUsed);
      }
    }
  } finally {
    await s.emu.close();
  }
  const growth = ((heap[heap.length - 1] ?? 0) - (heap[0] ?? 0)) / MB;
  return { name: 'soak', smoke, turns: total, heap_after_warmup_mb: round((heap[0] ?? 0) / MB, 1), heap_end_mb: round((heap[heap.length - 1] ?? 0) / MB, 1), growth_mb: round(growth, 1), target_mb: 30, met: growth < 30 };
}

export async function run(opts: BenchOptions): Promise<Array<Record<string, unknown>>> {
  return [await turnOverhead(opts.smoke), await soak(opts.smoke)];
}
