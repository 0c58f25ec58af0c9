import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { createAnthropicBackend } from '../../../src/backends/anthropic/backend';
import { startEmulator, type EmulatorHandle } from '../../../src/backends/emulator/server';
import type { SendResult } from '../../../src/backends/types';
import { DEFAULT_MODEL_ID } from '../../../src/core/models/table';
import type { MessageParam, MessagesRequest, Usage } from '../../../src/shared/anthropic';
import type { SendPlanRequest, SendPlanResult, SendRecordRequest, SendRecordResult } from '../../../src/core/session/engineProtocol';
import { SupersededError, EngineClient } from '../../../src/node/engineClient';
import { CORPORA } from '../tokens/corpora';

const SHIM = join(__dirname, 'engineWorkerShim.cjs');
const WORKSPACE = join(__dirname, '..', '..', 'fixtures', 'workspace');
const SUPPORT = join(WORKSPACE, '.prompts', 'support-agent.md');
const SUPPORT_TEXT = readFileSync(SUPPORT, 'utf8');
/** Every tier at 5m, so ten minutes later nothing of the prompt is cached any more. */
const ALL_5M_TEXT = SUPPORT_TEXT.replace('ttl: 1h ', 'ttl: 5m ');
const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);

const Q1 = 'Where is my order AO-12345678?';
const ONE_TURN: MessageParam[] = [{ role: 'user', content: Q1 }];
const THREE_TURNS: MessageParam[] = [...ONE_TURN, { role: 'assistant', content: 'It shipped yesterday; the tracking number is 1Z999.' }, { role: 'user', content: 'Can I still return the boots in it?' }];

const planReq = (over: Partial<SendPlanRequest> = {}): SendPlanRequest => ({
  path: SUPPORT,
  text: SUPPORT_TEXT,
  root: WORKSPACE,
  modelOverrides: {},
  defaultModel: DEFAULT_MODEL_ID,
  sessionId: 'support',
  messages: ONE_TURN,
  atMs: T0,
  ...over,
});

const recordReq = (plan: SendPlanResult, usage: Usage, atMs: number, over: Partial<SendRecordRequest> = {}): SendRecordRequest => ({
  sessionId: plan.sessionId,
  request: plan.request as MessagesRequest,
  atMs,
  usage,
  modelOverrides: {},
  defaultModel: DEFAULT_MODEL_ID,
  ...over,
});

/** The usage Anthropic would report if the prediction is right, plus some output. */
const asPredicted = (plan: SendPlanResult, output = 40): Usage => ({ ...(plan.predicted?.usage as Usage), output_tokens: output });
const reads = (u: Usage | undefined) => u?.cache_read_input_tokens ?? 0;
const writes = (u: Usage | undefined) => u?.cache_creation_input_tokens ?? 0;
const tokenFields = (u: Usage | undefined) => ({
  input_tokens: u?.input_tokens,
  cache_creation_input_tokens: u?.cache_creation_input_tokens,
  cache_read_input_tokens: u?.cache_read_input_tokens,
  cache_creation: u?.cache_creation,
});

describe('node/EngineClient send sessions (real worker)', function () {
  this.timeout(60_000);
  let client: EngineClient | undefined;
  let emu: EmulatorHandle | undefined;
  afterEach(async () => {
    client?.dispose();
    client = undefined;
    await emu?.close();
    emu = undefined;
  });

  it('predicts a cold write, reads it a minute later, and explains a TTL expiry', async () => {
    client = new EngineClient(SHIM);
    const first = await client.planSend(planReq());
    assert.equal(first.error, undefined);
    assert.equal(first.sessionId, 'support');
    const u1 = first.predicted?.usage;
    assert.equal(reads(u1), 0);
    assert.ok(writes(u1) > 1024, JSON.stringify(u1));
    assert.equal(u1?.output_tokens, 0);
    // The planned body is the conversation itself, not the placeholder turn.
    assert.deepEqual(first.request?.messages.map((m) => m.role), ['user']);
    assert.equal(JSON.stringify(first.request?.messages).includes(Q1), true);
    assert.match(first.predicted?.sentence ?? '', /^Predicted: nothing cached to read, write ≈[\d,]+ \(≈[\d,]+ at 1h, ≈[\d,]+ at 5m\); ≈\$0\.0\d+ before output\.$/);
    assert.equal(first.predicted?.costExact, true);

    const r1 = await client.recordSend(recordReq(first, asPredicted(first), T0));
    assert.equal(r1.explanation.kind, 'first-request');
    assert.equal(r1.sessionLost, false);
    assert.deepEqual(r1.predictedUsage, u1);
    assert.ok((r1.cost?.total ?? 0) > (first.predicted?.costUsd ?? Infinity), 'the output tokens add to the predicted input cost');
    assert.equal(r1.cost?.hitRatio, 0);

    const second = await client.planSend(planReq({ messages: THREE_TURNS, atMs: T0 + 60_000 }));
    const u2 = second.predicted?.usage;
    assert.equal(reads(u2), writes(u1), 'reads exactly the prefix the first turn wrote');
    assert.ok(writes(u2) > 0 && writes(u2) < 200, JSON.stringify(u2));
    assert.ok((second.predicted?.costUsd ?? Infinity) < (first.predicted?.costUsd ?? 0) / 5);
    assert.match(second.predicted?.sentence ?? '', /^Predicted: read ≈[\d,]+ cached tokens, write ≈\d+ at 5m; ≈\$0\.00\d+ before output\.$/);
    const r2 = await client.recordSend(recordReq(second, asPredicted(second), T0 + 60_000));
    assert.equal(r2.explanation.kind, 'partial-hit');
    assert.ok((r2.cost?.saved ?? 0) > 0);

    // Ten minutes later the 5m entries are gone; the 1h instructions entry still holds.
    const late = T0 + 60_000 + 600_000;
    const third = await client.planSend(planReq({ messages: THREE_TURNS, atMs: late }));
    const u3 = third.predicted?.usage;
    const system1h = first.predicted?.usage.cache_creation?.ephemeral_1h_input_tokens;
    assert.equal(reads(u3), system1h);
    const r3 = await client.recordSend(recordReq(third, asPredicted(third), late));
    assert.equal(r3.explanation.kind, 'ttl-expired');
    assert.match(r3.explanation.sentence, /^The 5m cache entry \([\d,]+ tokens\) expired 5 min before this request/);
    assert.equal(r3.explanation.tokensMissed, writes(u3));
  });

  it('an actual read of 0 after ten minutes of an all-5m prompt is explained as a TTL expiry', async () => {
    client = new EngineClient(SHIM);
    const first = await client.planSend(planReq({ text: ALL_5M_TEXT }));
    await client.recordSend(recordReq(first, asPredicted(first), T0));
    const late = T0 + 600_000;
    const again = await client.planSend(planReq({ text: ALL_5M_TEXT, messages: THREE_TURNS, atMs: late }));
    assert.equal(reads(again.predicted?.usage), 0);
    const total = writes(again.predicted?.usage);
    const actual: Usage = { input_tokens: 0, output_tokens: 12, cache_read_input_tokens: 0, cache_creation_input_tokens: total, cache_creation: { ephemeral_5m_input_tokens: total, ephemeral_1h_input_tokens: 0 } };
    const r = await client.recordSend(recordReq(again, actual, late));
    assert.equal(r.explanation.kind, 'ttl-expired');
    assert.match(r.explanation.sentence, /expired 5 min before this request/);
    assert.ok((r.explanation.tokensMissed ?? 0) > 1024);
    assert.ok((r.cost?.saved ?? 0) < 0, 'rewriting costs more than sending uncached');
  });

  it("Anthropic's diagnostics win over the local explanation", async () => {
    client = new EngineClient(SHIM);
    const first = await client.planSend(planReq());
    await client.recordSend(recordReq(first, asPredicted(first), T0));
    const second = await client.planSend(planReq({ messages: THREE_TURNS, atMs: T0 + 5_000 }));
    const diagnostics = { cache_miss_reason: { type: 'messages_changed', cache_missed_input_tokens: 321 } };
    const r = await client.recordSend(recordReq(second, asPredicted(second), T0 + 5_000, { diagnostics }));
    assert.equal(r.explanation.kind, 'api-diagnostics');
    assert.equal(r.explanation.tokensMissed, 321);
    assert.match(r.explanation.sentence, /^Anthropic reports the messages changed since the previous request: 321 input tokens missed the cache\./);
  });

  it('resetSession makes the next prediction cold, in order with queued requests; other sessions keep theirs', async () => {
    const workers: Worker[] = [];
    client = new EngineClient(SHIM, { onSpawn: (w) => workers.push(w) });
    client.resetSession('support'); // no worker yet: nothing to reset, nothing started
    assert.equal(workers.length, 0);
    const first = await client.planSend(planReq());
    await client.recordSend(recordReq(first, asPredicted(first), T0));
    const other = await client.planSend(planReq({ sessionId: 'other' }));
    await client.recordSend(recordReq(other, asPredicted(other), T0));
    // Queued back to back: the warm plan is answered before the reset, the cold one after it.
    const warm = client.planSend(planReq({ messages: THREE_TURNS, atMs: T0 + 30_000 }));
    client.resetSession('support');
    const cold = client.planSend(planReq({ messages: THREE_TURNS, atMs: T0 + 30_000 }));
    assert.equal(reads((await warm).predicted?.usage), writes(first.predicted?.usage));
    assert.equal(reads((await cold).predicted?.usage), 0);
    assert.ok(writes((await cold).predicted?.usage) > writes(first.predicted?.usage));
    const stillWarm = await client.planSend(planReq({ sessionId: 'other', messages: THREE_TURNS, atMs: T0 + 30_000 }));
    assert.equal(reads(stillWarm.predicted?.usage), writes(other.predicted?.usage));
    assert.equal(workers.length, 1);
  });

  it('an unknown or unpriced model is an error result, and the worker keeps serving', async () => {
    const workers: Worker[] = [];
    client = new EngineClient(SHIM, { onSpawn: (w) => workers.push(w) });
    const unknown = await client.planSend(planReq({ text: SUPPORT_TEXT.replace('model: claude-sonnet-5', 'model: claude-nope') }));
    assert.match(unknown.error ?? '', /^No plan: .*claude-nope/);
    assert.equal(unknown.predicted, undefined);
    assert.equal(unknown.request, undefined);
    const good = await client.planSend(planReq());
    const rec = await client.recordSend(recordReq(good, asPredicted(good), T0, { request: { ...(good.request as MessagesRequest), model: 'claude-nope' } }));
    assert.equal(rec.explanation.kind, 'not-explained');
    assert.match(rec.explanation.sentence, /^Not explained, and no cost: the model is unknown: .*claude-nope/);
    assert.equal(rec.cost, undefined);
    assert.match(rec.costError ?? '', /claude-nope/);

    const unpriced = await client.planSend(planReq({ sessionId: 'mythos', text: SUPPORT_TEXT.replace('model: claude-sonnet-5', 'model: claude-mythos-5-2') }));
    assert.match(unpriced.error ?? '', /^No prices are known for claude-mythos-5-2/);
    assert.ok(unpriced.request, 'the plan itself still exists');
    assert.equal(unpriced.predicted?.costUsd, undefined);
    assert.ok(writes(unpriced.predicted?.usage) > 1024);
    assert.match(unpriced.predicted?.sentence ?? '', /; cost unknown \(No prices are known for claude-mythos-5-2 \(Claude Mythos 5\.2\): .*\)\.$/);
    const recU = await client.recordSend(recordReq(unpriced, asPredicted(unpriced), T0));
    assert.equal(recU.explanation.kind, 'first-request');
    assert.equal(recU.cost, undefined);
    assert.match(recU.costError ?? '', /^No prices are known for claude-mythos-5-2/);
    assert.match(recU.explanation.sentence, / Cost not computed: No prices are known/);

    const bad = await client.planSend(planReq({ messages: [] }));
    assert.equal(bad.error, 'No plan: the conversation must be a non-empty array of messages.');
    const badUsage = await client.recordSend(recordReq(good, { input_tokens: -3, output_tokens: 1 }, T0 + 1000));
    assert.equal(badUsage.explanation.kind, 'not-explained');
    assert.match(badUsage.explanation.sentence, /^Not explained, and no cost: the reported usage is invalid: .*input_tokens/);
    const noSession = await client.recordSend(recordReq(good, asPredicted(good), T0, { sessionId: '' }));
    assert.match(noSession.explanation.sentence, /session id must be a non-empty string/);
    assert.equal((await client.count('d', 'hello world')).rawTokens, 2);
    assert.equal(workers.length, 1);
  });

  it('a newer planSend for the same session supersedes a queued one; recordSend never is', async () => {
    client = new EngineClient(SHIM);
    const first = await client.planSend(planReq());
    const busy = client.count('d', (CORPORA.mixed as string).repeat(5));
    const stale = client.planSend(planReq({ messages: THREE_TURNS, atMs: T0 + 1000 }));
    const recorded = client.recordSend(recordReq(first, asPredicted(first), T0));
    const w = writes(first.predicted?.usage);
    const hit: Usage = { input_tokens: 0, output_tokens: 9, cache_read_input_tokens: w, cache_creation_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } };
    const recordedAgain = client.recordSend(recordReq(first, hit, T0 + 500));
    const otherSession = client.planSend(planReq({ sessionId: 'other' }));
    const latest = client.planSend(planReq({ messages: THREE_TURNS, atMs: T0 + 2000 }));
    await assert.rejects(stale, (e: Error) => e instanceof SupersededError && /^send plan for 'support' was superseded/.test(e.message));
    await busy;
    assert.equal((await recorded).explanation.kind, 'first-request');
    assert.equal((await recordedAgain).explanation.kind, 'hit');
    assert.equal(reads((await otherSession).predicted?.usage), 0);
    // Planned after both records: reads what they wrote.
    assert.equal(reads((await latest).predicted?.usage), w);
  });

  it('after a worker crash the lost session is still answered, as its first request', async () => {
    const workers: Worker[] = [];
    client = new EngineClient(SHIM, { onSpawn: (w) => workers.push(w) });
    const first = await client.planSend(planReq());
    await client.recordSend(recordReq(first, asPredicted(first), T0));
    const second = await client.planSend(planReq({ messages: THREE_TURNS, atMs: T0 + 60_000 }));
    await workers[0]?.terminate();
    const r = await client.recordSend(recordReq(second, asPredicted(second), T0 + 60_000));
    assert.equal(workers.length, 2);
    assert.equal(r.sessionLost, true);
    assert.equal(reads(r.predictedUsage), 0, 'the restarted worker predicted from an empty cache');
    assert.match(r.explanation.sentence, /The worker had no cache state for this session .* so this was explained as the session's first request\.$/);
    assert.ok(r.cost && r.cost.total > 0);
    // The restarted worker learnt from the record: the next turn is warm again.
    const next = await client.planSend(planReq({ messages: [...THREE_TURNS, { role: 'assistant', content: 'Yes.' }, { role: 'user', content: 'Great.' }], atMs: T0 + 70_000 }));
    assert.ok(reads(next.predicted?.usage) > 1024);
  });

  it('through the real emulator and SDK, the predicted usage equals the reported usage for two turns', async () => {
    emu = await startEmulator({ now: () => T0 });
    const backend = createAnthropicBackend({ apiKey: 'sk-ant-api03-TESTKEY-abcdefghijklmnopqrstuvwxyz0123456789', baseURL: emu.url, maxRetries: 0 });
    client = new EngineClient(SHIM);
    let messages: MessageParam[] = ONE_TURN;
    const kinds: string[] = [];
    for (const [turn, question] of ['', 'And can I return the boots?'].entries()) {
      if (turn > 0) emu.clock.advance(45);
      const atMs = emu.clock.nowMs();
      const plan: SendPlanResult = await client.planSend(planReq({ sessionId: 'emu', messages, atMs }));
      assert.ok(plan.request && plan.predicted, plan.error);
      const sent: SendResult = await backend.send(plan.request);
      assert.equal(sent.error, undefined);
      assert.deepEqual(tokenFields(sent.usage), tokenFields(plan.predicted.usage), `turn ${turn + 1}`);
      const rec: SendRecordResult = await client.recordSend({ sessionId: 'emu', request: plan.request, atMs, usage: sent.usage, diagnostics: sent.diagnostics, modelOverrides: {}, defaultModel: DEFAULT_MODEL_ID });
      assert.deepEqual(tokenFields(rec.predictedUsage), tokenFields(sent.usage));
      kinds.push(rec.explanation.kind);
      messages = [...messages, { role: 'assistant', content: sent.text }, { role: 'user', content: question }];
    }
    assert.deepEqual(kinds, ['first-request', 'partial-hit']);
  });
});
