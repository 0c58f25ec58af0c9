// A local model of Anthropic's prompt cache, implementing spec §1 (see each rule's comment).
import type { CacheTtl, MessagesRequest, Usage } from '../../shared/anthropic';
import type { ModelInfo, ModelTable } from '../models/types';
import type { TokenCounter } from '../request/blocks';
import { blockTokenCounter } from '../tokens/estimate';
import { BlockMemo, cacheBlocks, keyOf, type CacheBlock, type CacheBlockList } from './blocks';
import { toolUseOverheadTokens } from './toolOverhead';
import type { BreakpointOutcome, CacheEntryView, CacheNote, CacheOutcome, CacheSimulator, CommitOptions } from './types';
import { TTL_MS } from './ttl';
import { validateCacheControl } from './validate';

/** §1.4: each breakpoint checks at most 20 positions, counting itself as the first. */
export const LOOKBACK_BLOCKS = 20;

export { TTL_MS } from './ttl';

/**
 * Used only when the model table gives neither a minimum nor an assumed one (5.5 generation and
 * others are UNCONFIRMED, spec §2/§11; the table's `minCacheableAssumed` comes first). 1,024 is
 * the documented Sonnet 5 figure; outcomes carry `minimumConfirmed: false` so the UI can say so.
 */
export const FALLBACK_MIN_CACHEABLE_TOKENS = 1024;

/** Expired entries are kept this long so the explainer can say "expired N minutes ago". */
const EXPIRED_RETENTION_MS = 24 * 60 * 60_000;

/** Thrown for a request the API would reject with a 400 (`message` is the API's text). */
export class CacheControlError extends Error {
  readonly status = 400;
}

export interface CacheSimulatorOptions {
  models: ModelTable;
  /** Per-model block token counter (calibrated per tokenizer generation); memoised by canonical content. */
  countTokens?: (model: ModelInfo) => TokenCounter;
  /** Look-back window; only tests change it. */
  lookback?: number;
}

interface Entry extends CacheEntryView {
  /** Not readable before this time: an entry exists only once the writing response has begun. */
  availableAtMs: number;
}

interface Breakpoint {
  blockIndex: number;
  ttl: CacheTtl;
  automatic: boolean;
}

interface Evaluation {
  outcome: CacheOutcome;
  list: CacheBlockList;
  hitKeys: string[];
  writes: Breakpoint[];
}

/** Explicit markers plus the automatic one (§1.2): last eligible block, a no-op if already marked. */
export function breakpointsOf(list: CacheBlockList, request: MessagesRequest): Breakpoint[] {
  const bps: Breakpoint[] = [];
  for (const b of list.blocks) {
    if (b.cacheControl) bps.push({ blockIndex: b.index, ttl: b.cacheControl.ttl ?? '5m', automatic: false });
  }
  if (request.cache_control) {
    let i = list.blocks.length - 1;
    while (i >= 0 && !list.blocks[i]?.eligible) i--;
    const target = list.blocks[i];
    if (target && !target.cacheControl) {
      bps.push({ blockIndex: i, ttl: request.cache_control.ttl ?? '5m', automatic: true });
    }
  }
  return bps;
}

/** §1.5 mixed-TTL billing: A = highest hit, B = highest 1h write after A, C = last write. */
function bill(list: CacheBlockList, bps: Breakpoint[], hit: number, finder: number | undefined, minimum: number) {
  const prefixAt = (i: number) => list.blocks[i]?.prefixTokens ?? 0;
  const read = hit >= 0 ? prefixAt(hit) : 0;
  let b1h = read;
  let c = read;
  const writes: Breakpoint[] = [];
  const outcomes: BreakpointOutcome[] = bps.map((bp, k) => {
    const prefixTokens = prefixAt(bp.blockIndex);
    const base = { blockIndex: bp.blockIndex, ttl: bp.ttl, prefixTokens, ...(bp.automatic ? { automatic: true } : {}) };
    if (bp.blockIndex === hit) return { ...base, result: 'hit', hitBlockIndex: hit };
    if (bp.blockIndex < hit) return { ...base, result: 'covered-by-later-hit' };
    // The breakpoint whose look-back found the hit still writes its own, longer prefix.
    const found = k === finder ? { hitBlockIndex: hit } : {};
    // §2: below the minimum the request succeeds uncached, with no error.
    if (prefixTokens < minimum) return { ...base, ...found, result: 'below-minimum' };
    writes.push(bp);
    if (bp.ttl === '1h') b1h = Math.max(b1h, prefixTokens);
    c = Math.max(c, prefixTokens);
    return { ...base, ...found, result: 'write' };
  });
  const usage: Usage = {
    input_tokens: list.totalTokens - c,
    cache_creation_input_tokens: c - read,
    cache_read_input_tokens: read,
    cache_creation: { ephemeral_5m_input_tokens: c - b1h, ephemeral_1h_input_tokens: b1h - read },
    output_tokens: 0,
  };
  return { outcomes, writes, usage };
}

export function createCacheSimulator(options: CacheSimulatorOptions): CacheSimulator {
  const entries = new Map<string, Entry>();
  const memo = new BlockMemo();
  const lookback = options.lookback ?? LOOKBACK_BLOCKS;
  const counters = new Map<string, TokenCounter>();
  let commits = 0;

  const counterFor = (model: ModelInfo): [TokenCounter, string] => {
    // Counts depend only on the tokenizer generation unless the caller supplies its own counter.
    const id = options.countTokens ? `model:${model.id}` : `gen:${model.tokenizer}`;
    let c = counters.get(id);
    if (!c) counters.set(id, (c = options.countTokens ? options.countTokens(model) : blockTokenCounter(model.tokenizer)));
    return [c, id];
  };

  const live = (e: Entry | undefined, atMs: number): e is Entry => !!e && e.expiresAtMs > atMs && e.availableAtMs <= atMs;

  function findHit(list: CacheBlockList, bps: Breakpoint[], atMs: number): { hit: number; finder?: number } {
    for (let k = bps.length - 1; k >= 0; k--) {
      const bp = bps[k] as Breakpoint;
      const stop = Math.max(0, bp.blockIndex - lookback + 1);
      for (let p = bp.blockIndex; p >= stop; p--) {
        if (live(entries.get(keyOf(list.blocks[p] as CacheBlock)), atMs)) return { hit: p, finder: k };
      }
    }
    return { hit: -1 };
  }

  /** Entries for this prefix that were not used: expired, pending, or out of look-back reach. */
  function notesFor(list: CacheBlockList, bps: Breakpoint[], hit: number, atMs: number): CacheNote[] {
    const notes: CacheNote[] = [];
    const last = bps[bps.length - 1]?.blockIndex ?? -1;
    for (let p = last; p > hit; p--) {
      const block = list.blocks[p];
      const e = block && entries.get(keyOf(block));
      if (!block || !e) continue;
      if (e.expiresAtMs <= atMs) {
        notes.push({ kind: 'expired', blockIndex: p, ttl: e.ttl, expiredAtMs: e.expiresAtMs, prefixTokens: block.prefixTokens });
      } else if (e.availableAtMs > atMs) {
        notes.push({ kind: 'pending', blockIndex: p, availableAtMs: e.availableAtMs, prefixTokens: block.prefixTokens });
      } else {
        const nearest = bps.find((b) => b.blockIndex >= p)?.blockIndex ?? last;
        notes.push({ kind: 'beyond-lookback', blockIndex: p, prefixTokens: block.prefixTokens, nearestBreakpoint: nearest });
      }
    }
    return notes;
  }

  function evaluate(request: MessagesRequest, atMs: number): Evaluation {
    const model = options.models.resolve(request.model);
    const invalid = validateCacheControl(request);
    if (invalid) throw new CacheControlError(invalid);
    const [counter, counterId] = counterFor(model);
    const list = cacheBlocks(request, model.id, counter, counterId, memo, toolUseOverheadTokens(model, request));
    const bps = breakpointsOf(list, request).sort((a, b) => a.blockIndex - b.blockIndex);
    const minimum = model.minCacheableTokens ?? model.minCacheableAssumed ?? FALLBACK_MIN_CACHEABLE_TOKENS;
    const { hit, finder } = findHit(list, bps, atMs);
    const { outcomes, writes, usage } = bill(list, bps, hit, finder, minimum);
    const notes = notesFor(list, bps, hit, atMs);
    const hitKeys = bps.filter((bp) => bp.blockIndex <= hit).map((bp) => keyOf(list.blocks[bp.blockIndex] as CacheBlock));
    if (hit >= 0) hitKeys.push(keyOf(list.blocks[hit] as CacheBlock));
    return {
      outcome: {
        usage,
        breakpoints: outcomes,
        totalInputTokens: list.totalTokens,
        readUpToBlock: hit + 1,
        ...(notes.length ? { notes } : {}),
        minCacheableTokens: minimum,
        minimumConfirmed: model.minCacheableTokens !== null && model.minCacheableConfirmed,
      },
      list,
      hitKeys,
      writes,
    };
  }

  function purge(atMs: number): void {
    for (const [k, e] of entries) if (e.expiresAtMs + EXPIRED_RETENTION_MS < atMs) entries.delete(k);
  }

  return {
    predict: (request, atMs) => evaluate(request, atMs).outcome,
    commit(request: MessagesRequest, atMs: number, commitOptions?: CommitOptions): CacheOutcome {
      const { outcome, list, hitKeys, writes } = evaluate(request, atMs);
      // §1.5: lifetime counts from the start of the request, refreshed on every hit. That a hit
      // refreshes a 1h entry is implied by the price table ("Cache Hits & Refreshes"), not stated
      // (spec §11 item 5). The content of earlier breakpoints is used by a longer hit too, so
      // their entries are refreshed with it.
      for (const key of hitKeys) {
        const e = entries.get(key);
        if (live(e, atMs)) e.expiresAtMs = Math.max(e.expiresAtMs, atMs + TTL_MS[e.ttl]);
      }
      const availableAtMs = Math.max(atMs, commitOptions?.availableAtMs ?? atMs);
      for (const bp of writes) {
        const block = list.blocks[bp.blockIndex];
        if (!block) continue;
        const key = keyOf(block);
        const prior = entries.get(key);
        // A concurrent writer of the same prefix: whichever response starts first makes it available.
        const pendingSince = prior && prior.expiresAtMs > atMs && prior.availableAtMs > atMs ? prior.availableAtMs : Infinity;
        entries.set(key, {
          model: options.models.resolve(request.model).id,
          key,
          blockIndex: bp.blockIndex,
          prefixTokens: block.prefixTokens,
          ttl: bp.ttl,
          expiresAtMs: atMs + TTL_MS[bp.ttl],
          availableAtMs: Math.min(pendingSince, availableAtMs),
        });
      }
      if (++commits % 256 === 0) purge(atMs);
      return outcome;
    },
    seed(seeded: readonly CacheEntryView[]): void {
      for (const e of seeded) {
        const prior = entries.get(e.key);
        if (prior && prior.expiresAtMs >= e.expiresAtMs) continue;
        const usedAtMs = e.expiresAtMs - TTL_MS[e.ttl];
        entries.set(e.key, { ...e, availableAtMs: prior ? Math.min(prior.availableAtMs, usedAtMs) : usedAtMs });
      }
    },
    entries(atMs: number): CacheEntryView[] {
      const out: CacheEntryView[] = [];
      for (const e of entries.values()) {
        if (e.expiresAtMs <= atMs) continue;
        out.push({ model: e.model, key: e.key, blockIndex: e.blockIndex, prefixTokens: e.prefixTokens, ttl: e.ttl, expiresAtMs: e.expiresAtMs });
      }
      return out.sort((a, b) => a.blockIndex - b.blockIndex);
    },
    clear: () => entries.clear(),
  };
}
