import type { CacheTtl } from '../../shared/anthropic';

/** USD per million tokens. */
export interface PriceBand {
  input: number;
  write5m: number;
  write1h: number;
  read: number;
  output: number;
}

export type TokenizerGeneration = 'claude-legacy' | 'claude-2026';

export interface ModelInfo {
  /** Canonical API id. */
  id: string;
  aliases: string[];
  displayName: string;
  prices: PriceBand;
  /** Haiku 5.5: the whole request is priced at `long` once input + reads + writes exceed `threshold`. */
  longContext?: { threshold: number; prices: PriceBand };
  /** Fast mode (`speed: "fast"`) base prices; cache multipliers apply on top. */
  fast?: { input: number; output: number };
  /** Minimum cacheable prefix in tokens; null when no source gives one. */
  minCacheableTokens: number | null;
  minCacheableConfirmed: boolean;
  tokenizer: TokenizerGeneration;
  contextWindow: number;
  /** Whether `inference_geo: "us"` applies the 1.1x multiplier (Claude 4.6 and later). */
  usGeoMultiplier: boolean;
  /** Where the prices come from and when they were read. */
  source: string;
  sourceDate: string;
  /** False where the spec marks the prices third-party or unconfirmed. */
  confirmed: boolean;
  deprecated?: string;
  /** Model line; used to derive `minCacheableAssumed` when the minimum is unknown. */
  family?: ModelFamily;
  /**
   * True for known ids without any published price (Mythos 5.2, Mythos Preview). `prices` then
   * holds NaN so no arithmetic can yield a plausible number; `costOf` throws `UnpricedModelError`.
   */
  pricesUnknown?: boolean;
  /**
   * The minimum the planner/predictor should use: `minCacheableTokens` when known, otherwise the
   * conservative value from `minCacheableNote` (always filled in by `createModelTable`).
   */
  minCacheableAssumed?: number;
  /** Why `minCacheableAssumed` has its value when the minimum is unknown or unconfirmed. */
  minCacheableNote?: string;
  /** `speed: "fast"` is accepted but billed at standard rates (Opus 4.6, DOC-PRICE). */
  fastAtStandardRates?: boolean;
}

export type ModelFamily = 'opus' | 'sonnet' | 'haiku' | 'fable' | 'mythos';

export interface ModelTable {
  /** Resolves an id or alias; throws UnknownModelError listing the known ids. */
  resolve(idOrAlias: string): ModelInfo;
  tryResolve(idOrAlias: string): ModelInfo | undefined;
  all(): readonly ModelInfo[];
}

export type { CacheTtl };
