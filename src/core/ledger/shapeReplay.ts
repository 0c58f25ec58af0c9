// Replays recorded request shapes under another breakpoint strategy.
//
// Why not core/cache/simulator.ts: the simulator keys and counts blocks from request *content*
// (cacheBlocks hashes and tokenizes each block of a MessagesRequest), and a record holds no text,
// only per block its tier, token estimate and prefix hash. So this is a compact shape-based copy
// of the same rules (spec §1), sharing the simulator's constants: writes only at breakpoints; a
// read of the longest live entry found by a breakpoint's 20-block look-back; TTL counted from the
// request's start and refreshed on a hit; the per-model minimum; mixed-TTL billing (A/B/C, §1.5).
// Requests are taken as sequential (an entry is readable by the next request), as in a session.
// Prices are applied by core/cost/cost.ts on the usage the replay produces.
import type { CacheTtl, Usage } from '../../shared/anthropic';
import { FALLBACK_MIN_CACHEABLE_TOKENS, LOOKBACK_BLOCKS, TTL_MS } from '../cache/simulator';
import { costOf } from '../cost/cost';
import type { ModelInfo, ModelTable } from '../models/types';
import type { RequestRecord, RequestShape, ShapeBreakpoint, UsageBucketsView } from './record';
import { UsdSum, inputSide } from './reducers';

export const REPLAY_STRATEGIES = ['recorded', 'automatic', 'system-only', 'none'] as const;
export type ReplayStrategy = (typeof REPLAY_STRATEGIES)[number];

/** Breakpoints the strategy would have placed on this shape (sorted by block). */
export function breakpointsFor(strategy: ReplayStrategy, shape: RequestShape): ShapeBreakpoint[] {
  const last = shape.blocks.length - 1;
  switch (strategy) {
    case 'recorded':
      return shape.breakpoints.filter((b) => b.blockIndex >= 0 && b.blockIndex <= last).sort((a, b) => a.blockIndex - b.blockIndex);
    case 'automatic':
      // Top-level cache_control: one 5m breakpoint on the last block (shapes do not mark
      // ineligible blocks; the runner never ends a request on a thinking or empty block).
      return last >= 0 ? [{ blockIndex: last, ttl: '5m' }] : [];
    case 'system-only': {
      // As strategies.ts markSystem: the last block of the `system` array, which holds the
      // instructions and the context documents.
      let i = last;
      while (i >= 0 && shape.blocks[i]?.tier !== 'system' && shape.blocks[i]?.tier !== 'context') i--;
      return i >= 0 ? [{ blockIndex: i, ttl: '5m' }] : [];
    }
    case 'none':
      return [];
  }
}

export interface StrategyCost {
  strategy: ReplayStrategy;
  /** Records replayed (answered requests to a priced model). */
  requests: number;
  tokens: UsageBucketsView;
  totalUsd: number;
  noCacheUsd: number;
  savedUsd: number;
  hitRatio: number;
  /** False when pricing any replayed request rested on an assumption (the replay itself is always a model: shown with ≈). */
  exact: boolean;
}

export interface ShapeReplay {
  /** Feed records in time order; failures, local answers and unpriced models are passed over. */
  add(record: RequestRecord): void;
  result(): StrategyCost;
}

export interface ShapeEntry {
  ttl: CacheTtl;
  expiresAtMs: number;
}

/**
 * Token count at the end of each block, rescaled so the whole request matches the input-side
 * tokens the API reported (shapes hold calibrated estimates; the bill holds the truth).
 */
function prefixTokens(r: Pick<RequestRecord, 'buckets' | 'shape'>): { prefix: number[]; total: number } {
  const total = inputSide(r.buckets);
  const estimated = r.shape.blocks.reduce((s, b) => s + b.tokens, 0);
  const factor = estimated > 0 ? total / estimated : 0;
  let run = 0;
  const prefix = r.shape.blocks.map((b) => Math.min(total, Math.round((run += b.tokens) * factor)));
  return { prefix, total };
}

/** §1.5 billing: reads up to A (the hit), 1h writes A..B, 5m writes B..C. */
function bill(bps: ShapeBreakpoint[], prefix: number[], total: number, hit: number, minimum: number) {
  const read = hit >= 0 ? (prefix[hit] ?? 0) : 0;
  let b1h = read;
  let c = read;
  const writes: ShapeBreakpoint[] = [];
  for (const bp of bps) {
    const tokens = prefix[bp.blockIndex] ?? 0;
    if (bp.blockIndex <= hit || tokens < minimum) continue;
    writes.push(bp);
    if (bp.ttl === '1h') b1h = Math.max(b1h, tokens);
    c = Math.max(c, tokens);
  }
  const buckets: UsageBucketsView = { input: total - c, cacheWrite5m: c - b1h, cacheWrite1h: b1h - read, cacheRead: read, output: 0 };
  return { buckets, writes };
}

function usageOf(b: UsageBucketsView, r: RequestRecord): Usage {
  const u: Usage = {
    input_tokens: b.input,
    cache_creation_input_tokens: b.cacheWrite5m + b.cacheWrite1h,
    cache_read_input_tokens: b.cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: b.cacheWrite5m, ephemeral_1h_input_tokens: b.cacheWrite1h },
    output_tokens: r.buckets.output,
  };
  // Same tier, speed and region as the request that ran, so modifiers apply alike. Copied only
  // when valid: the codec checks that usage is an object, not every field costOf reads.
  const { service_tier: tier, speed, inference_geo: geo } = r.usage ?? {};
  if (tier === 'standard' || tier === 'priority' || tier === 'batch') u.service_tier = tier;
  if (speed === 'standard' || speed === 'fast') u.speed = speed;
  if (typeof geo === 'string') u.inference_geo = geo;
  return u;
}

const minimumOf = (m: ModelInfo): number => m.minCacheableTokens ?? m.minCacheableAssumed ?? FALLBACK_MIN_CACHEABLE_TOKENS;

/** The server-side cache as seen by shapes: entries keyed by prefix hash (callers add scope and model as needed). */
export class ShapeCache {
  private entries = new Map<string, ShapeEntry>();
  private commits = 0;

  /** Every entry held, expired ones included until a commit drops them (the explainer can name an expiry). */
  held(): IterableIterator<[string, ShapeEntry]> {
    return this.entries.entries();
  }

  private live(key: string, atMs: number): ShapeEntry | undefined {
    const e = this.entries.get(key);
    return e && e.expiresAtMs > atMs ? e : undefined;
  }

  /** The longest live entry found by a breakpoint's look-back, latest breakpoint first; -1 when none. */
  findHit(keys: string[], bps: ShapeBreakpoint[], atMs: number): number {
    for (let k = bps.length - 1; k >= 0; k--) {
      const at = (bps[k] as ShapeBreakpoint).blockIndex;
      for (let p = at; p >= Math.max(0, at - LOOKBACK_BLOCKS + 1); p--) if (this.live(keys[p] as string, atMs)) return p;
    }
    return -1;
  }

  commit(keys: string[], bps: ShapeBreakpoint[], hit: number, writes: ShapeBreakpoint[], atMs: number): void {
    // A hit uses the content of every earlier breakpoint too: refresh those entries with it.
    for (const p of [hit, ...bps.filter((b) => b.blockIndex < hit).map((b) => b.blockIndex)]) {
      const e = p >= 0 ? this.live(keys[p] as string, atMs) : undefined;
      if (e) e.expiresAtMs = Math.max(e.expiresAtMs, atMs + TTL_MS[e.ttl]);
    }
    for (const bp of writes) this.entries.set(keys[bp.blockIndex] as string, { ttl: bp.ttl, expiresAtMs: atMs + TTL_MS[bp.ttl] });
    // Keep memory flat over a long ledger: drop entries that can no longer be read.
    if (++this.commits % 512 === 0) for (const [k, e] of this.entries) if (e.expiresAtMs <= atMs) this.entries.delete(k);
  }
}

export interface ReplayedRecord {
  buckets: UsageBucketsView;
  /** The breakpoints that wrote an entry, and the rescaled token count at the end of each block. */
  writes: ShapeBreakpoint[];
  prefix: number[];
}

/**
 * Applies one answered record to `cache` as the server did at `atMs`, under the breakpoints
 * `bps`; `keys` are the cache keys of its blocks (the prefix hashes, qualified as the cache needs).
 */
export function replayRecord(cache: ShapeCache, r: Pick<RequestRecord, 'buckets' | 'shape'>, model: ModelInfo, bps: ShapeBreakpoint[], keys: string[], atMs: number): ReplayedRecord {
  const { prefix, total } = prefixTokens(r);
  const hit = cache.findHit(keys, bps, atMs);
  const { buckets, writes } = bill(bps, prefix, total, hit, minimumOf(model));
  cache.commit(keys, bps, hit, writes, atMs);
  return { buckets, writes, prefix };
}

class Replayer implements ShapeReplay {
  private cache = new ShapeCache();
  private tokens: UsageBucketsView = { input: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0 };
  private requests = 0;
  private exact = true;
  private totalUsd = new UsdSum();
  private noCacheUsd = new UsdSum();

  constructor(
    private readonly strategy: ReplayStrategy,
    private readonly models: ModelTable,
  ) {}

  add(r: RequestRecord): void {
    if (r.outcome !== 'ok') return;
    const model = this.models.tryResolve(r.model);
    if (!model || model.pricesUnknown) return;
    // Caches are per model and per server-side scope (workspace, emulator instance).
    const keys = r.shape.blocks.map((b) => `${r.backend.cacheScope}\u0000${model.id}\u0000${b.prefixHash}`);
    const { buckets } = replayRecord(this.cache, r, model, breakpointsFor(this.strategy, r.shape), keys, r.atMs);
    let cost;
    try {
      cost = costOf(usageOf(buckets, r), model);
    } catch {
      return; // cannot happen for validated records; a replay must never crash a report
    }
    this.requests++;
    this.totalUsd.add(cost.total);
    this.noCacheUsd.add(cost.noCache);
    if (!cost.exact) this.exact = false;
    for (const k of Object.keys(this.tokens) as Array<keyof UsageBucketsView>) this.tokens[k] += k === 'output' ? r.buckets.output : buckets[k];
  }

  result(): StrategyCost {
    const all = inputSide(this.tokens);
    return {
      strategy: this.strategy,
      requests: this.requests,
      tokens: { ...this.tokens },
      totalUsd: this.totalUsd.value(),
      noCacheUsd: this.noCacheUsd.value(),
      savedUsd: UsdSum.toUsd(this.noCacheUsd.raw - this.totalUsd.raw),
      hitRatio: all ? this.tokens.cacheRead / all : 0,
      exact: this.exact,
    };
  }
}

export function createShapeReplay(strategy: ReplayStrategy, models: ModelTable): ShapeReplay {
  return new Replayer(strategy, models);
}
