// Seeding the engine's cache models from the ledger after a reload (core/session/cacheSeed.ts):
// - seed.replay: seedCaches on the MAX_SEED_RECORDS latest records of one long conversation
//   (real records: the runner against the emulator), against one forecast (plan + predict) of
//   that conversation's next turn, measured in the same run. The seed works from prefix hashes and
//   counts only, never re-tokenizing. host_ms: what the extension host spends on it (picking and
//   compacting the records, and serialising them for postMessage, as EngineClient does), goal
//   ≤ 16 ms (one frame).
// Run: node --import tsx test/bench/index.ts seed [--smoke]
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createAnthropicBackend } from '../../src/backends/anthropic/backend';
import { startEmulator } from '../../src/backends/emulator/server';
import type { RequestRecord } from '../../src/core/ledger/record';
import type { BackendPort } from '../../src/core/ports';
import { MAX_SEED_RECORDS, seedRecordsOf } from '../../src/core/session/cacheSeed';
import { seedCaches } from '../../src/core/session/engine';
import { createLocalForecaster } from '../../src/core/session/localForecaster';
import { Conversation } from '../../src/core/session/runner';
import { SendSessions } from '../../src/core/session/session';
import type { BenchOptions } from './index';

const WS = join(__dirname, '..', 'fixtures', 'workspace');
const PROMPT = join(WS, '.prompts', 'support-agent.md');
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

function median(xs: number[]): number {
  const s = Float64Array.from(xs).sort();
  return s[s.length >> 1] ?? NaN;
}

export async function run({ smoke }: BenchOptions): Promise<Array<Record<string, unknown>>> {
  const clock = { t: Date.UTC(2026, 11, 1, 9) };
  const emu = await startEmulator({ now: () => clock.t });
  const sdk = createAnthropicBackend({ apiKey: 'bench-key', baseURL: emu.url, maxRetries: 0 });
  const port: BackendPort = { kind: 'anthropic', cacheScope: `anthropic|${emu.url}`, send: (r, h) => sdk.send(r, h) };
  const records: RequestRecord[] = [];
  const text = await readFile(PROMPT, 'utf8');
  const forecaster = createLocalForecaster({ promptPath: PROMPT, root: WS, readText: async () => text, defaultModel: 'claude-sonnet-5', sessions: new SendSessions() });
  const turns = smoke ? 12 : MAX_SEED_RECORDS;
  try {
    const c = new Conversation({ forecaster, backend: async () => port, ledger: { append: (r) => records.push(r) }, clock: { now: () => clock.t }, newId: randomUUID, sessionId: () => 'bench' }, { id: 'bench', turns: 0, messages: [], lastMessageId: null });
    // Within the hour the seed looks back over: ten seconds apart.
    for (let i = 0; i < turns; i++) {
      clock.t += 10_000;
      await c.send(`Turn ${i}: where is order AO-2026${String(i).padStart(4, '0')}?`, { mode: 'chat' });
    }
    const hostMs: number[] = [];
    for (let k = 0; k < (smoke ? 2 : 15); k++) {
      const t = performance.now();
      structuredClone({ type: 'seedCaches', recordsJson: JSON.stringify(seedRecordsOf(records, clock.t)), modelOverrides: {} });
      hostMs.push(performance.now() - t);
    }
    const picked = seedRecordsOf(records, clock.t);
    const fullBlocks = records.slice(-picked.length).reduce((n, r) => n + r.shape.blocks.length, 0);
    const blocks = picked.reduce((n, r) => n + r.shape.blocks.length, 0);
    const messages = [...c.snapshot().messages, { role: 'user' as const, content: 'One more question.' }];
    const reps = smoke ? 2 : 15;
    const seedMs: number[] = [];
    const planMs: number[] = [];
    let read = 0;
    for (let k = 0; k < reps; k++) {
      const sessions = new SendSessions();
      let t = performance.now();
      const seeded = seedCaches({ records: JSON.parse(JSON.stringify(picked)) as typeof picked, modelOverrides: {} }, sessions);
      seedMs.push(performance.now() - t);
      if (seeded.replayed !== picked.length) throw new Error(`seeded ${seeded.replayed} of ${picked.length} records`);
      const fresh = createLocalForecaster({ promptPath: PROMPT, root: WS, readText: async () => text, defaultModel: 'claude-sonnet-5', sessions });
      t = performance.now();
      const planned = await fresh.plan({ conversationId: 'bench', cacheScope: port.cacheScope, messages, atMs: clock.t + 10_000 });
      planMs.push(performance.now() - t);
      read = planned.predicted?.usage.cache_read_input_tokens ?? 0;
    }
    if (read === 0) throw new Error('the seeded forecast predicted no read');
    const seed = median(seedMs);
    const plan = median(planMs);
    return [{ bench: 'seed.replay', smoke, records: picked.length, blocks_recorded: fullBlocks, blocks_sent: blocks, host_ms_median: round(median(hostMs)), seed_ms_median: round(seed), forecast_ms_median: round(plan), seed_to_forecast: round(seed / plan, 2), predicted_read: read }];
  } finally {
    await emu.close();
  }
}
