// The engine worker seeded from ledger records (real worker thread, real emulator as Anthropic's
// server): a seeded worker predicts the warm cache, and a worker that restarts is seeded again.
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { createAnthropicBackend } from '../../../src/backends/anthropic/backend';
import { startEmulator, type EmulatorHandle } from '../../../src/backends/emulator/server';
import type { RequestRecord } from '../../../src/core/ledger/record';
import type { BackendPort } from '../../../src/core/ports';
import { seedRecordsOf } from '../../../src/core/session/cacheSeed';
import type { SeedCachesRequest, SendPlanRequest } from '../../../src/core/session/engineProtocol';
import { createLocalForecaster } from '../../../src/core/session/localForecaster';
import { Conversation } from '../../../src/core/session/runner';
import type { MessagesRequest } from '../../../src/shared/anthropic';
import { EngineClient } from '../../../src/node/engineClient';
import { T0, WORKSPACE } from '../../support/runnerHarness';

const SHIM = join(__dirname, 'engineWorkerShim.cjs');
const PROMPT = join(WORKSPACE, 'prompts/code-reviewer.prompt.md');
const tokens = (u: { input_tokens: number; cache_creation_input_tokens?: number | null; cache_read_input_tokens?: number | null; cache_creation?: unknown } | undefined) =>
  u && { input: u.input_tokens, write: u.cache_creation_input_tokens, read: u.cache_read_input_tokens, split: u.cache_creation };

describe('node/EngineClient seeded from the ledger (real worker)', function () {
  this.timeout(60_000);
  const clock = { t: T0, now: () => clock.t };
  let emu: EmulatorHandle;
  let client: EngineClient | undefined;
  beforeEach(async () => {
    clock.t = T0;
    emu = await startEmulator({ now: () => clock.t });
  });
  afterEach(async () => {
    client?.dispose();
    client = undefined;
    await emu.close();
  });

  it('a worker started after a reload predicts the read the server reports, and a restarted worker is seeded again', async () => {
    const backend = createAnthropicBackend({ apiKey: 'test-key', baseURL: emu.url, maxRetries: 0 });
    const port: BackendPort = { kind: 'anthropic', cacheScope: `anthropic|${emu.url}`, send: (r, h) => backend.send(r, h) };
    const records: RequestRecord[] = [];
    const text = await readFile(PROMPT, 'utf8');
    const before = new Conversation(
      { forecaster: createLocalForecaster({ promptPath: PROMPT, root: WORKSPACE, readText: async () => text, defaultModel: 'claude-sonnet-5' }), backend: async () => port, ledger: { append: (r) => records.push(r) }, clock, newId: randomUUID, sessionId: () => 's' },
      { id: 'review', turns: 0, messages: [], lastMessageId: null },
    );
    await before.send('Review this diff: +const a = 1;', { mode: 'chat' });
    clock.t += 90_000;

    const workers: Worker[] = [];
    let asked = 0;
    const seed = (): SeedCachesRequest => (asked++, { records: seedRecordsOf(records, clock.now()), modelOverrides: {} });
    client = new EngineClient(SHIM, { onSpawn: (w) => workers.push(w), seed });
    const plan: SendPlanRequest = { path: PROMPT, text, root: WORKSPACE, modelOverrides: {}, defaultModel: 'claude-sonnet-5', sessionId: 'review', cacheScope: port.cacheScope, skipColdWarm: true, messages: [...before.snapshot().messages, { role: 'user', content: 'And this one: -let b;' }], atMs: clock.now() };
    const planned = await client.planSend(plan);
    assert.equal(asked, 1, 'seeded when the worker started');
    const sent = await backend.send(planned.request as MessagesRequest);
    assert.equal(sent.error, undefined);
    assert.ok((sent.usage.cache_read_input_tokens ?? 0) > 1000, 'the server still held the prefix');
    assert.deepEqual(tokens(planned.predicted?.usage), tokens(sent.usage));

    // The worker dies between the plan and its record: the new one is seeded before the record.
    await workers[0]?.terminate();
    const recorded = await client.recordSend({ sessionId: 'review', cacheScope: port.cacheScope, request: planned.request as MessagesRequest, atMs: plan.atMs, usage: sent.usage, modelOverrides: {}, defaultModel: 'claude-sonnet-5' });
    assert.equal(workers.length, 2);
    assert.equal(asked, 2);
    assert.equal(recorded.sessionLost, true);
    assert.equal(recorded.explanation.kind, 'partial-hit', recorded.explanation.sentence);
    assert.match(recorded.explanation.sentence, /rebuilt from the ledger's recent records/);
    assert.doesNotMatch(recorded.explanation.sentence, /first request/);

    // The ledger loaded after the start: seeding again keeps what the worker learnt since.
    client.seed();
    const again = await client.planSend({ ...plan, messages: [...plan.messages, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'more' }], atMs: clock.now() + 30_000 });
    assert.equal(asked, 3);
    const prefix = (sent.usage.cache_read_input_tokens ?? 0) + (sent.usage.cache_creation_input_tokens ?? 0);
    assert.equal(again.predicted?.usage.cache_read_input_tokens, prefix, 'reads all the recorded request wrote, the seed merged under it');
  });

  it('a seed that throws leaves the worker serving, cold', async () => {
    client = new EngineClient(SHIM, { seed: () => { throw new Error('ledger unreadable'); } });
    const text = await readFile(PROMPT, 'utf8');
    const planned = await client.planSend({ path: PROMPT, text, root: WORKSPACE, modelOverrides: {}, defaultModel: 'claude-sonnet-5', sessionId: 's', cacheScope: 'anthropic|x', skipColdWarm: true, messages: [{ role: 'user', content: 'hi' }], atMs: clock.now() });
    assert.equal(planned.error, undefined);
    assert.equal(planned.predicted?.usage.cache_read_input_tokens, 0);
  });
});
