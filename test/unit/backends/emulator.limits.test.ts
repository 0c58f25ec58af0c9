// What one request may cost the emulator: bodies over 32 MB are a 413, text it cannot count fast
// is a 400 before counting, and what it remembers of past requests is bounded in bytes.
import { strict as assert } from 'node:assert';
import { request } from 'node:http';
import { DiagnosticsMemory, DIAGNOSTICS_BUDGET_BYTES } from '../../../src/backends/emulator/diagnostics';
import { LOG_BUDGET_BYTES, RequestLog } from '../../../src/backends/emulator/requestLog';
import type { EmulatorHandle } from '../../../src/backends/emulator/server';
import type { MessagesRequest } from '../../../src/shared/anthropic';
import { cachedRequest, rawPost, TEST_KEY, withEmulator } from './helpers';

const V1 = { 'x-api-key': TEST_KEY, 'anthropic-version': '2026-10-21' };
const TWO_MB = 'Policy clause: refunds within 30 days of purchase. '.repeat(41_000);

const withSystem = (text: string, model = 'claude-sonnet-5'): MessagesRequest => ({ ...cachedRequest(), model, system: [{ type: 'text', text, cache_control: { type: 'ephemeral' } }] });

describe('backends/emulator limits', () => {
  let emu: EmulatorHandle;
  beforeEach(async () => {
    emu = await withEmulator();
  });
  afterEach(() => emu.close());

  const post = (body: string, path = '/v1/messages') => rawPost(`${emu.url}${path}`, body, V1);

  it('refuses a body over 32 MB with 413 request_too_large, and keeps serving', async () => {
    const big = JSON.stringify(withSystem('x'.repeat(33 * 1024 * 1024)));
    const r = await post(big);
    assert.equal(r.status, 413);
    assert.deepEqual(r.json.error, { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' });
    assert.equal((await post(JSON.stringify(cachedRequest()))).status, 200);
  });

  it('refuses a chunked body (no Content-Length) once it passes 32 MB, and the client still reads the 413', async () => {
    const status = await new Promise<number | string>((resolve) => {
      const req = request({ host: '127.0.0.1', port: emu.port, method: 'POST', path: '/v1/messages', headers: { ...V1, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', (e) => resolve(e.message));
      const chunk = Buffer.alloc(1 << 20, 0x61);
      let sent = 0;
      const pump = (): void => {
        while (sent < 40) {
          sent++;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    assert.equal(status, 413);
  });

  it('refuses text too long to count before counting it (a 31 MB request answers in well under a second)', async () => {
    const t = Date.now();
    const r = await post(JSON.stringify(withSystem('All work and no play. '.repeat(1_400_000))));
    assert.equal(r.status, 400);
    assert.match((r.json.error as { message: string }).message, /^prompt is too long: \d+ characters of text exceed the \d+ the emulator counts for claude-sonnet-5/);
    assert.ok(Date.now() - t < 3000, `took ${Date.now() - t} ms`);
    const counted = await post(JSON.stringify({ model: 'claude-sonnet-5', messages: withSystem('y '.repeat(5_000_000)).messages, system: 'y '.repeat(5_000_000) }), '/v1/messages/count_tokens');
    assert.equal(counted.status, 400);
    assert.deepEqual(emu.state().entries, []);
  });

  it('refuses a prompt over the context window with the API\'s "prompt is too long: N tokens > M maximum"', async () => {
    // Claude Haiku 3: 200k tokens; 1.2 M characters of prose is about 300k tokens and under the character bound.
    const r = await post(JSON.stringify(withSystem('The quick brown fox jumps over the lazy dog. '.repeat(27_000), 'claude-3-haiku-20240307')));
    assert.equal(r.status, 400);
    assert.match((r.json.error as { message: string }).message, /^prompt is too long: \d{6} tokens > 200000 maximum$/);
    assert.deepEqual(emu.state().entries, [], 'nothing was cached for it');
  });

  it('the request log keeps at most its byte budget, however large the requests', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await post(JSON.stringify(withSystem(`${TWO_MB}${i}`)))).status, 200);
    const log = emu.requests();
    assert.ok(JSON.stringify(log).length <= LOG_BUDGET_BYTES, `log holds ${JSON.stringify(log).length} characters`);
    assert.ok(log.length >= 2, 'the newest large requests are still there');
    assert.equal(((log[log.length - 1]?.body as MessagesRequest).system as Array<{ text: string }>)[0]?.text, `${TWO_MB}4`);
    const log2 = new RequestLog(50, 1000);
    log2.add({ method: 'POST', path: '/v1/messages', headers: {} }, 'x'.repeat(5000));
    assert.match(String((log2.list()[0]?.body as { omitted: string }).omitted), /exceeds the emulator's log budget/);
  });

  it('cache diagnostics remember digests within a byte budget, not whole requests', () => {
    const memory = new DiagnosticsMemory();
    for (let i = 0; i < 120; i++) memory.remember(`msg_${i}`, withSystem(TWO_MB), 500_000);
    assert.ok(memory.size() < 200_000, `holds ${memory.size()} bytes`);
    const many = { ...cachedRequest(), messages: Array.from({ length: 5000 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `turn ${i}` })) } as MessagesRequest;
    for (let i = 0; i < 50; i++) memory.remember(`big_${i}`, many, 1000);
    assert.ok(memory.size() <= DIAGNOSTICS_BUDGET_BYTES);
    assert.deepEqual(memory.diagnose({ ...many, diagnostics: { previous_message_id: 'big_49' } }, many.model, 1000), null);
    assert.equal(memory.diagnose({ ...many, system: 'changed', diagnostics: { previous_message_id: 'big_49' } }, many.model, 0)?.cache_miss_reason?.type, 'system_changed');
  });
});
