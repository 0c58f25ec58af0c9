// Totals over ledger records, accumulated one record at a time so a 100k-record ledger is folded
// while it streams in, never held. Rules (design "One record per request"):
// - a failure (`failed`, `aborted`) is counted apart and is never a cache miss: it adds tokens and
//   cost only when usage arrived (a stream cut short is still billed), and never enters the hit
//   ratio, the prediction error or the TTFT figures;
// - a local answer (the response cache) is counted apart and adds no tokens and no cost;
// - money is summed from each record's own cost (priced when it happened, with its table version),
//   never re-priced here, so a report of an old ledger shows what was actually billed.
import type { RequestRecord, UsageBucketsView } from './record';

export type GroupBy = 'session' | 'prompt' | 'version' | 'model' | 'day';

export const GROUP_BYS: readonly GroupBy[] = ['session', 'prompt', 'version', 'model', 'day'];

export interface Totals {
  /** Every record, whatever its outcome. */
  requests: number;
  /** Answered by the API or the emulator (`ok`). */
  answered: number;
  local: number;
  failed: number;
  aborted: number;
  /** Billed tokens: answered requests plus failures whose usage arrived. */
  tokens: UsageBucketsView;
  costUsd: number;
  noCacheUsd: number;
  savedUsd: number;
  /** False when any summed cost was an estimate (shown with ≈). */
  costExact: boolean;
  /** Records with usage but no cost (unknown prices): their tokens count, their money cannot. */
  unpriced: number;
  /** cacheRead / (input + writes + cacheRead) over answered requests; 0 without input. */
  hitRatio: number;
  prediction: PredictionError;
  ttft: { cachedMedianMs: number | null; uncachedMedianMs: number | null; cached: number; uncached: number };
  firstAtMs: number | null;
  lastAtMs: number | null;
}

/** Predicted vs actual input-side tokens (input + writes + reads) of answered, predicted requests. */
export interface PredictionError {
  requests: number;
  predictedTokens: number;
  actualTokens: number;
  /** Sum of |predicted - actual| per request. */
  absErrorTokens: number;
  /** absErrorTokens / actualTokens; 0 when nothing was predicted. */
  relativeError: number;
  /** Sum of |predicted read - actual read|: how far the cache model was from the API. */
  readAbsErrorTokens: number;
}

export interface TotalsAccumulator {
  add(record: RequestRecord): void;
  result(): Totals;
}

export interface GroupTotals {
  key: string;
  totals: Totals;
}

/**
 * Sums dollar amounts in integers of 1e-14 USD (the unit core/cost/cost.ts prices in), so a total
 * of 100k records is the nearest double to the exact decimal sum, not one with float noise.
 */
export class UsdSum {
  private units = 0n;
  add(usd: number): void {
    this.units += BigInt(Math.round(usd * 1e14));
  }
  /** `units` of another sum, for differences (saved = no cache - total) without rounding twice. */
  get raw(): bigint {
    return this.units;
  }
  static toUsd(units: bigint): number {
    const neg = units < 0n;
    const abs = neg ? -units : units;
    return Number(`${neg ? '-' : ''}${abs / 10n ** 14n}.${(abs % 10n ** 14n).toString().padStart(14, '0')}`);
  }
  value(): number {
    return UsdSum.toUsd(this.units);
  }
}

const zeroBuckets = (): UsageBucketsView => ({ input: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0 });

/** Input-side tokens: everything the model read, cached or not. */
export const inputSide = (b: UsageBucketsView): number => b.input + b.cacheWrite5m + b.cacheWrite1h + b.cacheRead;

function addBuckets(into: UsageBucketsView, b: UsageBucketsView): void {
  into.input += b.input;
  into.cacheWrite5m += b.cacheWrite5m;
  into.cacheWrite1h += b.cacheWrite1h;
  into.cacheRead += b.cacheRead;
  into.output += b.output;
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = Float64Array.from(xs).sort();
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** A request that ran (or began running) against a backend and whose usage is known. */
export const billed = (r: RequestRecord): boolean => r.outcome === 'ok' || ((r.outcome === 'failed' || r.outcome === 'aborted') && r.usage !== undefined);

class Accumulator implements TotalsAccumulator {
  private t: Totals = {
    requests: 0, answered: 0, local: 0, failed: 0, aborted: 0, tokens: zeroBuckets(),
    costUsd: 0, noCacheUsd: 0, savedUsd: 0, costExact: true, unpriced: 0, hitRatio: 0,
    prediction: { requests: 0, predictedTokens: 0, actualTokens: 0, absErrorTokens: 0, relativeError: 0, readAbsErrorTokens: 0 },
    ttft: { cachedMedianMs: null, uncachedMedianMs: null, cached: 0, uncached: 0 },
    firstAtMs: null, lastAtMs: null,
  };
  private answeredTokens = zeroBuckets();
  private cost = new UsdSum();
  private noCache = new UsdSum();
  private saved = new UsdSum();
  // TTFTs are kept to give exact medians: 8 bytes per answered request, against ~1 KB per record.
  private ttftCached: number[] = [];
  private ttftUncached: number[] = [];

  add(r: RequestRecord): void {
    const t = this.t;
    t.requests++;
    t.firstAtMs = t.firstAtMs === null ? r.atMs : Math.min(t.firstAtMs, r.atMs);
    t.lastAtMs = t.lastAtMs === null ? r.atMs : Math.max(t.lastAtMs, r.atMs);
    if (r.outcome === 'local') t.local++;
    else if (r.outcome === 'failed') t.failed++;
    else if (r.outcome === 'aborted') t.aborted++;
    else t.answered++;
    if (!billed(r)) return;
    addBuckets(t.tokens, r.buckets);
    this.addCost(r);
    if (r.outcome === 'ok') this.addAnswered(r);
  }

  private addCost(r: RequestRecord): void {
    const t = this.t;
    if (!r.cost) {
      t.unpriced++;
      return;
    }
    this.cost.add(r.cost.total);
    this.noCache.add(r.cost.noCache);
    this.saved.add(r.cost.saved);
    if (!r.cost.exact) t.costExact = false;
  }

  private addAnswered(r: RequestRecord): void {
    addBuckets(this.answeredTokens, r.buckets);
    if (r.predicted) {
      const p = this.t.prediction;
      const predicted = inputSide(r.predicted.buckets);
      const actual = inputSide(r.buckets);
      p.requests++;
      p.predictedTokens += predicted;
      p.actualTokens += actual;
      p.absErrorTokens += Math.abs(predicted - actual);
      p.readAbsErrorTokens += Math.abs(r.predicted.buckets.cacheRead - r.buckets.cacheRead);
    }
    if (r.ttftMs !== null) (r.buckets.cacheRead > 0 ? this.ttftCached : this.ttftUncached).push(r.ttftMs);
  }

  result(): Totals {
    const t: Totals = { ...this.t, tokens: { ...this.t.tokens }, prediction: { ...this.t.prediction } };
    t.costUsd = this.cost.value();
    t.noCacheUsd = this.noCache.value();
    t.savedUsd = this.saved.value();
    const all = inputSide(this.answeredTokens);
    t.hitRatio = all === 0 ? 0 : this.answeredTokens.cacheRead / all;
    t.prediction.relativeError = t.prediction.actualTokens === 0 ? 0 : t.prediction.absErrorTokens / t.prediction.actualTokens;
    t.ttft = {
      cachedMedianMs: median(this.ttftCached),
      uncachedMedianMs: median(this.ttftUncached),
      cached: this.ttftCached.length,
      uncached: this.ttftUncached.length,
    };
    return t;
  }
}

export function createTotals(): TotalsAccumulator {
  return new Accumulator();
}

/** UTC calendar day of the request's start, `YYYY-MM-DD`. */
export const utcDay = (atMs: number): string => new Date(atMs).toISOString().slice(0, 10);

/**
 * Hash prefixes name a version: 12 hex digits (48 bits) per tier keeps keys readable, and a
 * collision among one workspace's versions of one prompt is not a practical concern.
 */
const short = (hash: string): string => hash.slice(0, 12);

export function groupKey(r: RequestRecord, by: GroupBy): string {
  switch (by) {
    case 'session':
      return r.sessionId;
    case 'prompt':
      return r.prompt.id;
    case 'version': {
      const v = r.prompt.version;
      return `${r.prompt.id}@${short(v.tools)}.${short(v.system)}.${short(v.context)}`;
    }
    case 'model':
      return r.model;
    case 'day':
      return utcDay(r.atMs);
  }
}

export interface GroupedAccumulator {
  add(record: RequestRecord): void;
  /** Groups in order of their first request (chronological for sessions and days). */
  result(): GroupTotals[];
}

export function createGrouped(by: GroupBy): GroupedAccumulator {
  const groups = new Map<string, TotalsAccumulator>();
  return {
    add(record) {
      const key = groupKey(record, by);
      let acc = groups.get(key);
      if (!acc) groups.set(key, (acc = createTotals()));
      acc.add(record);
    },
    result() {
      const out = [...groups].map(([key, acc]) => ({ key, totals: acc.result() }));
      return out.sort((a, b) => (a.totals.firstAtMs ?? 0) - (b.totals.firstAtMs ?? 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
  };
}

/** Convenience for records already in memory. */
export function totalsOf(records: Iterable<RequestRecord>): Totals {
  const acc = createTotals();
  for (const r of records) acc.add(r);
  return acc.result();
}
