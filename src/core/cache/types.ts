import type { CacheTtl, MessagesRequest, Usage } from '../../shared/anthropic';

/**
 * A local model of Anthropic's prompt cache (spec §1). One instance holds the entries of one
 * workspace (Anthropic isolates caches per workspace); entries are keyed per model.
 * The same implementation powers the predictor, the offline emulator and strategy replay.
 */
export interface CacheEntryView {
  model: string;
  /** Hash of the whole prefix up to and including the breakpoint block. */
  key: string;
  /** Flattened block position of the breakpoint (tools, then system, then messages). */
  blockIndex: number;
  prefixTokens: number;
  ttl: CacheTtl;
  /** Epoch ms when the entry expires (TTL counted from the start of the last request that wrote or hit it). */
  expiresAtMs: number;
}

export interface BreakpointOutcome {
  /** Flattened block position of this breakpoint. */
  blockIndex: number;
  ttl: CacheTtl;
  prefixTokens: number;
  /** What happened at this breakpoint. */
  result: 'hit' | 'write' | 'below-minimum' | 'covered-by-later-hit';
  /** For a hit found by the look-back: the block position of the entry that was found. */
  hitBlockIndex?: number;
  /** True for the breakpoint placed by top-level (automatic) cache_control. */
  automatic?: boolean;
}

/**
 * Facts the simulator saw while looking entries up, for the miss explainer: an entry for this
 * prefix that had expired, was not yet available (concurrent request), or lay outside every
 * breakpoint's 20-block look-back window.
 */
export type CacheNote =
  | { kind: 'expired'; blockIndex: number; ttl: CacheTtl; expiredAtMs: number; prefixTokens: number }
  | { kind: 'pending'; blockIndex: number; availableAtMs: number; prefixTokens: number }
  | { kind: 'beyond-lookback'; blockIndex: number; prefixTokens: number; nearestBreakpoint: number };

export interface CacheOutcome {
  /** Usage exactly as Anthropic would report it, including the 5m/1h split (output_tokens = 0). */
  usage: Usage;
  breakpoints: BreakpointOutcome[];
  /** Total input tokens (input + writes + reads). */
  totalInputTokens: number;
  /** Block position where the read prefix ends (exclusive); 0 when nothing was read. */
  readUpToBlock: number;
  /** Lookup facts for the explainer (absent when there was nothing to note). */
  notes?: CacheNote[];
  /** The minimum cacheable prefix applied, and whether that figure is confirmed for the model. */
  minCacheableTokens?: number;
  minimumConfirmed?: boolean;
}

export interface CommitOptions {
  /**
   * When the entries written by this request become readable (spec §1.4: "a cache entry only
   * becomes available after the first response begins"). Default `atMs`: sequential traffic.
   * A request sent before this time misses these entries (and writes its own).
   */
  availableAtMs?: number;
}

export interface CacheSimulator {
  /** Predicts what `request`, sent at `atMs`, will read and write, without changing any entry. */
  predict(request: MessagesRequest, atMs: number): CacheOutcome;
  /** Applies `request` as Anthropic would at `atMs` (writes entries, refreshes hit TTLs) and returns the outcome. */
  commit(request: MessagesRequest, atMs: number, options?: CommitOptions): CacheOutcome;
  /**
   * Adds entries known from elsewhere (the ledger's records, after the process restarted). An
   * entry already held keeps whichever expiry is later. Each is readable from its last use
   * (`expiresAtMs` minus its TTL).
   */
  seed(entries: readonly CacheEntryView[]): void;
  /** Live entries at `atMs` (expired ones are dropped). */
  entries(atMs: number): CacheEntryView[];
  clear(): void;
}
