// The emulator's validation and control endpoints over raw HTTP (no SDK in between).
import { strict as assert } from 'node:assert';
import type { EmulatorHandle } from '../../../src/backends/emulator/server';
import { cachedRequest, rawPost, TEST_KEY, withEmulator } from './helpers';

const V1 = { 'anthropic-version': '2026-10-21' };

describe('backends/emulator over raw HTTP', () => {
  let emu: EmulatorHandle;
  let messages: string;
  beforeEach(async () => {
    emu = await withEmulator();
    messages = `${emu.url}/v1/messages`;
  });
  afterEach(() => emu.close());

  const post = (body: unknown, headers: Record<string, string> = { 'x-api-key': TEST_KEY, ...V1 }, url = messages) =>
    rawPost(url, typeof body === 'string' ? body : JSON.stringify(body), headers);

  it('accepts both x-api-key and Authorization: Bearer', async () => {
    assert.equal((await post(cachedRequest(), { 'x-api-key': TEST_KEY, ...V1 })).status, 200);
    assert.equal((await post(cachedRequest(), { authorization: `Bearer ${TEST_KEY}`, ...V1 })).status, 200);
  });

  it('a missing or empty key is a 401 authentication_error in Anthropic\'s error shape with request_id', async () => {
    for (const headers of [{ ...V1 }, { 'x-api-key': '  ', ...V1 }, { authorization: 'Bearer ', ...V1 }]) {
      const r = await post(cachedRequest(), headers);
      assert.equal(r.status, 401);
      assert.equal(r.json.type, 'error');
      assert.equal((r.json.error as { type: string }).type, 'authentication_error');
      assert.match(String(r.json.request_id), /^req_emu_/);
      assert.equal(r.headers.get('request-id'), r.json.request_id);
    }
  });

  it('rejects what the API rejects, each with a 400 invalid_request_error', async () => {
    const cases: Array<[unknown, RegExp, Record<string, string>?]> = [
      ['{"model": ', /not valid JSON/],
      ['[1,2]', /JSON object/],
      [{ ...cachedRequest(), max_tokens: undefined }, /^max_tokens: Field required$/],
      [{ ...cachedRequest(), max_tokens: -1 }, /max_tokens/],
      [{ ...cachedRequest(), messages: undefined }, /^messages: Field required$/],
      [{ ...cachedRequest(), messages: [] }, /messages/],
      [{ ...cachedRequest(), messages: [{ role: 'robot', content: 'x' }] }, /messages\.0\.role/],
      [{ ...cachedRequest(), temperature: 0.2 }, /temperature/],
      [{ ...cachedRequest(), top_k: 5 }, /top_k/],
      [{ ...cachedRequest(), messages: [{ role: 'user', content: [{ type: 'text', text: '', cache_control: { type: 'ephemeral' } }] }] }, /cannot be set for empty text blocks/],
      [{ ...cachedRequest(), messages: [{ role: 'user', content: [{ type: 'text', text: 'q', cache_control: { type: 'ephemeral', ttl: '1h' } }] }] }, /1-hour cache entry must appear before/],
      [{ ...cachedRequest(), max_tokens: 0, tool_choice: { type: 'any' } }, /max_tokens: 0/],
      [cachedRequest(), /anthropic-version/, { 'x-api-key': TEST_KEY }],
    ];
    for (const [body, pattern, headers] of cases) {
      const r = await post(body, headers);
      const err = r.json.error as { type: string; message: string };
      assert.equal(r.status, 400, `${JSON.stringify(body).slice(0, 60)} -> ${r.status} ${err?.message}`);
      assert.equal(err.type, 'invalid_request_error');
      assert.match(err.message, pattern);
    }
  });

  it('accepts temperature under the older API version (only 2026-10-21 removed it)', async () => {
    const r = await post({ ...cachedRequest(), temperature: 0.2 }, { 'x-api-key': TEST_KEY, 'anthropic-version': '2023-06-01' });
    assert.equal(r.status, 200);
  });

  it('answers count_tokens with {input_tokens} and no max_tokens needed', async () => {
    const { max_tokens: _m, ...body } = cachedRequest();
    const r = await post(body, undefined, `${messages}/count_tokens`);
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json), ['input_tokens']);
    assert.ok((r.json.input_tokens as number) > 2000);
  });

  it('applies faults set over HTTP to the next N requests, with retry-after and the 529 shape', async () => {
    const set = await post({ faults: [{ status: 529, count: 2 }, { status: 429, retryAfterS: 7 }] }, {}, `${emu.url}/_emulator/faults`);
    assert.equal(set.status, 200);
    assert.equal(set.json.faults_pending, 3);
    for (let i = 0; i < 2; i++) {
      const r = await post(cachedRequest());
      assert.equal(r.status, 529);
      assert.deepEqual(r.json.error, { type: 'overloaded_error', message: 'Overloaded' });
    }
    const limited = await post(cachedRequest());
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '7');
    assert.equal((await post(cachedRequest())).status, 200);
  });

  it('rejects a bad fault with a 400 naming the field, and unknown routes with 404', async () => {
    const bad = await post({ status: 'x' }, {}, `${emu.url}/_emulator/faults`);
    assert.equal(bad.status, 400);
    assert.match((bad.json.error as { message: string }).message, /faults\[0\]\.status/);
    const typo = await post({ statuss: 500 }, {}, `${emu.url}/_emulator/faults`);
    assert.match((typo.json.error as { message: string }).message, /statuss: unknown field/);
    const nf = await post({}, {}, `${emu.url}/v1/nothing`);
    assert.equal(nf.status, 404);
    assert.equal((nf.json.error as { type: string }).type, 'not_found_error');
  });

  it('moves the virtual clock, lists entries, and resets', async () => {
    await post(cachedRequest());
    const state = await fetch(`${emu.url}/_emulator/state`);
    assert.ok(state.headers.get('request-id'));
    const s = (await state.json()) as { entries: Array<{ model: string; prefix_tokens: number; ttl: string; expires_in_s: number }> };
    assert.equal(s.entries.length, 1);
    assert.equal(s.entries[0]?.model, 'claude-sonnet-5');
    assert.equal(s.entries[0]?.ttl, '5m');
    const moved = await post({ advance_s: 120 }, {}, `${emu.url}/_emulator/clock`);
    assert.equal((moved.json.entries as Array<{ expires_in_s: number }>)[0]?.expires_in_s, 180);
    assert.equal((await post({ advance_s: -5 }, {}, `${emu.url}/_emulator/clock`)).status, 400);
    assert.equal((await post({}, {}, `${emu.url}/_emulator/clock`)).status, 400);
    const reset = await post({}, {}, `${emu.url}/_emulator/reset`);
    assert.deepEqual(reset.json.entries, []);
    assert.equal(reset.json.clock_offset_s, 0);
  });

  it('keeps a request log without credentials', async () => {
    await post(cachedRequest(), { authorization: `Bearer ${TEST_KEY}`, ...V1 });
    const log = emu.requests();
    assert.equal(log.length, 1);
    assert.equal(log[0]?.headers.authorization, '[present]');
    assert.ok(!JSON.stringify(log).includes(TEST_KEY));
  });
});
