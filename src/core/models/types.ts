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
}

export interface ModelTable {
  /** Resolves an id or alias; throws UnknownModelError listing the known ids. */
  resolve(idOrAlias: string): ModelInfo;
  tryResolve(idOrAlias: string): ModelInfo | undefined;
  all(): readonly ModelInfo[];
}

export type { CacheTtl };
