// Who may talk to the emulator: programs on this machine (any Anthropic client), never web
// pages. Raw node:http, because fetch will not send a forged Host header.
import { strict as assert } from 'node:assert';
import { request } from 'node:http';
import type { EmulatorHandle } from '../../../src/backends/emulator/server';
import { cachedRequest, TEST_KEY, withEmulator } from './helpers';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: Record<string, unknown>;
}

function raw(emu: EmulatorHandle, method: string, path: string, headers: Record<string, string>, body = ''): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: emu.port, method, path, headers, setHost: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? JSON.parse(text) : {} }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const API = { 'x-api-key': TEST_KEY, 'anthropic-version': '2026-10-21', 'content-type': 'application/json' };

describe('backends/emulator accepts only local programs', () => {
  let emu: EmulatorHandle;
  beforeEach(async () => {
    emu = await withEmulator();
  });
  afterEach(() => emu.close());

  it('accepts loopback Host values with its port, refuses others (DNS rebinding) with 403', async () => {
    const body = JSON.stringify(cachedRequest());
    for (const host of [`127.0.0.1:${emu.port}`, `localhost:${emu.port}`, `LOCALHOST:${emu.port}`, `[::1]:${emu.port}`]) {
      assert.equal((await raw(emu, 'POST', '/v1/messages', { ...API, host }, body)).status, 200, host);
    }
    for (const host of [`evil.example:${emu.port}`, 'evil.example', `127.0.0.1:${emu.port + 1}`, '127.0.0.1', `localhost.evil.example:${emu.port}`, `127.0.0.1.nip.io:${emu.port}`, '']) {
      const r = await raw(emu, 'GET', '/_emulator/state', { host });
      assert.equal(r.status, 403, host);
      assert.equal((r.json.error as { type: string }).type, 'permission_error');
      assert.ok(r.headers['request-id']);
    }
    assert.equal(emu.state().requests, 4, 'refused requests never reach a route');
  });

  it('requires Content-Type: application/json on every POST (no simple cross-origin POST)', async () => {
    const host = `127.0.0.1:${emu.port}`;
    for (const path of ['/_emulator/clock', '/_emulator/faults', '/_emulator/reset', '/v1/messages']) {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
        const headers: Record<string, string> = { ...API, host, ...(type ? { 'content-type': type } : {}) };
        if (!type) delete headers['content-type'];
        const r = await raw(emu, 'POST', path, headers, path.includes('clock') ? '{"advance_s": 3600}' : '{"status": 500}');
        assert.equal(r.status, 415, `${path} ${type}`);
        assert.equal((r.json.error as { type: string }).type, 'invalid_request_error');
      }
    }
    assert.equal(emu.state().clock_offset_s, 0, 'the text/plain clock POST changed nothing');
    assert.equal(emu.state().faults_pending, 0);
    const ok = await raw(emu, 'POST', '/_emulator/clock', { host, 'content-type': 'application/json; charset=utf-8' }, '{"advance_s": 60}');
    assert.equal(ok.status, 200);
  });

  it('answers a CORS preflight without any Access-Control-Allow-* header, and refuses foreign origins', async () => {
    const host = `127.0.0.1:${emu.port}`;
    const preflight = { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' };
    const foreign = await raw(emu, 'OPTIONS', '/_emulator/faults', { host, origin: 'https://evil.example', ...preflight });
    assert.equal(foreign.status, 403);
    const loopback = await raw(emu, 'OPTIONS', '/_emulator/faults', { host, origin: 'http://localhost:3000', ...preflight });
    assert.equal(loopback.status, 204);
    for (const r of [foreign, loopback]) assert.deepEqual(Object.keys(r.headers).filter((h) => h.startsWith('access-control-')), []);
    const cross = await raw(emu, 'POST', '/_emulator/reset', { host, origin: 'https://evil.example', 'content-type': 'application/json' }, '{}');
    assert.equal(cross.status, 403);
    const local = await raw(emu, 'GET', '/_emulator/state', { host, origin: `http://localhost:${emu.port}` });
    assert.equal(local.status, 200);
    assert.equal(local.headers['access-control-allow-origin'], undefined);
  });

  it('x-api-key with 2023-06-01 (Vercel AI SDK, LangChain) and Bearer with 2026-10-21 (SDK 1.x) both work', async () => {
    const host = `127.0.0.1:${emu.port}`;
    const legacy = { host, 'x-api-key': TEST_KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };
    const body = { ...cachedRequest(), temperature: 0.3, stream: true };
    const streamed = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: emu.port, method: 'POST', path: '/v1/messages', headers: legacy, setHost: false }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
    assert.equal(streamed.status, 200);
    assert.match(streamed.text, /event: message_stop/);
    const bearer = await raw(emu, 'POST', '/v1/messages', { host, authorization: `Bearer ${TEST_KEY}`, 'anthropic-version': '2026-10-21', 'content-type': 'application/json' }, JSON.stringify(cachedRequest()));
    assert.equal(bearer.status, 200);
  });
});
