// Seeding the send sessions' cache models from the ledger when the engine starts (a window reload
// starts a new worker, whose models would be empty). Only caches that outlive the window are
// seeded: Anthropic's server-side cache keeps a prefix for its TTL since last use whatever this
// process does, while a new window's offline emulator starts empty (its scope,
// `offline-emulator@<generation>`, is never seeded: the forecast would say warm where it is cold).
// The replay is core/ledger/shapeReplay.ts's, on the records' prefix hashes and token counts: no
// text, no tokenizing. Shape prefix hashes are the simulator's own entry keys (both are keyOf).
import { LOOKBACK_BLOCKS } from '../cache/simulator';
import { TTL_MS } from '../cache/ttl';
import type { CacheEntryView } from '../cache/types';
import { bucketsProblem, shapeProblem } from '../ledger/codec';
import { cacheTimeOf, type RequestRecord, type RequestShape, type ShapeBlock } from '../ledger/record';
import { breakpointsFor, replayRecord, ShapeCache } from '../ledger/shapeReplay';
import type { ModelTable } from '../models/types';

/** Records older than the longest TTL, on the cache's clock, left nothing readable. */
export const SEED_WINDOW_MS = TTL_MS['1h'];
/** The latest records seeded at most: bounds the message to the worker and the replay. */
export const MAX_SEED_RECORDS = 300;

/** What the replay reads of a record (the rest stays in the host). */
export type SeedRecord = Pick<RequestRecord, 'atMs' | 'cacheAtMs' | 'model' | 'backend' | 'outcome' | 'buckets' | 'shape'>;

/** Anthropic's cache is on the server: it is still there after a reload. The emulator's is not. */
export const persistsAcrossReloads = (cacheScope: string): boolean => cacheScope.startsWith('anthropic|');

/**
 * The host's pick: answered requests to a cache that persists across reloads, that reached it
 * within SEED_WINDOW_MS before `nowMs` (the cache clock), the latest `max` of them in time order.
 */
export function seedRecordsOf(records: Iterable<RequestRecord>, nowMs: number, max = MAX_SEED_RECORDS): SeedRecord[] {
  const picked: RequestRecord[] = [];
  for (const r of records) {
    if (r.outcome === 'ok' && persistsAcrossReloads(r.backend.cacheScope) && cacheTimeOf(r) >= nowMs - SEED_WINDOW_MS) picked.push(r);
  }
  picked.sort((a, b) => cacheTimeOf(a) - cacheTimeOf(b));
  return (max > 0 ? picked.slice(-max) : []).map((r) => ({
    atMs: r.atMs,
    ...(r.cacheAtMs !== undefined ? { cacheAtMs: r.cacheAtMs } : {}),
    model: r.model,
    backend: { kind: r.backend.kind, cacheScope: r.backend.cacheScope },
    outcome: r.outcome,
    buckets: r.buckets,
    shape: compactShape(r.shape),
  }));
}

/**
 * The shape with only the blocks the replay reads: each breakpoint's look-back window. The blocks
 * between windows fold into one gap block each, with a prefix hash no entry has, so every prefix
 * sum and the total stay exact, and each window still ends at its breakpoint. A long conversation's
 * record shrinks to at most ~4 × 20 blocks: the message to the worker is cloned on the host's thread.
 */
export function compactShape(shape: RequestShape): RequestShape {
  const n = shape.blocks.length;
  const bps = shape.breakpoints.filter((b) => b.blockIndex >= 0 && b.blockIndex < n);
  const keep = new Uint8Array(n);
  for (const b of bps) keep.fill(1, Math.max(0, b.blockIndex - LOOKBACK_BLOCKS + 1), b.blockIndex + 1);
  const blocks: ShapeBlock[] = [];
  const at = new Map<number, number>();
  let gap = -1;
  shape.blocks.forEach((b, i) => {
    if (keep[i]) {
      gap = -1;
      at.set(i, blocks.length);
      blocks.push(b);
    } else if (gap >= 0) (blocks[gap] as ShapeBlock).tokens += b.tokens;
    else {
      gap = blocks.length;
      blocks.push({ tier: b.tier, tokens: b.tokens, prefixHash: '' });
    }
  });
  return { blocks, breakpoints: bps.map((b) => ({ blockIndex: at.get(b.blockIndex) as number, ttl: b.ttl })) };
}

export interface SeededScopes {
  /**
   * Per cache scope, the entries its server cache holds by the records (expired ones too: the
   * explainer names an expiry). `blockIndex` is the position in the shape as sent (compacted).
   */
  entries: Map<string, CacheEntryView[]>;
  /** Records replayed. */
  replayed: number;
  /** Records passed over: malformed, of an unknown model or a scope that does not persist, or with no cache read or write. */
  skipped: number;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** The records arrive by message: anything that is not a usable record is skipped, never thrown on. */
function usable(r: unknown): r is SeedRecord {
  if (!isObj(r) || r.outcome !== 'ok' || typeof r.model !== 'string' || !isTime(r.atMs)) return false;
  if (r.cacheAtMs !== undefined && !isTime(r.cacheAtMs)) return false;
  if (!isObj(r.backend) || typeof r.backend.cacheScope !== 'string' || !persistsAcrossReloads(r.backend.cacheScope)) return false;
  return bucketsProblem(r.buckets, 'buckets') === null && shapeProblem(r.shape) === null;
}

/** Replays `records` (any order) per cache scope into the entries each server cache holds. */
export function seededScopes(records: readonly unknown[], models: ModelTable): SeededScopes {
  const ok = records.filter(usable).sort((a, b) => cacheTimeOf(a) - cacheTimeOf(b));
  const scopes = new Map<string, { cache: ShapeCache; written: Map<string, Omit<CacheEntryView, 'key' | 'ttl' | 'expiresAtMs'>> }>();
  let replayed = 0;
  for (const r of ok) {
    const model = models.tryResolve(r.model);
    const b = r.buckets;
    // The server neither read nor wrote for it (caching skipped): it left no entry, whatever the shape says.
    if (!model || b.cacheRead + b.cacheWrite5m + b.cacheWrite1h === 0) continue;
    let scope = scopes.get(r.backend.cacheScope);
    if (!scope) scopes.set(r.backend.cacheScope, (scope = { cache: new ShapeCache(), written: new Map() }));
    const keys = r.shape.blocks.map((block) => block.prefixHash);
    const { writes, prefix } = replayRecord(scope.cache, r, model, breakpointsFor('recorded', r.shape), keys, cacheTimeOf(r));
    for (const w of writes) scope.written.set(keys[w.blockIndex] as string, { model: model.id, blockIndex: w.blockIndex, prefixTokens: prefix[w.blockIndex] ?? 0 });
    replayed++;
  }
  const entries = new Map<string, CacheEntryView[]>();
  for (const [id, { cache, written }] of scopes) {
    const list: CacheEntryView[] = [];
    for (const [key, e] of cache.held()) {
      const at = written.get(key);
      if (at) list.push({ ...at, key, ttl: e.ttl, expiresAtMs: e.expiresAtMs });
    }
    entries.set(id, list);
  }
  return { entries, replayed, skipped: records.length - replayed };
}
