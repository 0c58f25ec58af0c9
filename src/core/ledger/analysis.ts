// What caching did and could have done for a session: the recorded cost against the same requests
// replayed under other strategies ("automatic caching would have cost $X, no caching $Y"), the
// break-even of each TTL for a model, and a monthly projection. Numbers only; the views format.
import type { CacheTtl } from '../../shared/anthropic';
import type { ModelTable, PriceBand } from '../models/types';
import type { RequestRecord } from './record';
import { UsdSum } from './reducers';
import { REPLAY_STRATEGIES, createShapeReplay, type ReplayStrategy, type StrategyCost } from './shapeReplay';

export interface ActualCost {
  /** The records compared: answered requests with a recorded cost (the same set the replay prices). */
  requests: number;
  totalUsd: number;
  noCacheUsd: number;
  savedUsd: number;
  exact: boolean;
}

export interface StrategyComparison {
  actual: ActualCost;
  strategies: StrategyCost[];
  /** The cheapest replayed strategy (ties: the earlier in REPLAY_STRATEGIES). */
  cheapest: ReplayStrategy | null;
}

export interface ComparisonBuilder {
  add(record: RequestRecord): void;
  result(): StrategyComparison;
}

/** Streaming: feed a session's records in time order. */
export function createComparison(models: ModelTable, strategies: readonly ReplayStrategy[] = REPLAY_STRATEGIES): ComparisonBuilder {
  const replays = strategies.map((s) => createShapeReplay(s, models));
  const sums = { total: new UsdSum(), noCache: new UsdSum(), saved: new UsdSum() };
  let requests = 0;
  let exact = true;
  return {
    add(r) {
      // The replay passes over the same records (failures, local answers, unpriced models), so
      // actual and replayed totals cover the same requests.
      const model = models.tryResolve(r.model);
      if (r.outcome !== 'ok' || !r.cost || !model || model.pricesUnknown) return;
      requests++;
      sums.total.add(r.cost.total);
      sums.noCache.add(r.cost.noCache);
      sums.saved.add(r.cost.saved);
      if (!r.cost.exact) exact = false;
      for (const rep of replays) rep.add(r);
    },
    result() {
      const results = replays.map((r) => r.result());
      const cheapest = results.reduce<StrategyCost | null>((best, s) => (!best || s.totalUsd < best.totalUsd - 1e-12 ? s : best), null);
      const actual = { requests, totalUsd: sums.total.value(), noCacheUsd: sums.noCache.value(), savedUsd: sums.saved.value(), exact };
      return { actual, strategies: results, cheapest: cheapest?.strategy ?? null };
    },
  };
}

/** For records in memory (any order: sorted by start time first). */
export function compareStrategies(records: readonly RequestRecord[], models: ModelTable, strategies?: readonly ReplayStrategy[]): StrategyComparison {
  const c = createComparison(models, strategies);
  for (const r of [...records].sort((a, b) => a.atMs - b.atMs)) c.add(r);
  return c.result();
}

const LABELS: Record<ReplayStrategy, string> = {
  recorded: 'the recorded breakpoints',
  automatic: 'automatic caching',
  'system-only': 'caching the system prompt only',
  none: 'no caching',
};

/** "Actual $A; automatic caching would have cost ≈$X, …, no caching ≈$Y." `usd` formats amounts. */
export function comparisonSentence(c: StrategyComparison, usd: (amount: number) => string): string {
  const actual = `${c.actual.exact ? '' : '≈'}${usd(c.actual.totalUsd)}`;
  const others = c.strategies.filter((s) => s.strategy !== 'recorded').map((s) => `${LABELS[s.strategy]} ≈${usd(s.totalUsd)}`);
  const head = `${c.actual.requests.toLocaleString('en-US')} request${c.actual.requests === 1 ? '' : 's'} cost ${actual}`;
  return others.length ? `${head}; replayed, ${others.join(', ')}.` : `${head}.`;
}

export interface BreakEven {
  ttl: CacheTtl;
  /** Write and read prices as multiples of the base input price. */
  writeMultiplier: number;
  readMultiplier: number;
  /** Reads of the entry (each within the TTL of the previous use) after which caching is cheaper than not; Infinity if never. */
  readsToBreakEven: number;
  sentence: string;
}

const times = (x: number) => `${Number(x.toFixed(3))}×`;

function breakEvenFor(ttl: CacheTtl, write: number, prices: PriceBand): BreakEven {
  const w = write / prices.input;
  const rd = prices.read / prices.input;
  // n reads pay off when write + n·read < (n + 1)·input, i.e. n > (w − 1) / (1 − rd).
  const reads = rd >= 1 ? Infinity : Math.max(0, Math.floor((w - 1) / (1 - rd)) + 1);
  const window = ttl === '5m' ? '5 minutes' : 'an hour';
  const when = reads === Infinity
    ? 'it never pays off (a read costs as much as input)'
    : reads <= 1
      ? `it pays off from the first read: a second use within ${window}`
      : `it pays off from read ${reads}: ${reads + 1} uses, each within ${window} of the previous one`;
  return { ttl, writeMultiplier: w, readMultiplier: rd, readsToBreakEven: reads, sentence: `${ttl}: a write costs ${times(w)} the input price and a read ${times(rd)}, so ${when}.` };
}

/** When each TTL pays off on a model: 5m (1.25× write vs 0.1× read) and 1h (2× write). */
export function breakEven(prices: PriceBand): Record<CacheTtl, BreakEven> {
  return { '5m': breakEvenFor('5m', prices.write5m, prices), '1h': breakEvenFor('1h', prices.write1h, prices) };
}

export interface MonthlyProjection {
  perRequestUsd: number;
  monthlyUsd: number;
  requestsPerDay: number;
  days: number;
}

/** Scales a cost over `requests` to `requestsPerDay` for `days` days (default 30). */
export function projectMonthly(cost: { totalUsd: number; requests: number }, requestsPerDay: number, days = 30): MonthlyProjection {
  const perRequestUsd = cost.requests > 0 ? cost.totalUsd / cost.requests : 0;
  return { perRequestUsd, monthlyUsd: perRequestUsd * requestsPerDay * days, requestsPerDay, days };
}

/** The projection per strategy and for what actually happened, with the monthly saving against no caching. */
export function projectComparison(c: StrategyComparison, requestsPerDay: number, days = 30) {
  const actual = projectMonthly(c.actual, requestsPerDay, days);
  const none = projectMonthly({ totalUsd: c.actual.noCacheUsd, requests: c.actual.requests }, requestsPerDay, days);
  return {
    actual: { ...actual, savedMonthlyUsd: none.monthlyUsd - actual.monthlyUsd },
    strategies: c.strategies.map((s) => {
      const p = projectMonthly(s, requestsPerDay, days);
      return { strategy: s.strategy, ...p, savedMonthlyUsd: none.monthlyUsd - p.monthlyUsd };
    }),
  };
}
