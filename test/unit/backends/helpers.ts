// Shared fixtures for the backend tests: a running emulator and requests long enough to cache.
import Anthropic from '@anthropic-ai/sdk';
import type { MessagesRequest } from '../../../src/shared/anthropic';
import { startEmulator, type EmulatorHandle, type StartEmulatorOptions } from '../../../src/backends/emulator/server';

export const TEST_KEY = 'sk-ant-api03-TESTKEY-abcdefghijklmnopqrstuvwxyz0123456789';
export const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);

/** About 2,500 tokens: above Sonnet 5's 1,024-token minimum. */
export const LONG_SYSTEM = 'You are a careful support agent for the Acme product line. '.repeat(200);

export function cachedRequest(ttl: '5m' | '1h' = '5m', question = 'Hello?'): MessagesRequest {
  return {
    model: 'claude-sonnet-5',
    max_tokens: 64,
    system: [{ type: 'text', text: LONG_SYSTEM, cache_control: ttl === '5m' ? { type: 'ephemeral' } : { type: 'ephemeral', ttl } }],
    messages: [{ role: 'user', content: question }],
  };
}

export async function withEmulator(opts: StartEmulatorOptions = {}): Promise<EmulatorHandle> {
  return startEmulator({ now: () => T0, ...opts });
}

export function sdkClient(emu: EmulatorHandle, extra: ConstructorParameters<typeof Anthropic>[0] = {}): Anthropic {
  return new Anthropic({ apiKey: TEST_KEY, authToken: null, baseURL: emu.url, maxRetries: 0, logLevel: 'off', ...extra });
}

export async function rawPost(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {}, headers: res.headers };
}
