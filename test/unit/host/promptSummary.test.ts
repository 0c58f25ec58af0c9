// The host's pure pieces for prompt views: the one-line summary (CodeLens, Prompts view), the
// request size the status bar shows, the cache state from the ledger, and the copied snippets.
import { strict as assert } from 'node:assert';
import { cacheStateOf, cacheStateText } from '../../../src/host/prompts/cacheState';
import { curlOf, sdkCodeOf } from '../../../src/host/prompts/snippets';
import { requestTokens, summarize, tierTokens } from '../../../src/host/prompts/summary';
import type { ModelInfo } from '../../../src/core/models/types';
import type { PlanView } from '../../../src/shared/protocol';

const model = { id: 'claude-sonnet-5', minCacheableTokens: 1024 } as ModelInfo;

function plan(system: number, placed: boolean, extra: Partial<PlanView> = {}): PlanView {
  return {
    promptPath: '/ws/p.prompt.md',
    promptId: 'p',
    model: 'claude-sonnet-5',
    breakpoints: [
      { tier: 'tools', ttl: '1h', prefixTokens: 1200, placed: false, reason: 'r' },
      { tier: 'system', ttl: '1h', prefixTokens: system, placed, reason: 'r' },
      { tier: 'context', ttl: '5m', prefixTokens: 0, placed: false, reason: 'no context' },
      { tier: 'conversation', ttl: '5m', prefixTokens: system + 15, placed, reason: 'r' },
    ],
    coldUsd: 0.0169,
    warmUsd: 0.001,
    diagnostics: [],
    ...extra,
  };
}

describe('prompt summaries for the CodeLens, the Prompts view and the status bar', () => {
  it('says size, cacheability for the model and both costs', () => {
    assert.equal(summarize(plan(5138, true), model).text, '≈5,138 tokens · cacheable (≥1,024 for claude-sonnet-5) · first send ≈$0.0169 · repeat ≈$0.0010');
  });

  it('says why a prompt below the minimum is not cached', () => {
    const p = plan(812, false);
    p.breakpoints[0] = { tier: 'tools', ttl: '5m', prefixTokens: 0, placed: false, reason: 'none' };
    assert.equal(summarize(p, model).text, 'below minimum: 812 of 1,024 tokens — not cached');
  });

  it('the request size is the largest placed stable prefix; tiers are the differences, empty ones left out', () => {
    assert.equal(requestTokens(plan(5138, true)), 5138);
    assert.deepEqual(tierTokens(plan(5138, true)).map((t) => [t.tier, t.tokens]), [['tools', 1200], ['system', 3938]]);
  });

  it('a prompt that could not be planned says so instead of a size', () => {
    assert.match(summarize({ ...plan(0, false), breakpoints: [], error: 'No plan: bad ttl.' }, model).text, /No plan: bad ttl/);
    assert.equal(summarize(undefined, model, 'The file is 3.0 MB').text, 'The file is 3.0 MB');
  });
});

describe('cache state from the ledger', () => {
  const at = Date.UTC(2026, 0, 1, 12, 0, 0);
  it('is unknown without a record, warm within the first breakpoint TTL, cold after it or without a breakpoint', () => {
    assert.equal(cacheStateOf(undefined, at).kind, 'unknown');
    assert.deepEqual(cacheStateOf({ atMs: at, ttl: '5m' }, at + 60_000), { kind: 'warm', untilMs: at + 300_000 });
    assert.equal(cacheStateOf({ atMs: at, ttl: '5m' }, at + 300_000).kind, 'cold');
    assert.equal(cacheStateOf({ atMs: at, ttl: undefined }, at).kind, 'cold');
    assert.match(cacheStateText({ kind: 'warm', untilMs: at + 300_000 }, at + 29_000), /^warm until \d\d:\d\d:\d\d \(4:31 left\)$/);
  });
});

describe('copied requests', () => {
  const request = { model: 'claude-sonnet-5', max_tokens: 10, messages: [{ role: 'user' as const, content: "it's $HOME" }] };
  it('curl passes the body untouched through a quoted here-document, with the key from the environment', () => {
    const curl = curlOf(request, 'https://api.anthropic.com/');
    assert.match(curl, /^curl https:\/\/api\.anthropic\.com\/v1\/messages \\/);
    assert.match(curl, /-H "x-api-key: \$ANTHROPIC_API_KEY"/);
    assert.ok(curl.includes("<<'JSON'\n{") && curl.includes(`"content": "it's $HOME"`));
  });
  it('SDK code reads the key from the environment and names a custom base URL', () => {
    assert.match(sdkCodeOf(request, 'https://api.anthropic.com'), /new Anthropic\(\{ apiKey: process\.env\.ANTHROPIC_API_KEY \}\)/);
    assert.match(sdkCodeOf(request, 'http://127.0.0.1:9999'), /baseURL: "http:\/\/127\.0\.0\.1:9999"/);
  });
});
