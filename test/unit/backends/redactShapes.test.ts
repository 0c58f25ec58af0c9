// What the redactor removes besides the key it was given: credentials recognised by their shape
// (query parameters, URL passwords, auth headers, JSON properties), escaped copies of the key,
// and, in structured values, credential-named properties and cycles.
import { strict as assert } from 'node:assert';
import { mapError } from '../../../src/backends/errors';
import { createRedactor, redactDeep } from '../../../src/backends/redact';
import { createLogger } from '../../../src/host/log';
import { TEST_KEY } from './helpers';

const GATEWAY_KEY = 'gw/Key+abc=123_xyz';
const r = createRedactor([TEST_KEY, GATEWAY_KEY]);

function clean(out: string, ...secrets: string[]): void {
  for (const s of secrets) assert.ok(!out.includes(s), `${s} left in: ${out}`);
}

describe('backends/redactor shapes', () => {
  it('query-string and form credentials, keeping other parameters', () => {
    const out = r('GET https://gw.example/v1/messages?key=QKEY1&beta=true&api_key=QKEY2 token=QKEY3; access_token=QKEY4&apikey=QKEY5');
    clean(out, 'QKEY1', 'QKEY2', 'QKEY3', 'QKEY4', 'QKEY5');
    assert.match(out, /beta=true/);
    assert.equal(r('max_tokens=1024 output_tokens=5 cache_key_hint'), 'max_tokens=1024 output_tokens=5 cache_key_hint');
  });

  it('URL userinfo: the password, or a lone token used as the user', () => {
    assert.equal(r('https://alice:hunter2@gw.example/v1'), 'https://alice:[redacted]@gw.example/v1');
    assert.equal(r('proxy http://TOKEN123@proxy.local:8080/'), 'proxy http://[redacted]@proxy.local:8080/');
    assert.equal(r('https://api.anthropic.com/v1/messages'), 'https://api.anthropic.com/v1/messages');
  });

  it('Authorization (any scheme), Bearer, Basic and x-api-key values', () => {
    assert.equal(r('Authorization: Basic dXNlcjpwYXNz'), 'Authorization: Basic [redacted]');
    assert.equal(r('authorization: Bearer eyJhbGciOi.x.y'), 'authorization: Bearer [redacted]');
    assert.equal(r('Proxy-Authorization: Token abcdef'), 'Proxy-Authorization: Token [redacted]');
    assert.equal(r('sent Bearer abc.def and Basic Zm9vOmJhcg=='), 'sent Bearer [redacted] and Basic [redacted]');
    assert.equal(r('x-api-key: other-value-1'), 'x-api-key: [redacted]');
    assert.equal(r('{"headers":{"X-Api-Key":"v2","authorization":"Bearer v3","api_key":"v\\"4"}}'), '{"headers":{"X-Api-Key":"[redacted]","authorization":"[redacted]","api_key":"[redacted]"}}');
  });

  it('the known keys however they were escaped: JSON \\/, \\u escapes in any case, %XX, mixed', () => {
    const u = (s: string, upper = false) => [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).map((x) => (upper ? x.toUpperCase().replace('\\U', '\\u') : x)).join('');
    const forms = [
      GATEWAY_KEY.replace(/\//g, '\\/'),
      u(TEST_KEY),
      u(GATEWAY_KEY, true),
      `${TEST_KEY.slice(0, 10)}${u(TEST_KEY.slice(10, 14))}${TEST_KEY.slice(14)}`,
      encodeURIComponent(GATEWAY_KEY),
      encodeURIComponent(GATEWAY_KEY).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
      JSON.stringify({ k: GATEWAY_KEY }),
    ];
    for (const f of forms) assert.equal(r(`before ${f} after`).includes('[redacted]'), true, f);
    for (const f of forms) clean(r(f), GATEWAY_KEY, TEST_KEY, 'abcdefghijklmnopqrstuvwxyz', 'Key+abc');
  });

  it('redactDeep: credential-named properties, secrets in names and values, Errors, cycles, depth', () => {
    const value: Record<string, unknown> = {
      headers: { 'x-api-key': 'plain-value', Authorization: 'Bearer q', 'content-type': 'application/json' },
      nested: { token: 5, password: 'pw', list: [TEST_KEY, { apiKey: 'k2' }] },
      [GATEWAY_KEY]: 'named after the key',
      err: new Error(`boom ${TEST_KEY}`),
      empty: { token: '' },
    };
    value.self = value;
    (value.nested as Record<string, unknown>).up = value;
    const out = redactDeep(value, r) as Record<string, unknown>;
    const text = JSON.stringify(out);
    clean(text, TEST_KEY, GATEWAY_KEY, 'plain-value', 'Bearer q', '"pw"', 'k2');
    assert.deepEqual((out.headers as Record<string, unknown>)['content-type'], 'application/json');
    assert.equal((out.nested as Record<string, unknown>).token, '[redacted]');
    assert.equal(out.self, '[circular]');
    assert.equal((out.nested as Record<string, unknown>).up, '[circular]');
    assert.deepEqual(out.err, { name: 'Error', message: 'boom [redacted]' });
    assert.deepEqual(out.empty, { token: '' }, 'an empty value reveals nothing');
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 10_000; i++) deep = deep.next = {};
    assert.match(JSON.stringify(redactDeep(root, r)), /\[too deep\]/);
    const shared = { a: 1 };
    assert.deepEqual(redactDeep({ x: shared, y: shared }, r), { x: { a: 1 }, y: { a: 1 } }, 'a shared value is not a cycle');
  });

  it('every mapError path redacts a key carried in the base URL', () => {
    const baseURL = `https://gw.example/${TEST_KEY}/?key=${GATEWAY_KEY}`;
    const ctx = { baseURL, redact: r };
    const headers = { get: () => null };
    const errors: unknown[] = [
      { name: 'APIConnectionTimeoutError' },
      Object.assign(new Error('x'), { constructor: { name: 'APIConnectionError' } }),
      { name: 'APIError', type: 'api_error', message: `echo ${TEST_KEY}` },
      new Error(`plain ${baseURL}`),
      ...[400, 401, 402, 403, 404, 413, 429, 500, 529].map((status) => ({ status, headers, message: `at ${baseURL}` })),
    ];
    for (const e of errors) clean(JSON.stringify(mapError(e, ctx)), TEST_KEY, GATEWAY_KEY, encodeURIComponent(GATEWAY_KEY));
    assert.match(mapError({ status: 404, headers }, ctx).message, /base URL \(https:\/\/gw\.example\/\[redacted\]/);
  });
});

describe('host/log redaction', () => {
  it('every line and every redact() call removes the keys in use and credential shapes', () => {
    const lines: string[] = [];
    const sink = (l: string) => lines.push(l);
    const channel = { info: sink, warn: sink, error: sink, show: () => {} } as unknown as Parameters<typeof createLogger>[0];
    let keys = [TEST_KEY];
    const log = createLogger(channel, () => keys);
    log.info(`using ${TEST_KEY}`);
    log.warn('proxy at https://bob:s3cret@proxy.local');
    log.error('Authorization: Basic dXNlcjpwYXNz');
    keys = [GATEWAY_KEY];
    log.info(`gateway ${encodeURIComponent(GATEWAY_KEY)}`);
    (log.info as (m: unknown) => void)({ headers: { 'x-api-key': 'v1' }, url: `https://gw/?key=${GATEWAY_KEY}` });
    const all = [...lines, ...log.recent(), log.redact(`popup ${GATEWAY_KEY}`)].join('\n');
    clean(all, TEST_KEY, GATEWAY_KEY, 's3cret', 'dXNlcjpwYXNz', encodeURIComponent(GATEWAY_KEY), 'v1');
    assert.equal(lines.length, 5);
  });
});
