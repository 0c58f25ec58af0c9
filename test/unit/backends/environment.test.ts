// The user's ANTHROPIC_* environment (e.g. Claude Code gateway settings) must not leak in.
import { strict as assert } from 'node:assert';
import type { EmulatorHandle } from '../../../src/backends/emulator/server';
import { createAnthropicBackend } from '../../../src/backends/anthropic/backend';
import { cachedRequest, TEST_KEY, withEmulator } from './helpers';

const VARS = ['ANTHROPIC_BASE_URL', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY', 'ANTHROPIC_CUSTOM_HEADERS', 'ANTHROPIC_LOG'] as const;

describe('backends/anthropic environment isolation', () => {
  let emu: EmulatorHandle;
  const saved: Record<string, string | undefined> = {};
  beforeEach(async () => {
    emu = await withEmulator();
    for (const v of VARS) saved[v] = process.env[v];
    process.env.ANTHROPIC_BASE_URL = 'http://127.0.0.1:1';
    process.env.ANTHROPIC_AUTH_TOKEN = 'env-token-9999';
    process.env.ANTHROPIC_API_KEY = 'sk-ant-env-key-8888';
    process.env.ANTHROPIC_CUSTOM_HEADERS = 'X-Gateway-Leak: yes\nX-Other: 1';
    process.env.ANTHROPIC_LOG = 'debug';
  });
  afterEach(async () => {
    for (const v of VARS) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
    await emu.close();
  });

  it('uses only the explicit key and base URL, and drops ANTHROPIC_CUSTOM_HEADERS', async () => {
    const lines: string[] = [];
    const r = await createAnthropicBackend({ apiKey: TEST_KEY, baseURL: emu.url, maxRetries: 0, log: (l) => lines.push(l) }).send(cachedRequest());
    assert.equal(r.error, undefined);
    const [req] = emu.requests();
    assert.equal(req?.keySuffix, TEST_KEY.slice(-4));
    assert.equal(req?.headers['x-gateway-leak'], undefined);
    assert.equal(req?.headers['x-other'], undefined);
    assert.equal(req?.headers['anthropic-version'], '2026-10-21');
    assert.ok(!lines.some((l) => l.includes('[sdk debug]')), 'ANTHROPIC_LOG=debug is ignored');
  });

  it('with useEnvironment the environment applies (opt-in)', async () => {
    const r = await createAnthropicBackend({ apiKey: TEST_KEY, baseURL: emu.url, maxRetries: 0, useEnvironment: true }).send(cachedRequest());
    assert.equal(r.error, undefined);
    assert.equal(emu.requests()[0]?.headers['x-gateway-leak'], 'yes');
  });
});
