import { strict as assert } from 'node:assert';
import { createModelTable } from '../../../src/core/models/table';
import { MAX_SESSIONS, SendSessions } from '../../../src/core/session/session';
import { badSendPlan, badSendRecord } from '../../../src/core/session/validate';
import { approxUsd, predictionSentence } from '../../../src/core/session/wording';
import type { SendPlanRequest, SendRecordRequest } from '../../../src/core/session/engineProtocol';
import type { MessagesRequest, Usage } from '../../../src/shared/anthropic';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);
const LONG_SYSTEM = 'You are a careful support agent for the Acme product line. '.repeat(200);
const models = createModelTable();

function request(question = 'Hello?'): MessagesRequest {
  return {
    model: 'claude-sonnet-5',
    max_tokens: 64,
    system: [{ type: 'text', text: LONG_SYSTEM, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: question }],
  };
}

const record = (sessionId: string, usage: Usage, atMs: number, over: Partial<SendRecordRequest> = {}): SendRecordRequest => ({
  sessionId,
  request: request(),
  atMs,
  usage,
  modelOverrides: {},
  defaultModel: 'claude-sonnet-5',
  ...over,
});

const out = (u: Usage, output = 10): Usage => ({ ...u, output_tokens: output });

describe('session/SendSessions', () => {
  it('predicts from the session history and keeps sessions apart', () => {
    const s = new SendSessions();
    const cold = s.predict('a', request(), T0, models);
    const w = cold.usage.cache_creation_input_tokens ?? 0;
    assert.ok(w > 1024);
    assert.deepEqual(cold.usage.cache_creation, { ephemeral_5m_input_tokens: w, ephemeral_1h_input_tokens: 0 });
    // Predicting commits nothing: the same prediction again is still cold.
    assert.deepEqual(s.predict('a', request(), T0 + 1000, models).usage, cold.usage);
    s.record(record('a', out(cold.usage), T0), models);
    const warm = s.predict('a', request(), T0 + 1000, models);
    assert.equal(warm.usage.cache_read_input_tokens, w);
    assert.equal(s.predict('b', request(), T0 + 1000, models).usage.cache_read_input_tokens, 0);
    assert.ok((warm.costUsd ?? Infinity) < (cold.costUsd ?? 0) / 5);
  });

  it('a request sent before the previous response began is explained as concurrent', () => {
    const s = new SendSessions();
    const cold = s.predict('a', request(), T0, models);
    s.record(record('a', out(cold.usage), T0, { responseStartedAtMs: T0 + 3000 }), models);
    const r = s.record(record('a', out(cold.usage), T0 + 1000), models);
    assert.equal(r.explanation.kind, 'concurrent');
    assert.match(r.explanation.sentence, /^Sent 2 s before the response that writes this prefix began/);
    assert.equal(r.explanation.tokensMissed, cold.usage.cache_creation_input_tokens);
    assert.deepEqual(r.predictedUsage, cold.usage);
  });

  it('prices with the latest model table (a changed setting applies to a running session)', () => {
    const s = new SendSessions();
    const cold = s.predict('a', request(), T0, models);
    const base = models.resolve('claude-sonnet-5').prices;
    const double = { input: 2 * base.input, write5m: 2 * base.write5m, write1h: 2 * base.write1h, read: 2 * base.read, output: 2 * base.output };
    const doubled = createModelTable([{ id: 'claude-sonnet-5', sourceName: 'test', prices: double }]);
    const r = s.record(record('a', out(cold.usage, 0), T0), doubled);
    assert.equal(r.cost?.total, 2 * (cold.costUsd ?? 0));
  });

  it(`keeps at most ${MAX_SESSIONS} sessions, dropping the least recently used`, () => {
    const s = new SendSessions();
    const cold = s.predict('s0', request(), T0, models);
    for (let i = 0; i < MAX_SESSIONS; i++) s.record(record(`s${i}`, out(cold.usage), T0), models);
    assert.equal(s.has('s0'), true); // touches s0: s1 is now the oldest
    s.predict('new', request(), T0, models);
    assert.equal(s.has('s1'), false);
    assert.equal(s.has('s0'), true);
    const r = s.record(record('s1', out(cold.usage), T0 + 1000), models);
    assert.equal(r.sessionLost, true);
    assert.equal(r.explanation.kind, 'first-request');
    assert.match(r.explanation.sentence, /The worker had no cache state for this session/);
  });

  it('reset forgets the session', () => {
    const s = new SendSessions();
    const cold = s.predict('a', request(), T0, models);
    s.record(record('a', out(cold.usage), T0), models);
    s.reset('a');
    assert.equal(s.has('a'), false);
    assert.equal(s.predict('a', request(), T0 + 1000, models).usage.cache_read_input_tokens, 0);
  });

  it('a request without a model falls back to the default model', () => {
    const s = new SendSessions();
    const cold = s.predict('a', request(), T0, models);
    const { model: _m, ...noModel } = request();
    const r = s.record(record('a', out(cold.usage), T0, { request: noModel as MessagesRequest }), models);
    assert.equal(r.explanation.kind, 'first-request');
    assert.ok(r.cost && r.cost.total > 0);
  });
});

describe('session/wording', () => {
  it('formats approximate dollars', () => {
    assert.equal(approxUsd(0.0041234), '$0.0041');
    assert.equal(approxUsd(0.015514), '$0.016');
    assert.equal(approxUsd(1.234), '$1.23');
    assert.equal(approxUsd(0), '$0');
  });

  it('words the forecast', () => {
    const u: Usage = { input_tokens: 12, output_tokens: 0, cache_read_input_tokens: 12480, cache_creation_input_tokens: 340, cache_creation: { ephemeral_5m_input_tokens: 340, ephemeral_1h_input_tokens: 0 } };
    assert.equal(predictionSentence(u, 0.0041), 'Predicted: read ≈12,480 cached tokens, write ≈340 at 5m, ≈12 uncached; ≈$0.0041 before output.');
    const none: Usage = { input_tokens: 900, output_tokens: 0 };
    assert.equal(predictionSentence(none, undefined, 'No prices are known for x (X): none. Add them.'), 'Predicted: nothing cached to read, nothing new to write, ≈900 uncached; cost unknown (No prices are known for x (X): none).');
  });
});

describe('session/validate', () => {
  const plan = { sessionId: 's', atMs: T0, messages: [{ role: 'user', content: 'hi' }] } as SendPlanRequest;
  it('accepts a good request and names the bad field', () => {
    assert.equal(badSendPlan(plan), undefined);
    assert.equal(badSendPlan({ ...plan, atMs: Number.NaN }), 'atMs must be a finite number, got null');
    assert.equal(badSendPlan({ ...plan, messages: [{ role: 'tool', content: 'x' }] as never }), "message 0 must have role 'user' or 'assistant' and string or block-array content");
    assert.equal(badSendRecord(record('s', { input_tokens: 1, output_tokens: 1 }, T0)), undefined);
    assert.equal(badSendRecord({ ...record('s', { input_tokens: 1, output_tokens: 1 }, T0), request: null as never }), 'the sent request must be an object with a messages array');
    assert.equal(badSendRecord(record('s', { input_tokens: 1, output_tokens: 1 }, T0, { responseStartedAtMs: 'soon' as never })), 'responseStartedAtMs must be a finite number, got "soon"');
  });
});
