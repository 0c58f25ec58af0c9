import { strict as assert } from 'node:assert';
import { createGrouped, createTotals, groupKey, median, totalsOf } from '../../../src/core/ledger/reducers';
import type { RequestRecord } from '../../../src/core/ledger/record';
import { WARM_USAGE, makeRecord } from '../../support/records';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const DAY = 24 * 3600_000;
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} ≠ ${b}`);

// Prices per MTok (src/core/models/data.ts, DOC-PRICE): Sonnet 5 input 2, write5m 2.5, write1h 4,
// read 0.2, output 10; Opus 4.5 input 5, output 25. Amounts below are in micro-dollars (1e-6 USD).
function sample(): RequestRecord[] {
  return [
    // Cold: 300 in, 3000 + 3000 written (5m + 1h), 500 out: 600 + 7500 + 12000 + 5000 = 25100; no cache 6300 x 2 + 5000 = 17600.
    makeRecord({
      atMs: T0, ttftMs: 900,
      usage: { input_tokens: 300, cache_creation_input_tokens: 6000, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 3000, ephemeral_1h_input_tokens: 3000 }, output_tokens: 500 },
      predicted: { input: 300, cacheWrite5m: 3000, cacheWrite1h: 3000, cacheRead: 0, output: 0 },
    }),
    // Warm: 300 in, 6000 read, 500 out: 600 + 1200 + 5000 = 6800; no cache 17600. Predicted 6000 input-side, read 5000.
    makeRecord({ atMs: T0 + 60_000, ttftMs: 400, usage: WARM_USAGE, predicted: { input: 1000, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 5000, output: 0 } }),
    // A failure before any usage: counted apart, no tokens, not a miss.
    makeRecord({ atMs: T0 + 120_000, outcome: 'failed', usage: null }),
    // Aborted after usage arrived: billed (600 + 1200 + 200 = 2000; no cache 12600 + 200 = 12800) but outside hit ratio and TTFT.
    makeRecord({ atMs: T0 + 180_000, outcome: 'aborted', ttftMs: 50, usage: { ...WARM_USAGE, output_tokens: 20 } }),
    makeRecord({ atMs: T0 + DAY, sessionId: 's-2', outcome: 'local' }),
    // Opus 4.5, uncached: 1000 x 5 + 100 x 25 = 7500.
    makeRecord({
      atMs: T0 + DAY + 1000, sessionId: 's-2', model: 'claude-opus-4-5', ttftMs: 600,
      usage: { input_tokens: 1000, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 100 },
    }),
  ];
}

describe('ledger reducers', () => {
  it('totals match a hand computation: money, tokens, hit ratio, failures and local answers apart', () => {
    const t = totalsOf(sample());
    assert.deepEqual([t.requests, t.answered, t.local, t.failed, t.aborted, t.unpriced], [6, 3, 1, 1, 1, 0]);
    assert.deepEqual(t.tokens, { input: 1900, cacheWrite5m: 3000, cacheWrite1h: 3000, cacheRead: 12000, output: 1120 });
    close(t.costUsd, (25100 + 6800 + 2000 + 7500) / 1e6, 'cost');
    close(t.noCacheUsd, (17600 + 17600 + 12800 + 7500) / 1e6, 'no cache');
    close(t.savedUsd, t.noCacheUsd - t.costUsd, 'saved');
    assert.equal(t.costExact, true);
    // Answered only: 6000 read / (1600 input + 6000 written + 6000 read).
    close(t.hitRatio, 6000 / 13600, 'hit ratio');
    assert.deepEqual(t.prediction, { requests: 2, predictedTokens: 12300, actualTokens: 12600, absErrorTokens: 300, relativeError: 300 / 12600, readAbsErrorTokens: 1000 });
    assert.deepEqual(t.ttft, { cachedMedianMs: 400, uncachedMedianMs: 750, cached: 1, uncached: 2 });
    assert.equal(t.firstAtMs, T0);
    assert.equal(t.lastAtMs, T0 + DAY + 1000);
  });

  it('groups by session, model, day, prompt and version, in order of first request', () => {
    const rows = (by: Parameters<typeof createGrouped>[0]) => {
      const g = createGrouped(by);
      for (const r of sample()) g.add(r);
      return g.result().map((x) => [x.key, x.totals.requests, Math.round(x.totals.costUsd * 1e6)]);
    };
    assert.deepEqual(rows('session'), [['s-1', 4, 33900], ['s-2', 2, 7500]]);
    assert.deepEqual(rows('model'), [['claude-sonnet-5', 5, 33900], ['claude-opus-4-5', 1, 7500]]);
    assert.deepEqual(rows('day'), [['2026-12-01', 4, 33900], ['2026-12-02', 2, 7500]]);
    assert.deepEqual(rows('prompt'), [['support-agent', 6, 41400]]);
    assert.deepEqual(rows('version'), [['support-agent@a1b2c3d4e5f6.b2c3d4e5f6a7.c3d4e5f6a7b8', 6, 41400]]);
    const v2 = makeRecord({ version: { tools: 'ff', system: 'ee', context: 'dd' } });
    assert.equal(groupKey(v2, 'version'), 'support-agent@ff.ee.dd');
  });

  it('an unpriced record counts its tokens but no money; an estimated cost marks totals inexact', () => {
    const r = makeRecord();
    delete r.cost;
    r.costError = 'No prices are known for claude-mythos-5-2';
    const est = makeRecord();
    if (est.cost) est.cost.exact = false;
    const t = totalsOf([r, est]);
    assert.equal(t.unpriced, 1);
    assert.equal(t.tokens.cacheRead, 12000);
    close(t.costUsd, 6800 / 1e6, 'cost');
    assert.equal(t.costExact, false);
  });

  it('streams: results can be taken mid-way and the accumulator keeps going', () => {
    const acc = createTotals();
    const all = sample();
    acc.add(all[0] as RequestRecord);
    assert.equal(acc.result().requests, 1);
    for (const r of all.slice(1)) acc.add(r);
    assert.equal(acc.result().requests, 6);
    assert.equal(totalsOf([]).hitRatio, 0);
    assert.equal(totalsOf([]).ttft.cachedMedianMs, null);
  });

  it('median', () => {
    assert.equal(median([]), null);
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([10, 2, 4, 100]), 7);
  });
});
