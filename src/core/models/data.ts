// The one price/limits table. Every number comes from /work/shared/spec/anthropic-api.md §2 and
// §3 (tags DOC-PRICE etc. are that spec's source tags); nothing is derived from a multiplier,
// because from Sept 2026 the 0.1x read rule no longer holds for every model.
import type { ModelFamily, ModelInfo, PriceBand } from './types';

export const PRICE_TABLE_DATE = '2026-11-27';

/** Shown as `price_source` for built-in models. */
export const PRICE_TABLE_VERSION =
  `prices as of ${PRICE_TABLE_DATE}; sources: DOC-PRICE 2026-08-20, DOC-PRICE-NEW ~2026-09, ` +
  'DOC-MODELS-NEW 2026-09/10, third-party trackers to 2026-11-10 (spec anthropic-api.md §2-§3)';

/** Claude 4.6+ and Mythos Preview: "the full 1M token context window at standard pricing". */
const CTX_1M = 1_000_000;
const CTX_200K = 200_000;

/** A row as written below: a ModelInfo whose prices may be missing and whose family is required. */
export type ModelRow = Omit<ModelInfo, 'prices' | 'family' | 'pricesUnknown' | 'minCacheableAssumed'> & {
  family: ModelFamily;
  /** null: a known id with no published price (costing it is an error, never a default). */
  prices: PriceBand | null;
};

const band = (input: number, write5m: number, write1h: number, read: number, output: number): PriceBand => ({
  input,
  write5m,
  write1h,
  read,
  output,
});

const OPUS_45_TO_5 = band(5, 6.25, 10, 0.5, 25);
const OPUS_4_0 = band(15, 18.75, 30, 1.5, 75);
const SONNET_3 = band(3, 3.75, 6, 0.3, 15);
const FABLE_MYTHOS_5_1 = band(10, 12.5, 20, 0.25, 50);
const FABLE_MYTHOS_5 = band(10, 12.5, 20, 1, 50);
const NEW_GEN = { tokenizer: 'claude-2026', contextWindow: CTX_1M, usGeoMultiplier: true } as const;
const GEN_46 = { tokenizer: 'claude-legacy', contextWindow: CTX_1M, usGeoMultiplier: true } as const;
const OLD_GEN = { tokenizer: 'claude-legacy', contextWindow: CTX_200K, usGeoMultiplier: false } as const;
const RETIRED = 'retired on the first-party API';
const MIN_UNKNOWN = { minCacheableTokens: null, minCacheableConfirmed: false } as const;
const min = (tokens: number, confirmed = true) => ({ minCacheableTokens: tokens, minCacheableConfirmed: confirmed });

export const MODEL_ROWS: readonly ModelRow[] = [
  {
    id: 'claude-fable-5-2', aliases: [], displayName: 'Claude Fable 5.2', family: 'fable',
    prices: band(8, 10, 16, 0.2, 40), ...MIN_UNKNOWN, ...NEW_GEN,
    source: '[3P, UNCONFIRMED official] archid21/rightsize v0.10.2; docs.laozhang.ai', sourceDate: '2026-11-10',
    confirmed: false,
  },
  {
    id: 'claude-mythos-5-2', aliases: [], displayName: 'Claude Mythos 5.2', family: 'mythos',
    prices: null, ...MIN_UNKNOWN, ...NEW_GEN,
    source: '[UNCONFIRMED] in the SDK 1.14 Model union; no price found', sourceDate: '2026-11-24', confirmed: false,
  },
  {
    id: 'claude-fable-5-1', aliases: [], displayName: 'Claude Fable 5.1', family: 'fable',
    prices: FABLE_MYTHOS_5_1, ...min(512, false), ...NEW_GEN,
    minCacheableNote: '512 per [3P] BerriAI/litellm#39163 only',
    source: 'DOC-PRICE-NEW (excerpt)', sourceDate: '2026-09', confirmed: true,
  },
  {
    id: 'claude-mythos-5-1', aliases: [], displayName: 'Claude Mythos 5.1', family: 'mythos',
    prices: FABLE_MYTHOS_5_1, ...MIN_UNKNOWN, ...NEW_GEN,
    source: 'DOC-PRICE-NEW (excerpt); availability after Sept 2026 unknown', sourceDate: '2026-09', confirmed: true,
  },
  {
    id: 'claude-fable-5', aliases: [], displayName: 'Claude Fable 5', family: 'fable',
    prices: FABLE_MYTHOS_5, ...min(512), ...NEW_GEN, source: 'DOC-PRICE', sourceDate: '2026-08-20', confirmed: true,
  },
  {
    id: 'claude-mythos-5', aliases: [], displayName: 'Claude Mythos 5', family: 'mythos',
    prices: FABLE_MYTHOS_5, ...min(512), ...NEW_GEN, source: 'DOC-PRICE', sourceDate: '2026-08-20', confirmed: true,
  },
  {
    id: 'claude-opus-5-5', aliases: [], displayName: 'Claude Opus 5.5', family: 'opus',
    prices: band(4, 5, 8, 0.2, 20), ...MIN_UNKNOWN, ...NEW_GEN,
    source: 'DOC-MODELS-NEW (zh-CN opus-5-5 overview, excerpt)', sourceDate: '2026-09/10', confirmed: true,
  },
  {
    id: 'claude-opus-5', aliases: [], displayName: 'Claude Opus 5', family: 'opus',
    prices: OPUS_45_TO_5, fast: { input: 10, output: 50 }, ...min(512), ...NEW_GEN,
    source: 'DOC-PRICE', sourceDate: '2026-08-20', confirmed: true,
  },
  {
    id: 'claude-opus-4-8', aliases: [], displayName: 'Claude Opus 4.8', family: 'opus',
    prices: OPUS_45_TO_5, fast: { input: 10, output: 50 }, ...min(1024), ...NEW_GEN,
    source: 'DOC-PRICE', sourceDate: '2026-08-20', confirmed: true,
  },
  {
    // The dated alias is litellm's key, UNCONFIRMED as an API id; kept so such ids still price.
    id: 'claude-opus-4-7', aliases: ['claude-opus-4-7-20260416'], displayName: 'Claude Opus 4.7', family: 'opus',
    prices: OPUS_45_TO_5, ...min(2048), ...NEW_GEN, source: 'DOC-PRICE', sourceDate: '2026-08-20', confirmed: true,
  },
  {
    id: 'claude-opus-4-6', aliases: ['claude-opus-4-6-20260205'], displayName: 'Claude Opus 4.6', family: 'opus',
    prices: OPUS_45_TO_5, fastAtStandardRates: true, ...min(4096), ...GEN_46,
    source: 'DOC-PRICE', sourceDate: '2026-08-20', confirmed: true,
  },
  {
    id: 'claude-opus-4-5-20251101', aliases: ['claude-opus-4-5'], displayName: 'Claude Opus 4.5', family: 'opus',
    prices: OPUS_45_TO_5, ...min(4096), ...OLD_GEN, source: 'DOC-PRICE', sourceDate: '2026-08-20', confirmed: true,
    deprecated: 'deprecated; end of life 2027-01-22 (SDK)',
  },
  {
    id: 'claude-opus-4-1-20250805', aliases: ['claude-opus-4-1'], displayName: 'Claude Opus 4.1', family: 'opus',
    prices: OPUS_4_0, ...min(1024), ...OLD_GEN, source: 'DOC-PRICE', sourceDate: '2026-08-20', confirmed: true,
    deprecated: RETIRED,
  },
  {
    id: 'claude-opus-4-20250514', aliases: ['claude-4-opus-20250514'], displayName: 'Claude Opus 4', family: 'opus',
    prices: OPUS_4_0, ...min(1024), ...OLD_GEN, source: 'DOC-PRICE', sourceDate: '2026-08-20', confirmed: true,
    deprecated: RETIRED,
  },
  {
    // The read price was cut from $0.20 to $0.10 on 2026-10-07 per two third-party trackers only.
    id: 'claude-sonnet-5-5', aliases: [], displayName: 'Claude Sonnet 5.5', family: 'sonnet',
    prices: band(2, 2.5, 4, 0.1, 10), ...MIN_UNKNOWN, ...NEW_GEN,
    source:
      'DOC-MODELS-NEW (zh-CN sonnet-5-5: read $0.20); read cut to $0.10 from 2026-10-07 per [3P, UNCONFIRMED] ' +
      'kurofune/claudit v1.9.2, TheKrush/PromptFuel v1.0.23',
    sourceDate: '2026-10-07', confirmed: false,
  },
  {
    id: 'claude-sonnet-5', aliases: [], displayName: 'Claude Sonnet 5', family: 'sonnet',
    prices: band(2, 2.5, 4, 0.2, 10), ...min(1024), ...NEW_GEN,
    source: 'DOC-PRICE', sourceDate: '2026-08-20', confirmed: true,
  },
  {
    id: 'claude-sonnet-4-6', aliases: [], displayName: 'Claude Sonnet 4.6', family: 'sonnet',
    prices: SONNET_3, ...min(1024), ...GEN_46,
    minCacheableNote:
      'DOC-PC says 1,024 since 2026-05-13 (2,048 before); anthropic-sdk-python#1194 reports caching only from 2,048 in practice',
    source: 'DOC-PRICE', sourceDate: '2026-08-20', confirmed: true,
  },
  {
    id: 'claude-sonnet-4-5-20250929', aliases: ['claude-sonnet-4-5'], displayName: 'Claude Sonnet 4.5', family: 'sonnet',
    prices: SONNET_3, ...min(1024), ...OLD_GEN, source: 'DOC-PRICE', sourceDate: '2026-08-20', confirmed: true,
    deprecated: 'deprecated; end of life 2026-11-30 (SDK)',
  },
  {
    id: 'claude-sonnet-4-20250514', aliases: ['claude-4-sonnet-20250514'], displayName: 'Claude Sonnet 4', family: 'sonnet',
    prices: SONNET_3, ...min(1024), ...OLD_GEN, source: 'DOC-PRICE', sourceDate: '2026-08-20', confirmed: true,
    deprecated: RETIRED,
  },
  {
    // The whole request, output included, moves to the long band once input + reads + writes > 100k.
    id: 'claude-haiku-5-5', aliases: [], displayName: 'Claude Haiku 5.5', family: 'haiku',
    prices: band(0.1, 0.125, 0.2, 0.01, 0.5),
    longContext: { threshold: 100_000, prices: band(0.5, 0.625, 1, 0.05, 2.5) },
    ...MIN_UNKNOWN, ...NEW_GEN,
    source:
      'DOC-MODELS-NEW (zh-CN haiku-5-5, excerpt truncated) + [3P, UNCONFIRMED] kurofune/claudit for the >100k band rule',
    sourceDate: '2026-10-07', confirmed: false,
  },
  {
    id: 'claude-haiku-4-5-20251001', aliases: ['claude-haiku-4-5'], displayName: 'Claude Haiku 4.5', family: 'haiku',
    prices: band(1, 1.25, 2, 0.1, 5), ...min(4096), ...OLD_GEN,
    source: 'DOC-PRICE', sourceDate: '2026-08-20', confirmed: true,
  },
  {
    id: 'claude-3-5-haiku-20241022', aliases: [], displayName: 'Claude Haiku 3.5', family: 'haiku',
    prices: band(0.8, 1, 1.6, 0.08, 4), ...min(2048), ...OLD_GEN,
    source: 'DOC-PRICE', sourceDate: '2026-08-20', confirmed: true, deprecated: RETIRED,
  },
  {
    id: 'claude-3-7-sonnet-20250219', aliases: [], displayName: 'Claude Sonnet 3.7', family: 'sonnet',
    prices: SONNET_3, ...min(1024), ...OLD_GEN,
    source: 'DOC-PRICE archive', sourceDate: '2026-03-13', confirmed: true, deprecated: 'retired',
  },
  {
    id: 'claude-3-opus-20240229', aliases: [], displayName: 'Claude Opus 3', family: 'opus',
    prices: OPUS_4_0, ...min(1024, false), ...OLD_GEN,
    minCacheableNote: '1,024 per [3P] docs.truefoundry.com (older Anthropic docs)',
    source: 'DOC-PRICE archive', sourceDate: '2026-03-13', confirmed: true, deprecated: 'retired',
  },
  {
    // 5m write is 0.30 (1.2x), not 1.25x; litellm's 1h key (6e-06) is wrong, the docs say 0.50.
    id: 'claude-3-haiku-20240307', aliases: [], displayName: 'Claude Haiku 3', family: 'haiku',
    prices: band(0.25, 0.3, 0.5, 0.03, 1.25), ...min(2048), ...OLD_GEN,
    source: 'DOC-PRICE archive', sourceDate: '2026-03-13', confirmed: true, deprecated: 'retired',
  },
  {
    id: 'claude-mythos-preview', aliases: [], displayName: 'Claude Mythos Preview', family: 'mythos',
    prices: null, ...min(2048), ...NEW_GEN,
    source: '[UNCONFIRMED] invite-only; no price found', sourceDate: '2026-08-21', confirmed: false,
    deprecated: 'end of life 2026-06-30 (SDK)',
  },
];

/** Web search: $10 per 1,000 requests (DOC-PRICE), outside every multiplier (spec §10). */
export const WEB_SEARCH_USD_PER_REQUEST = 0.01;
