// A window reload against a cache that outlives it: the emulator stands in for Anthropic's server
// (kept alive across the "reload"), two send-session instances stand for the engine worker before
// and after, and the records pass through a real ledger file in between, as in the extension.
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAnthropicBackend } from '../../../src/backends/anthropic/backend';
import { startEmulator, type EmulatorHandle } from '../../../src/backends/emulator/server';
import type { RequestRecord, UsageBucketsView } from '../../../src/core/ledger/record';
import type { BackendKind, BackendPort } from '../../../src/core/ports';
import { compactShape, MAX_SEED_RECORDS, SEED_WINDOW_MS, seededScopes, seedRecordsOf, type SeedRecord } from '../../../src/core/session/cacheSeed';
import { seedCaches } from '../../../src/core/session/engine';
import { createModelTable } from '../../../src/core/models/table';
import { createLocalForecaster } from '../../../src/core/session/localForecaster';
import { Conversation, type ConversationSnapshot } from '../../../src/core/session/runner';
import { SendSessions } from '../../../src/core/session/session';
import { createLedgerFile, type LedgerFile } from '../../../src/node/ledgerFile';
import { loadLedger } from '../../../src/node/ledgerLoad';
import { T0, WORKSPACE } from '../../support/runnerHarness';

/** Every tier at 5m (the prompt says so): six minutes without a request and nothing is cached. */
const PROMPT = join(WORKSPACE, 'prompts/code-reviewer.prompt.md');
const MINUTE = 60_000;

const inputSide = (b: UsageBucketsView | undefined) => b && { input: b.input, cacheWrite5m: b.cacheWrite5m, cacheWrite1h: b.cacheWrite1h, cacheRead: b.cacheRead };

describe('core/session seeding the cache models from the ledger after a reload', function () {
  this.timeout(60_000);
  const clock = { t: T0, now: () => clock.t };
  let emu: EmulatorHandle;
  let dir: string;
  let ledger: LedgerFile;
  const made: RequestRecord[] = [];

  beforeEach(async () => {
    clock.t = T0;
    made.length = 0;
    emu = await startEmulator({ now: () => clock.t });
    dir = await mkdtemp(join(tmpdir(), 'pcl-seed-'));
    ledger = createLedgerFile({ path: join(dir, 'ledger.jsonl') });
  });
  afterEach(async () => {
    await ledger.close();
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  const portTo = (server: { url: string }, kind: BackendKind, cacheScope: string): BackendPort => {
    const backend = createAnthropicBackend({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 });
    return { kind, cacheScope, send: (r, h) => backend.send(r, h) };
  };

  /** One window: its own send sessions (the engine worker), the same ledger file. */
  const openWindow = (port: BackendPort, sessions = new SendSessions()) => {
    const forecaster = createLocalForecaster({ promptPath: PROMPT, root: WORKSPACE, readText: () => readFile(PROMPT, 'utf8'), defaultModel: 'claude-sonnet-5', sessions });
    const deps = {
      forecaster,
      backend: async () => port,
      ledger: { append: (r: RequestRecord) => (made.push(r), ledger.append(r)) },
      clock,
      newId: randomUUID,
      sessionId: () => 'session-1',
    };
    return { sessions, forecaster, conversation: (restored: ConversationSnapshot) => new Conversation(deps, restored) };
  };

  /** What a reload reads back: the ledger file, as LedgerService loads it. */
  const reloadLedger = async (): Promise<RequestRecord[]> => {
    await ledger.flush();
    const out: RequestRecord[] = [];
    await loadLedger(join(dir, 'ledger.jsonl'), (r) => out.push(r));
    return out;
  };

  /** A new engine, seeded as the host seeds it (cacheSeed.seedRecordsOf on the cache clock, then the worker's seedCaches). */
  const seededSessions = async () => {
    const sessions = new SendSessions();
    const records = seedRecordsOf(await reloadLedger(), clock.now());
    // The records cross to the worker by structured clone.
    const seeded = seedCaches(structuredClone({ records, modelOverrides: {} }), sessions);
    return { sessions, records, seeded };
  };

  const lastMade = () => made[made.length - 1] as RequestRecord;

  it("after a reload the first request is predicted as Anthropic's cache answers it: a read of what was written before", async () => {
    const port = portTo(emu, 'anthropic', `anthropic|${emu.url}`);
    const before = openWindow(port).conversation({ id: 'review-1', turns: 0, messages: [], lastMessageId: null });
    await before.send('Review this diff: +const a = 1;', { mode: 'chat' });
    clock.t += MINUTE;
    await before.send('And this one: -let b;', { mode: 'chat' });
    const written = lastMade();
    assert.ok(written.buckets.cacheRead > 0 && written.buckets.cacheWrite5m > 0);

    // Reload two minutes later: the conversation comes back from its transcript, the worker is new.
    clock.t += 2 * MINUTE;
    const restored = before.snapshot();
    const cold = openWindow(port);
    const unseeded = await cold.forecaster.plan({ conversationId: restored.id, cacheScope: port.cacheScope, messages: [...restored.messages, { role: 'user', content: 'Last one: +x++' }], atMs: clock.now() });
    assert.equal(unseeded.predicted?.usage.cache_read_input_tokens, 0, 'without seeding the worker predicts a cold cache');

    const { sessions, records, seeded } = await seededSessions();
    assert.equal(records.length, 2);
    assert.deepEqual(seeded, { scopes: 1, replayed: 2, skipped: 0 });
    const after = openWindow(port, sessions).conversation(restored);
    await after.send('Last one: +x++', { mode: 'chat' });
    const first = lastMade();
    assert.equal(first.outcome, 'ok');
    assert.ok(first.buckets.cacheRead >= written.buckets.cacheRead + written.buckets.cacheWrite5m, 'the server read the prefix written before the reload');
    assert.deepEqual(inputSide(first.predicted?.buckets), inputSide(first.buckets), 'predicted exactly what the server reported');
    assert.equal(first.explanation?.kind, 'partial-hit', first.explanation?.sentence);
    assert.doesNotMatch(first.explanation?.sentence ?? '', /first request/i);
  });

  it('a reload after the TTL ran out predicts the miss the server reports, and names the expiry', async () => {
    const port = portTo(emu, 'anthropic', `anthropic|${emu.url}`);
    const before = openWindow(port).conversation({ id: 'review-2', turns: 0, messages: [], lastMessageId: null });
    await before.send('Review this diff: +const a = 1;', { mode: 'chat' });
    clock.t += 2 * MINUTE;
    const { sessions } = await seededSessions();
    // The clock moves past the 5m TTL before the first request of the new window.
    clock.t += 6 * MINUTE;
    const after = openWindow(port, sessions).conversation(before.snapshot());
    await after.send('And this one: -let b;', { mode: 'chat' });
    const late = lastMade();
    assert.equal(late.buckets.cacheRead, 0, 'the server cache expired');
    assert.deepEqual(inputSide(late.predicted?.buckets), inputSide(late.buckets));
    assert.equal(late.explanation?.kind, 'ttl-expired', late.explanation?.sentence);
    assert.match(late.explanation?.sentence ?? '', /^The 5m cache entry \([\d,]+ tokens\) expired 3 min before this request/);

    // A reload more than an hour after the last request seeds nothing: no entry can be left.
    clock.t += SEED_WINDOW_MS + MINUTE;
    const stale = await seededSessions();
    assert.deepEqual(stale.records, []);
  });

  it("offline-emulator scopes are not seeded: a new window's emulator starts empty", async () => {
    const scope1 = 'offline-emulator@gen1';
    const before = openWindow(portTo(emu, 'offline', scope1)).conversation({ id: 'review-3', turns: 0, messages: [], lastMessageId: null });
    await before.send('Review this diff: +const a = 1;', { mode: 'chat' });
    clock.t += MINUTE;
    const loaded = await reloadLedger();
    assert.deepEqual(seedRecordsOf(loaded, clock.now()), [], 'the host hands over no offline record');
    // Even handed over, the worker does not seed them (the scope's emulator is gone).
    const sessions = new SendSessions();
    assert.deepEqual(seedCaches({ records: loaded, modelOverrides: {} }, sessions), { scopes: 0, replayed: 0, skipped: 1 });

    const next = await startEmulator({ now: () => clock.t });
    try {
      const after = openWindow(portTo(next, 'offline', 'offline-emulator@gen2'), sessions).conversation(before.snapshot());
      await after.send('And this one: -let b;', { mode: 'chat' });
      const first = lastMade();
      assert.equal(first.buckets.cacheRead, 0, "the new window's emulator is cold");
      assert.deepEqual(inputSide(first.predicted?.buckets), inputSide(first.buckets));
    } finally {
      await next.close();
    }
    const old = openWindow(portTo(emu, 'offline', scope1), sessions);
    const again = await old.forecaster.plan({ conversationId: 'other', cacheScope: scope1, messages: [{ role: 'user', content: 'x' }], atMs: clock.now() });
    assert.equal(again.predicted?.usage.cache_read_input_tokens, 0, 'nothing was seeded into the old generation either');
  });

  it('seeding is bounded, idempotent and skips what it cannot use without throwing', async () => {
    const port = portTo(emu, 'anthropic', `anthropic|${emu.url}`);
    const c = openWindow(port).conversation({ id: 'review-4', turns: 0, messages: [], lastMessageId: null });
    await c.send('Review this diff: +const a = 1;', { mode: 'chat' });
    const [good] = await reloadLedger();
    assert.ok(good);

    const many = Array.from({ length: MAX_SEED_RECORDS + 50 }, (_, i) => ({ ...good, id: `r${i}`, atMs: good.atMs - i * 1000 }));
    const picked = seedRecordsOf(many, clock.now());
    assert.equal(picked.length, MAX_SEED_RECORDS);
    assert.equal(picked[picked.length - 1]?.atMs, good.atMs, 'the latest are kept, in time order');
    assert.ok(picked.every((r, i) => i === 0 || (picked[i - 1] as RequestRecord).atMs <= r.atMs));
    assert.equal(JSON.stringify(picked).includes('"prompt"'), false, 'only what the replay reads crosses to the worker');

    const sessions = new SendSessions();
    const bad: unknown[] = [null, 42, 'x', {}, { ...good, shape: { blocks: 'no' } }, { ...good, buckets: { input: -1 } }, { ...good, atMs: Number.NaN }, { ...good, model: 'no-such-model' }, { ...good, outcome: 'failed' }];
    assert.deepEqual(seedCaches({ records: [...bad, good] as SeedRecord[], modelOverrides: {} }, sessions), { scopes: 1, replayed: 1, skipped: bad.length });
    assert.deepEqual(seedCaches({ records: 'not a list' } as never, sessions), { scopes: 0, replayed: 0, skipped: 0 });
    assert.deepEqual(seedCaches(undefined as never, sessions), { scopes: 0, replayed: 0, skipped: 0 });
    // Seeding again (the ledger loaded after the worker started) predicts the same.
    const predict = async () => (await openWindow(port, sessions).forecaster.plan({ conversationId: 'review-4', cacheScope: port.cacheScope, messages: [...c.snapshot().messages, { role: 'user', content: 'next' }], atMs: clock.now() + MINUTE })).predicted?.usage;
    const once = await predict();
    seedCaches({ records: [good, good], modelOverrides: {} }, sessions);
    assert.deepEqual(await predict(), once);
    assert.ok((once?.cache_read_input_tokens ?? 0) > 0);
  });

  it('the compacted shapes sent to the worker replay to exactly the entries of the full shapes', async () => {
    const port = portTo(emu, 'anthropic', `anthropic|${emu.url}`);
    await openWindow(port).conversation({ id: 'review-5', turns: 0, messages: [], lastMessageId: null }).send('Review this diff: +const a = 1;', { mode: 'chat' });
    const [good] = await reloadLedger();
    assert.ok(good);
    // A long tool loop: the conversation grows by 19 blocks a step (the previous entry is found at
    // the far end of the look-back), with an anchor 25 blocks before the last breakpoint and a 1h
    // breakpoint on the first block.
    const base = good.shape.blocks;
    const long: RequestRecord[] = Array.from({ length: 40 }, (_, i) => {
      const blocks = [...base, ...Array.from({ length: 19 * i + 3 }, (_, k) => ({ tier: 'conversation' as const, tokens: 40 + (k % 13), prefixHash: `conv.${k}` }))];
      const last = blocks.length - 1;
      const tokens = blocks.reduce((n, b) => n + b.tokens, 0);
      const breakpoints = [{ blockIndex: 0, ttl: '1h' as const }, ...(last > 30 ? [{ blockIndex: last - 25, ttl: '5m' as const }] : []), { blockIndex: last, ttl: '5m' as const }];
      return { ...good, id: `l${i}`, atMs: good.atMs + i * 20_000, buckets: { ...good.buckets, input: tokens - 2000, cacheWrite5m: 1000, cacheWrite1h: 0, cacheRead: 1000 }, shape: { blocks, breakpoints } };
    });
    const models = createModelTable();
    const view = (records: SeedRecord[]) => [...(seededScopes(records, models).entries.get(port.cacheScope) ?? [])].map(({ blockIndex: _at, ...e }) => e).sort((a, b) => a.key.localeCompare(b.key));
    const full = view(long);
    const sent = seedRecordsOf(long, good.atMs + 40 * 20_000);
    assert.equal(sent.length, long.length);
    const [lastSent, lastFull] = [sent[sent.length - 1], long[long.length - 1]];
    assert.ok(lastSent && lastFull && lastSent.shape.blocks.length <= 3 * 20 + 3 && lastFull.shape.blocks.length > 250, 'a long shape shrinks to its look-back windows');
    assert.ok(full.length > 3);
    assert.deepEqual(view(sent), full);
    assert.deepEqual(compactShape({ blocks: [], breakpoints: [{ blockIndex: 5, ttl: '5m' }] }), { blocks: [], breakpoints: [] }, 'a breakpoint past the blocks is dropped');
  });
});
