import { strict as assert } from 'node:assert';
import { UsageError, parseUsage } from '../../../src/core/cost/usage';

const bad = (value: unknown, pattern: RegExp) =>
  assert.throws(() => parseUsage(value), (e: Error) => e instanceof UsageError && pattern.test(e.message));

describe('parseUsage', () => {
  it('reads the full spec §4.1 example', () => {
    const u = parseUsage({
      input_tokens: 50, cache_creation_input_tokens: 248, cache_read_input_tokens: 100000,
      cache_creation: { ephemeral_5m_input_tokens: 148, ephemeral_1h_input_tokens: 100 },
      output_tokens: 503, output_tokens_details: { thinking_tokens: 0 },
      server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
      service_tier: 'standard', inference_geo: 'global', speed: 'standard', some_future_field: 1,
    });
    assert.equal(u.cache_creation_input_tokens, 248);
    assert.deepEqual(u.cache_creation, { ephemeral_5m_input_tokens: 148, ephemeral_1h_input_tokens: 100 });
    assert.equal(u.inference_geo, 'global');
  });

  it('turns null and absent cache counters into 0 and keeps an absent split as null', () => {
    const u = parseUsage({ input_tokens: 1, output_tokens: 2, cache_read_input_tokens: null });
    assert.equal(u.cache_creation_input_tokens, 0);
    assert.equal(u.cache_read_input_tokens, 0);
    assert.equal(u.cache_creation, null);
    assert.equal(u.server_tool_use, null);
  });

  it('fills a partial split with 0', () => {
    const u = parseUsage({ input_tokens: 1, output_tokens: 2, cache_creation: { ephemeral_1h_input_tokens: 7 } });
    assert.deepEqual(u.cache_creation, { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 7 });
  });

  it('accepts a whole Message and uses its usage', () => {
    assert.equal(parseUsage({ type: 'message', usage: { input_tokens: 4, output_tokens: 5 } }).input_tokens, 4);
  });

  it('rejects bad counts naming the field', () => {
    bad({ input_tokens: -1, output_tokens: 0 }, /usage\.input_tokens must not be negative, got -1/);
    bad({ input_tokens: 1.5, output_tokens: 0 }, /usage\.input_tokens must be a whole number/);
    bad({ input_tokens: '5', output_tokens: 0 }, /usage\.input_tokens must be a number, got the string "5"/);
    bad({ input_tokens: NaN, output_tokens: 0 }, /usage\.input_tokens must be a number, got NaN/);
    bad({ input_tokens: Infinity, output_tokens: 0 }, /usage\.input_tokens must be a whole number/);
    bad({ input_tokens: true, output_tokens: 0 }, /input_tokens must be a number, got a boolean/);
    bad({ input_tokens: 1, output_tokens: 0, cache_read_input_tokens: -3 }, /usage\.cache_read_input_tokens must not be negative/);
    bad({ input_tokens: 1, output_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: -1 } }, /usage\.cache_creation\.ephemeral_5m_input_tokens/);
    bad({ input_tokens: 1, output_tokens: 0, server_tool_use: { web_search_requests: 0.5 } }, /usage\.server_tool_use\.web_search_requests/);
  });

  it('rejects missing required counts and wrong shapes', () => {
    bad({ output_tokens: 0 }, /usage\.input_tokens is required/);
    bad({ input_tokens: 0 }, /usage\.output_tokens is required/);
    bad(null, /usage must be a JSON object/);
    bad([1], /got an array/);
    bad({ input_tokens: 1, output_tokens: 0, cache_creation: 5 }, /usage\.cache_creation must be an object or null/);
    bad({ input_tokens: 1, output_tokens: 0, service_tier: 'gold' }, /usage\.service_tier must be one of standard, priority, batch/);
    bad({ input_tokens: 1, output_tokens: 0, speed: 'warp' }, /usage\.speed must be one of/);
    bad({ input_tokens: 1, output_tokens: 0, inference_geo: 3 }, /usage\.inference_geo must be a string/);
  });
});

describe('usage buckets', () => {
  it('counts writes as max(total, 5m + 1h) and puts the unsplit remainder at the requested TTL', async () => {
    const { cacheWriteTokens, usageBuckets } = await import('../../../src/core/cost/usage');
    const u = { input_tokens: 7, cache_creation_input_tokens: 500, cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 300 }, cache_read_input_tokens: 40, output_tokens: 9 };
    assert.equal(cacheWriteTokens(u), 500);
    assert.equal(cacheWriteTokens({ cache_creation_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 12, ephemeral_1h_input_tokens: 3 } }), 15);
    assert.equal(cacheWriteTokens({ cache_creation_input_tokens: null, cache_creation: null }), 0);
    assert.deepEqual(usageBuckets(u), { input: 7, cacheWrite5m: 200, cacheWrite1h: 300, cacheRead: 40, output: 9 });
    assert.deepEqual(usageBuckets(u, '1h'), { input: 7, cacheWrite5m: 100, cacheWrite1h: 400, cacheRead: 40, output: 9 });
  });
});
