import { strict as assert } from 'node:assert';
import { costOf } from '../../../src/core/cost/cost';
import { parseUsage } from '../../../src/core/cost/usage';
import { UnpricedModelError, createModelTable } from '../../../src/core/models/table';
import { parseModelOverrides } from '../../../src/core/models/overrides';
import type { Usage } from '../../../src/shared/anthropic';

const table = createModelTable();
const m = (id: string) => table.resolve(id);
const u = (partial: Partial<Usage>): Usage => ({ input_tokens: 0, output_tokens: 0, ...partial });
const split = (w5: number, w1h: number) => ({ ephemeral_5m_input_tokens: w5, ephemeral_1h_input_tokens: w1h });

describe('costOf: spec §10 rules', () => {
  it('3 tokens at $3.75/MTok is exactly 0.00001125', () => {
    const r = costOf(u({ cache_creation: split(3, 0) }), m('claude-sonnet-4-6'));
    assert.equal(r.breakdown.cache_write_5m, 0.00001125);
    assert.equal(r.total, 0.00001125);
  });

  it('sums buckets without float drift (0.1 + 0.2 style)', () => {
    // 1 token input at $3 + 2 tokens read at $0.30 = 0.0000036 exactly
    const r = costOf(u({ input_tokens: 1, cache_read_input_tokens: 2 }), m('claude-sonnet-4-6'));
    assert.equal(r.total, 0.0000036);
  });

  it('null cache fields count as 0', () => {
    const usage = parseUsage({
      input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: null,
      cache_read_input_tokens: null, cache_creation: null, server_tool_use: null,
    });
    const r = costOf(usage, m('claude-sonnet-5'));
    assert.equal(r.total, 0.00007); // 10 x $2 + 5 x $10
    assert.equal(r.hitRatio, 0);
    assert.equal(r.exact, true);
  });

  it('split absent: writes priced at 5m by default, flagged as an estimate', () => {
    const r = costOf(u({ cache_creation_input_tokens: 1000 }), m('claude-sonnet-5'));
    assert.equal(r.breakdown.cache_write_5m, 0.0025);
    assert.equal(r.breakdown.cache_write_1h, 0);
    assert.equal(r.tokens.cache_write_unsplit, 1000);
    assert.equal(r.unsplitTtl, '5m');
    assert.equal(r.exact, false);
    assert.deepEqual(r.estimated, ['cache_write_5m', 'total', 'saved']);
    assert.match(r.notes.join('\n'), /no 5m\/1h split/);
  });

  it('split absent with a requested 1h TTL: priced at 1h, exact', () => {
    const r = costOf(u({ cache_creation_input_tokens: 1000 }), m('claude-sonnet-5'), { requestedTtl: '1h' });
    assert.equal(r.breakdown.cache_write_1h, 0.004);
    assert.equal(r.breakdown.cache_write_5m, 0);
    assert.equal(r.tokens.cache_write_1h, 1000);
    assert.equal(r.exact, true);
  });

  it('split present with cache_creation_input_tokens 0 (the Claude Code bug case): the split counts', () => {
    const r = costOf(u({ cache_creation_input_tokens: 0, cache_creation: split(100, 200) }), m('claude-sonnet-5'));
    assert.equal(r.total, 0.00105); // 100 x 2.5 + 200 x 4
    assert.equal(r.tokens.cache_write_5m + r.tokens.cache_write_1h, 300);
    assert.equal(r.exact, true);
    assert.equal(r.noCache, 0.0006); // 300 x $2
  });

  it('partial split: the remainder goes to the requested TTL', () => {
    const r = costOf(u({ cache_creation_input_tokens: 500, cache_creation: split(100, 200) }), m('claude-sonnet-5'), { requestedTtl: '1h' });
    assert.equal(r.tokens.cache_write_unsplit, 200);
    assert.equal(r.breakdown.cache_write_5m, 0.00025);
    assert.equal(r.breakdown.cache_write_1h, 0.0016);
  });

  it('rejects invalid counts passed directly (not via parseUsage)', () => {
    assert.throws(() => costOf(u({ input_tokens: -1 }), m('claude-sonnet-5')), /usage\.input_tokens must not be negative/);
    assert.throws(() => costOf(u({ cache_read_input_tokens: 0.5 }), m('claude-sonnet-5')), /cache_read_input_tokens must be a whole number/);
    assert.throws(() => costOf(u({ input_tokens: 2 ** 60 }), m('claude-sonnet-5')), /too large/);
  });

  it('hit ratio = read / (input + writes + read)', () => {
    const r = costOf(u({ input_tokens: 50, cache_creation_input_tokens: 248, cache_read_input_tokens: 100000 }), m('claude-sonnet-5'));
    assert.equal(r.hitRatio, 100000 / 100298);
  });

  it('saved is negative when writes are never read', () => {
    const r = costOf(u({ input_tokens: 50, cache_creation_input_tokens: 300, output_tokens: 503 }), m('claude-sonnet-5'), { requestedTtl: '5m' });
    assert.equal(r.total, 0.00588);
    assert.equal(r.noCache, 0.00573);
    assert.equal(r.saved, -0.00015);
  });
});

describe('costOf: Haiku 5.5 100k band', () => {
  const base = { cache_read_input_tokens: 80_000, cache_creation: split(10_000, 0), output_tokens: 1000 };

  it('exactly 100,000 input + reads + writes stays on the standard band', () => {
    const r = costOf(u({ ...base, input_tokens: 10_000 }), m('claude-haiku-5-5'));
    assert.equal(r.band, 'standard');
    assert.equal(r.total, 0.00355); // 10k x 0.10 + 10k x 0.125 + 80k x 0.01 + 1k x 0.50
  });

  it('100,001 moves the whole request, output included, to the long band', () => {
    const r = costOf(u({ ...base, input_tokens: 10_001 }), m('claude-haiku-5-5'));
    assert.equal(r.band, 'long');
    assert.equal(r.total, 0.0177505); // 10,001 x 0.50 + 10k x 0.625 + 80k x 0.05 + 1k x 2.50
    assert.equal(r.breakdown.output, 0.0025);
    assert.equal(r.noCache, 0.0525005); // 100,001 x 0.50 + 1k x 2.50
  });

  it('output tokens do not count toward the threshold', () => {
    const r = costOf(u({ ...base, input_tokens: 10_000, output_tokens: 50_000 }), m('claude-haiku-5-5'));
    assert.equal(r.band, 'standard');
  });
});

describe('costOf: modifiers', () => {
  const usage = u({ input_tokens: 1000, cache_creation: split(0, 1000), cache_read_input_tokens: 1000, output_tokens: 1000 });

  it('batch halves every token bucket', () => {
    const r = costOf(u({ input_tokens: 1000, cache_creation: split(2000, 0), cache_read_input_tokens: 10000, output_tokens: 1000, service_tier: 'batch' }), m('claude-sonnet-5'));
    assert.equal(r.total, 0.0095); // (2000 + 5000 + 2000 + 10000) / 1e6 x 0.5
    assert.equal(r.modifiers.batch, true);
  });

  it('US geo x1.1 on Opus 4.6', () => {
    const r = costOf({ ...usage, inference_geo: 'us' }, m('claude-opus-4-6'));
    assert.equal(r.total, 0.04455); // 0.0405 x 1.1
    assert.equal(r.modifiers.usGeo, true);
  });

  it('no geo multiplier on Opus 4.5 (pre-4.6), with a note', () => {
    const r = costOf({ ...usage, inference_geo: 'us' }, m('claude-opus-4-5'));
    assert.equal(r.total, 0.0405);
    assert.equal(r.modifiers.usGeo, false);
    assert.match(r.notes.join(), /4\.6\+ only/);
  });

  it('non-US geo has no multiplier', () => {
    assert.equal(costOf({ ...usage, inference_geo: 'global' }, m('claude-opus-4-6')).total, 0.0405);
  });

  it('batch and geo stack: x0.55', () => {
    const r = costOf({ ...usage, inference_geo: 'us', service_tier: 'batch' }, m('claude-opus-4-6'));
    assert.equal(r.total, 0.022275);
    assert.equal(r.noCache, 0.022); // (3000 x 5 + 1000 x 25) / 1e6 x 0.55
  });

  it('web search: $0.01 each, outside batch and geo, included in noCache', () => {
    const search = { input_tokens: 100, output_tokens: 100, server_tool_use: { web_search_requests: 3 } };
    const r = costOf(u(search), m('claude-sonnet-5'));
    assert.equal(r.breakdown.web_search, 0.03);
    assert.equal(r.total, 0.0312);
    assert.equal(r.noCache, 0.0312);
    assert.equal(costOf(u({ ...search, service_tier: 'batch' }), m('claude-sonnet-5')).total, 0.0306);
  });

  it('fast mode on Opus 5: $10/$50 with cache multipliers on top', () => {
    const r = costOf({ ...usage, cache_creation: split(1000, 1000), speed: 'fast' }, m('claude-opus-5'));
    assert.equal(r.total, 0.0935); // 10 + 12.5 + 20 + 1 + 50 per 1000 tokens
    assert.equal(r.modifiers.fast, true);
    assert.deepEqual(r.prices, { input: 10, write5m: 12.5, write1h: 20, read: 1, output: 50 });
  });

  it('fast mode on Opus 4.6 is billed at standard rates (exact, noted)', () => {
    const r = costOf({ ...usage, speed: 'fast' }, m('claude-opus-4-6'));
    assert.equal(r.total, 0.0405);
    assert.equal(r.modifiers.fast, false);
    assert.equal(r.exact, true);
  });

  it('fast mode on a model without fast prices is an estimate', () => {
    const r = costOf({ ...usage, speed: 'fast' }, m('claude-sonnet-5'));
    assert.equal(r.exact, false);
    assert.ok(r.estimated.includes('total'));
  });

  it('priority tier is flagged as an estimate', () => {
    assert.equal(costOf({ ...usage, service_tier: 'priority' }, m('claude-sonnet-5')).exact, false);
  });
});

describe('costOf: models without prices', () => {
  for (const id of ['claude-mythos-5-2', 'claude-mythos-preview']) {
    it(`${id} is an error that says how to add prices`, () => {
      assert.throws(
        () => costOf(u({ input_tokens: 1 }), m(id)),
        (e: Error) => e instanceof UnpricedModelError && e.message.includes(id) && /promptCacheLab\.models/.test(e.message) && /--prices/.test(e.message),
      );
    });
  }

  it('prices it once an override supplies all five prices', () => {
    const { overrides, errors } = parseModelOverrides(
      { 'claude-mythos-5-2': { input: 10, write5m: 12.5, write1h: 20, read: 1, output: 50 } },
      'test',
    );
    assert.deepEqual(errors, []);
    const r = costOf(u({ input_tokens: 1000, output_tokens: 1000 }), createModelTable(overrides).resolve('claude-mythos-5-2'));
    assert.equal(r.total, 0.06);
    assert.match(r.priceSource, /overridden by test/);
  });
});
