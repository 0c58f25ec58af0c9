// The Anthropic backend (official SDK) against the emulator: streaming, usage, faults, errors.
import { strict as assert } from 'node:assert';
import type { EmulatorHandle } from '../../../src/backends/emulator/server';
import { createAnthropicBackend, type AnthropicBackendOptions } from '../../../src/backends/anthropic/backend';
import { BackendFailure } from '../../../src/backends/types';
import { createCacheSimulator } from '../../../src/core/cache/simulator';
import { createModelTable } from '../../../src/core/models/table';
import { cachedRequest, T0, TEST_KEY, withEmulator } from './helpers';

describe('backends/anthropic backend against the emulator', () => {
  let emu: EmulatorHandle;
  let lines: string[];
  const backend = (extra: Partial<AnthropicBackendOptions> = {}) =>
    createAnthropicBackend({ apiKey: TEST_KEY, baseURL: emu.url, maxRetries: 0, log: (l) => lines.push(l), ...extra });
  beforeEach(async () => {
    emu = await withEmulator();
    lines = [];
  });
  afterEach(() => emu.close());

  it('streams text and returns exact usage, timings and the request id', async () => {
    const sim = createCacheSimulator({ models: createModelTable() });
    const expected = sim.commit(cachedRequest(), T0).usage;
    const deltas: string[] = [];
    const usages: number[] = [];
    const b = backend();
    const r = await b.send(cachedRequest(), { onText: (d) => deltas.push(d), onUsage: (u) => usages.push(u.output_tokens) });
    assert.equal(r.partial, false);
    assert.equal(r.error, undefined);
    assert.equal(r.stopReason, r.usage.output_tokens >= 64 ? 'max_tokens' : 'end_turn');
    assert.equal(deltas.join(''), r.text);
    assert.ok(r.text.length > 0);
    assert.equal(r.usage.cache_creation_input_tokens, expected.cache_creation_input_tokens);
    assert.deepEqual(r.usage.cache_creation, expected.cache_creation);
    assert.equal(r.usage.input_tokens, expected.input_tokens);
    assert.deepEqual(usages, [1, r.usage.output_tokens], 'message_start then the cumulative message_delta');
    assert.ok(r.ttftMs !== null && r.ttftMs >= 0 && r.ttftMs <= r.totalMs);
    assert.match(String(r.requestId), /^req_emu_/);
    const again = await b.send(cachedRequest());
    assert.equal(again.usage.cache_read_input_tokens, expected.cache_creation_input_tokens);
    assert.equal(again.usage.cache_creation_input_tokens, 0);
  });

  it('a dropped stream keeps the partial text and the usage from message_start', async () => {
    emu.setFaults({ dropAfterEvents: 4 });
    const r = await backend().send(cachedRequest());
    assert.equal(r.partial, true);
    assert.equal(r.error?.kind, 'stream');
    assert.ok(r.text.length > 0, 'text received before the drop is kept');
    assert.ok((r.usage.cache_creation_input_tokens ?? 0) > 1024);
    assert.equal(r.stopReason, null);
  });

  it('records time to first token under a TTFT fault; a failure before the stream is not partial', async () => {
    emu.setFaults({ ttftMs: 150 });
    const r = await backend().send(cachedRequest());
    assert.ok((r.ttftMs ?? 0) >= 140, String(r.ttftMs));
    emu.setFaults({ status: 500 });
    const failed = await backend().send(cachedRequest());
    assert.equal(failed.partial, false);
    assert.equal(failed.text, '');
  });

  it('a mid-stream error event keeps the partial text and says what happened', async () => {
    emu.setFaults({ errorAfterEvents: 4, errorType: 'overloaded_error' });
    const r = await backend().send(cachedRequest());
    assert.equal(r.partial, true);
    assert.equal(r.error?.kind, 'overloaded');
    assert.match(r.error?.message ?? '', /mid-stream \(overloaded_error\).*partial answer was kept/);
    assert.ok(r.text.length > 0);
    assert.ok(r.usage.input_tokens > 0);
  });

  it('abort stops the stream and keeps what arrived', async () => {
    emu.setFaults({ eventDelayMs: 25 });
    const ctrl = new AbortController();
    const t = Date.now();
    const r = await backend().send(cachedRequest(), { signal: ctrl.signal, onText: () => ctrl.abort() });
    assert.equal(r.error?.kind, 'aborted');
    assert.equal(r.partial, true);
    assert.ok(r.text.length > 0);
    const full = await backend().send(cachedRequest());
    assert.ok(r.text.length < full.text.length, 'the stream stopped early');
    assert.ok(Date.now() - t < 1500);
  });

  it('maps statuses to actionable errors', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp, string?]> = [
      [{ status: 401 }, 'auth', /^Anthropic rejected the API key \(401\)\. Run 'Prompt Cache: Set API Key'\.$/, 'setApiKey'],
      [{ status: 429, retryAfterS: 7 }, 'rate_limit', /retry after 7 s/, 'retry'],
      [{ status: 429 }, 'spend_cap', /without retry-after: most likely a spend cap/],
      [{ status: 529 }, 'overloaded', /overloaded \(529\)/, 'retry'],
      [{ status: 500 }, 'server', /server error \(500\)/, 'retry'],
      [{ status: 413 }, 'too_large', /too large.*32 MB/],
      [{ status: 403 }, 'auth', /403/, 'setApiKey'],
    ];
    for (const [fault, kind, pattern, action] of cases) {
      emu.setFaults(fault);
      const r = await backend().send(cachedRequest());
      assert.equal(r.error?.kind, kind, JSON.stringify(fault));
      assert.match(r.error?.message ?? '', pattern);
      assert.equal(r.error?.action, action);
      assert.equal(r.error?.status, fault.status);
      assert.match(String(r.error?.requestId), /^req_emu_/);
    }
    const rl = await (async () => {
      emu.setFaults({ status: 429, retryAfterS: 7 });
      return (await backend().send(cachedRequest())).error;
    })();
    assert.equal(rl?.retryAfterS, 7);
  });

  it('a 529 is retried by the SDK first, then reported', async () => {
    emu.setFaults({ status: 529, retryAfterMs: 1, count: 2 });
    const r = await backend({ maxRetries: 1 }).send(cachedRequest());
    assert.equal(r.error?.kind, 'overloaded');
    assert.equal(emu.state().requests, 2);
    emu.setFaults({ status: 529, retryAfterMs: 1, count: 1 });
    const ok = await backend({ maxRetries: 1 }).send(cachedRequest());
    assert.equal(ok.error, undefined);
  });

  it('a 400 carries Anthropic\'s message plus what in our request caused it', async () => {
    const req = cachedRequest();
    req.messages = [{ role: 'user', content: ['a', 'b', 'c', 'd'].map((t) => ({ type: 'text' as const, text: t, cache_control: { type: 'ephemeral' as const } })) }];
    const r = await backend().send(req);
    assert.equal(r.error?.kind, 'bad_request');
    assert.match(r.error?.message ?? '', /A maximum of 4 blocks with cache_control may be provided\. Found 5\./);
    assert.match(r.error?.message ?? '', /carries 5 cache_control breakpoints \(system\[0\], messages\[0\]\.content\[0\]/);
    const temp = await backend().send({ ...cachedRequest(), temperature: 0.5 });
    assert.match(temp.error?.message ?? '', /sets temperature, which API version 2026-10-21 no longer accepts/);
  });

  it('connection refused gives a quick connection error naming the URL', async () => {
    const dead = await withEmulator();
    const url = dead.url;
    await dead.close();
    const t = Date.now();
    const r = await createAnthropicBackend({ apiKey: TEST_KEY, baseURL: url, maxRetries: 0 }).send(cachedRequest());
    assert.equal(r.error?.kind, 'connection');
    assert.equal(r.error?.action, 'openSettings');
    assert.ok(r.error?.message.includes(url), r.error?.message);
    assert.ok(Date.now() - t < 2000);
    await assert.rejects(createAnthropicBackend({ apiKey: TEST_KEY, baseURL: url, maxRetries: 0 }).countTokens(cachedRequest()), (e: unknown) => e instanceof BackendFailure && e.error.kind === 'connection');
  });

  it('an empty key fails as auth with the Set API Key action, without a request', async () => {
    const r = await backend({ apiKey: '' }).send(cachedRequest());
    assert.equal(r.error?.kind, 'auth');
    assert.equal(r.error?.action, 'setApiKey');
    assert.equal(emu.state().requests, 0);
  });

  it('countTokens agrees with the simulator', async () => {
    const sim = createCacheSimulator({ models: createModelTable() });
    assert.equal(await backend().countTokens(cachedRequest()), sim.predict(cachedRequest(), T0).totalInputTokens);
  });

  it('sends diagnostics.previous_message_id when enabled and returns cache_miss_reason', async () => {
    const b = backend({ diagnostics: true });
    const first = await b.send(cachedRequest());
    assert.equal(first.diagnostics, null, 'first turn: null');
    const changed = cachedRequest();
    changed.model = 'claude-opus-5';
    const second = await b.send(changed);
    assert.equal((emu.requests()[1]?.body as { diagnostics: { previous_message_id: string } }).diagnostics.previous_message_id, first.messageId);
    assert.equal(second.diagnostics?.cache_miss_reason?.type, 'model_changed');
    const plain = await backend().send(cachedRequest());
    assert.equal('diagnostics' in plain, false, 'not requested: absent');
  });
});
