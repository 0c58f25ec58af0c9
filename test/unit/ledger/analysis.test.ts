import { strict as assert } from 'node:assert';
import { breakEven, compareStrategies, comparisonSentence, projectComparison, projectMonthly } from '../../../src/core/ledger/analysis';
import { breakpointsFor } from '../../../src/core/ledger/shapeReplay';
import type { Usage } from '../../../src/shared/anthropic';
import { createModelTable } from '../../../src/core/models/table';
import { makeRecord, shapeOf, threeTurnConversation } from '../../support/records';

const models = createModelTable();
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const usd = (micro: number) => micro / 1e6;
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} ≠ ${b}`);

const conversation = () => threeTurnConversation(T0);

describe('ledger analysis: strategies replayed on recorded shapes', () => {
  it('gives the hand-computed cost of each strategy', () => {
    const c = compareStrategies(conversation().reverse(), models);
    const by = Object.fromEntries(c.strategies.map((s) => [s.strategy, s]));
    // Recorded (system 1h): 2000 x 4 + 100 x 2 | 2000 x 0.2 + 300 x 2 | 2000 x 0.2 + 500 x 2; plus 100 out x 10 each.
    close(c.actual.totalUsd, usd(9200 + 2000 + 2400), 'actual');
    close(by.recorded!.totalUsd, c.actual.totalUsd, 'replaying the recorded breakpoints reproduces the bill');
    // Automatic (last block, 5m): write 2100 | read 2100 + write 200 | expired: write 2500.
    close(by.automatic!.totalUsd, usd(2100 * 2.5 + 1000 + (2100 * 0.2 + 200 * 2.5 + 1000) + (2500 * 2.5 + 1000)), 'automatic');
    assert.deepEqual(by.automatic!.tokens, { input: 0, cacheWrite5m: 4800, cacheWrite1h: 0, cacheRead: 2100, output: 300 });
    // System only (5m): write 2000 + 100 in | read 2000 + 300 in | expired: write 2000 + 500 in.
    close(by['system-only']!.totalUsd, usd(6200 + 2000 + 7000), 'system only');
    close(by.none!.totalUsd, usd(6900 * 2 + 3000), 'none');
    close(by.none!.savedUsd, 0, 'none saves nothing');
    assert.equal(c.cheapest, 'recorded');
    assert.equal(c.actual.requests, 3);
    const fmt = (x: number) => `$${x.toFixed(4)}`;
    assert.equal(
      comparisonSentence(c, fmt),
      '3 requests cost $0.0136; replayed, automatic caching ≈$0.0154, caching the system prompt only ≈$0.0152, no caching ≈$0.0168.',
    );
  });

  it('models the 20-block look-back: a tool fan-out of 25 blocks makes automatic caching miss', () => {
    const small = shapeOf([['system', 2000], ['conversation', 100]], [], 'k');
    const fanOut = shapeOf([['system', 2000], ...Array.from({ length: 25 }, () => ['conversation', 40] as ['conversation', number])], [], 'k');
    const all = (n: number): Usage => ({ input_tokens: n, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 });
    const rs = [makeRecord({ atMs: T0, shape: small, usage: all(2100) }), makeRecord({ atMs: T0 + 30_000, shape: fanOut, usage: all(3000) })];
    const auto = compareStrategies(rs, models, ['automatic']).strategies[0]!;
    assert.deepEqual(auto.tokens, { input: 0, cacheWrite5m: 2100 + 3000, cacheWrite1h: 0, cacheRead: 0, output: 0 });
    const sys = compareStrategies(rs, models, ['system-only']).strategies[0]!;
    assert.equal(sys.tokens.cacheRead, 2000, 'a breakpoint near the stable prefix still reads');
  });

  it('below the minimum nothing is written; tokens are rescaled to the billed input', () => {
    const tiny = shapeOf([['system', 250], ['conversation', 250]], [[1, '5m']], 't');
    const rs = [0, 1].map((i) => makeRecord({ atMs: T0 + i * 1000, shape: tiny, usage: { input_tokens: 1000, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 } }));
    const auto = compareStrategies(rs, models, ['automatic']).strategies[0]!;
    assert.deepEqual(auto.tokens, { input: 2000, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0 }, '1000 < 1024 on Sonnet 5');
  });

  it('caches are per model and per cache scope; failures and local answers are not replayed', () => {
    const s = shapeOf([['system', 2000], ['conversation', 100]], [[1, '5m']], 'm');
    const full: Usage = { input_tokens: 2100, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 };
    const other = makeRecord({ atMs: T0 + 1000, shape: s, usage: full, model: 'claude-opus-4-5' });
    const scoped = makeRecord({ atMs: T0 + 2000, shape: s, usage: full });
    scoped.backend = { kind: 'offline', cacheScope: 'emulator:1' };
    const rs = [makeRecord({ atMs: T0, shape: s, usage: full }), other, scoped, makeRecord({ atMs: T0 + 3000, outcome: 'failed', usage: null }), makeRecord({ atMs: T0 + 4000, outcome: 'local' })];
    const c = compareStrategies(rs, models, ['automatic']);
    assert.equal(c.actual.requests, 3);
    assert.equal(c.strategies[0]!.tokens.cacheRead, 0, 'opus 4.5 has a 4096 minimum and another cache; the emulator has its own');
  });

  it('usage fields a line may carry badly never crash the replay; valid modifiers carry over', () => {
    const rs = conversation();
    (rs[0]!.usage as unknown as Record<string, unknown>).service_tier = 'weird';
    (rs[1]!.usage as unknown as Record<string, unknown>).speed = 42;
    rs[2]!.usage = { ...rs[2]!.usage!, service_tier: 'batch' };
    const c = compareStrategies(rs, models, ['none']);
    // Batch halves the third request: 2500 x 2 + 1000 = 6000 -> 3000.
    close(c.strategies[0]!.totalUsd, usd(2100 * 2 + 1000 + 2300 * 2 + 1000 + 3000), 'none with batch');
  });

  it('breakpoints per strategy', () => {
    const s = shapeOf([['tools', 10], ['system', 10], ['context', 10], ['conversation', 10]], [[2, '5m'], [1, '1h'], [9, '5m']]);
    assert.deepEqual(breakpointsFor('recorded', s), [{ blockIndex: 1, ttl: '1h' }, { blockIndex: 2, ttl: '5m' }]);
    assert.deepEqual(breakpointsFor('automatic', s), [{ blockIndex: 3, ttl: '5m' }]);
    assert.deepEqual(breakpointsFor('system-only', s), [{ blockIndex: 2, ttl: '5m' }]);
    assert.deepEqual(breakpointsFor('none', s), []);
    assert.deepEqual(breakpointsFor('automatic', { blocks: [], breakpoints: [] }), []);
  });

  it('break-even: 5m pays off from the first read, 1h from the second (Sonnet 5: 1.25× and 2× write, 0.1× read)', () => {
    const b = breakEven(models.resolve('claude-sonnet-5').prices);
    assert.equal(b['5m'].readsToBreakEven, 1);
    assert.equal(b['1h'].readsToBreakEven, 2);
    assert.equal(b['5m'].sentence, '5m: a write costs 1.25× the input price and a read 0.1×, so it pays off from the first read: a second use within 5 minutes.');
    assert.equal(b['1h'].sentence, '1h: a write costs 2× the input price and a read 0.1×, so it pays off from read 2: 3 uses, each within an hour of the previous one.');
    assert.equal(breakEven({ input: 1, write5m: 1.25, write1h: 2, read: 1, output: 1 })['5m'].readsToBreakEven, Infinity);
    assert.equal(breakEven({ input: 1, write5m: 0.9, write1h: 2, read: 0.1, output: 1 })['5m'].readsToBreakEven, 0);
  });

  it('monthly projection', () => {
    assert.deepEqual(projectMonthly({ totalUsd: 0.03, requests: 3 }, 100), { perRequestUsd: 0.01, monthlyUsd: 30, requestsPerDay: 100, days: 30 });
    assert.equal(projectMonthly({ totalUsd: 0, requests: 0 }, 100).monthlyUsd, 0);
    const p = projectComparison(compareStrategies(conversation(), models), 100, 30);
    close(p.actual.monthlyUsd, (0.0136 / 3) * 3000, 'actual monthly');
    close(p.actual.savedMonthlyUsd, ((0.0168 - 0.0136) / 3) * 3000, 'saved monthly');
    assert.deepEqual(p.strategies.map((s) => s.strategy), ['recorded', 'automatic', 'system-only', 'none']);
  });
});
