// The API key must never appear in any message, log line or error, on any path.
import { strict as assert } from 'node:assert';
import type { EmulatorHandle } from '../../../src/backends/emulator/server';
import { createAnthropicBackend } from '../../../src/backends/anthropic/backend';
import { mapError } from '../../../src/backends/errors';
import { createRedactor } from '../../../src/backends/redact';
import { BackendFailure } from '../../../src/backends/types';
import { cachedRequest, TEST_KEY, withEmulator } from './helpers';

describe('backends/redaction of the API key', () => {
  let emu: EmulatorHandle;
  beforeEach(async () => {
    emu = await withEmulator();
  });
  afterEach(() => emu.close());

  it('redacts the key, its URL-encoded form, bearer values and sk-ant-* shapes', () => {
    const r = createRedactor([TEST_KEY]);
    const text = `key=${TEST_KEY} enc=${encodeURIComponent(TEST_KEY)} Authorization: Bearer abc.def x-api-key: other sk-ant-zzzzzzzzzzzz`;
    const out = r(text);
    assert.ok(!out.includes(TEST_KEY));
    assert.ok(!out.includes('abc.def'));
    assert.ok(!out.includes('other'));
    assert.ok(!out.includes('sk-ant-zzzz'));
  });

  it('no error path leaks the key, even when the server echoes it back', async () => {
    const lines: string[] = [];
    const echo = `bad credentials: ${TEST_KEY}`;
    const faults: Array<Record<string, unknown>> = [
      { status: 400, message: echo }, { status: 401, message: echo }, { status: 403, message: echo },
      { status: 404, message: echo }, { status: 413, message: echo }, { status: 429, message: echo },
      { status: 429, retryAfterS: 3, message: echo }, { status: 500, message: echo }, { status: 529, message: echo },
      { status: 402, message: echo }, { errorAfterEvents: 3, errorType: 'api_error', message: echo }, { dropAfterEvents: 3 },
    ];
    const b = createAnthropicBackend({ apiKey: TEST_KEY, baseURL: emu.url, maxRetries: 0, log: (l) => lines.push(l) });
    const seen: string[] = [];
    for (const f of faults) {
      emu.setFaults({ ...f, endpoint: 'any' });
      const r = await b.send(cachedRequest());
      assert.ok(r.error, JSON.stringify(f));
      seen.push(JSON.stringify(r));
      emu.setFaults({ ...f, endpoint: 'any' });
      await b.countTokens(cachedRequest()).catch((e: unknown) => seen.push(JSON.stringify((e as BackendFailure).error), (e as Error).message));
      emu.setFaults({ ...f, endpoint: 'any' });
      await b.prewarm(cachedRequest()).catch((e: unknown) => seen.push(JSON.stringify((e as BackendFailure).error), (e as Error).message));
    }
    // Some gateways take the key in the URL: a 404 there (and every other failure) quoted it.
    const inUrl = createAnthropicBackend({ apiKey: TEST_KEY, baseURL: `${emu.url}/gw/${TEST_KEY}`, maxRetries: 0, log: (l) => lines.push(l) });
    emu.setFaults({});
    const notFound = await inUrl.send(cachedRequest());
    assert.equal(notFound.error?.kind, 'not_found');
    seen.push(JSON.stringify(notFound));
    await inUrl.countTokens(cachedRequest()).catch((e: unknown) => seen.push(JSON.stringify((e as BackendFailure).error), (e as Error).message));
    const dead = createAnthropicBackend({ apiKey: TEST_KEY, baseURL: `http://127.0.0.1:1/${TEST_KEY}`, maxRetries: 0, log: (l) => lines.push(l) });
    seen.push(JSON.stringify(await dead.send(cachedRequest())));
    seen.push(JSON.stringify(mapError(new Error(`boom ${TEST_KEY}`), { baseURL: 'x', redact: createRedactor([TEST_KEY]) })));
    assert.ok(seen.length >= faults.length * 3);
    for (const s of [...seen, ...lines]) assert.ok(!s.includes(TEST_KEY) && !s.includes('abcdefghijklmnopqrstuvwxyz0123456789'), s);
    assert.ok(seen.some((s) => s.includes('bad credentials: [redacted]')), 'the echoed message is kept, minus the key');
  });
});
