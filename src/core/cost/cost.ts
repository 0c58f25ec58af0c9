// The cost of one response (spec §10). Arithmetic is done in integers so that results are the
// nearest doubles to the exact decimal amounts: prices are scaled to micro-dollars per MTok
// (1e-12 USD per token), the batch (x0.5) and US-geo (x1.1) factors are applied as x5/10 and
// x11/10, so every amount is an integer number of 1e-14 USD before one final conversion.
import type { CacheTtl, Usage } from '../../shared/anthropic';
import { WEB_SEARCH_USD_PER_REQUEST } from '../models/data';
import { cacheWriteTokens, parseUsage } from './usage';
import { UnpricedModelError, priceSourceOf } from '../models/table';
import type { ModelInfo, PriceBand } from '../models/types';

export interface CostOptions {
  /** TTL the request asked for; prices writes the usage reports without a 5m/1h split. */
  requestedTtl?: CacheTtl;
}

/** USD per bucket, every modifier applied; the buckets sum to `total`. */
export interface CostBreakdown {
  input: number;
  cache_write_5m: number;
  cache_write_1h: number;
  cache_read: number;
  output: number;
  web_search: number;
}

export interface CostTokens {
  input: number;
  /** Includes unsplit writes priced at 5m. */
  cache_write_5m: number;
  /** Includes unsplit writes priced at 1h. */
  cache_write_1h: number;
  /** Writes in `cache_creation_input_tokens` beyond the 5m+1h split (spec §10 `extra`). */
  cache_write_unsplit: number;
  cache_read: number;
  output: number;
  web_search_requests: number;
}

export type EstimatedAmount = keyof CostBreakdown | 'total' | 'noCache' | 'saved';

const ALL_AMOUNTS: readonly EstimatedAmount[] = [
  'input', 'cache_write_5m', 'cache_write_1h', 'cache_read', 'output', 'total', 'noCache', 'saved',
];

export interface CostResult {
  model: string;
  breakdown: CostBreakdown;
  total: number;
  /** The same input tokens all at the base input price, plus output and web search, same modifiers. */
  noCache: number;
  /** noCache - total. Negative when caching cost more than not caching (writes never read). */
  saved: number;
  /** cache reads / (input + writes + reads); 0 when there is no input. */
  hitRatio: number;
  tokens: CostTokens;
  /** TTL used for unsplit writes; null when there were none. */
  unsplitTtl: CacheTtl | null;
  /** Haiku 5.5: 'long' once input + reads + writes exceed the threshold. */
  band: 'standard' | 'long';
  modifiers: { batch: boolean; usGeo: boolean; fast: boolean };
  /** USD per MTok actually used, before batch/geo. */
  prices: PriceBand;
  /** False when a number rests on an assumption listed in `notes` (shown with ≈). */
  exact: boolean;
  /** Which amounts rest on such an assumption; empty when `exact`. */
  estimated: EstimatedAmount[];
  notes: string[];
  priceSource: string;
}

const UNIT = 10n ** 14n; // amounts are integers in 1e-14 USD
const MOD_SCALE = 100n; // batch (5 or 10) x geo (11 or 10)

const scaled = (usdPerMTok: number): bigint => BigInt(Math.round(usdPerMTok * 1e6));

/** Exact decimal text of an amount, parsed once: the nearest double to the true value. */
function toUsd(units: bigint): number {
  const neg = units < 0n;
  const abs = neg ? -units : units;
  const text = `${neg ? '-' : ''}${abs / UNIT}.${(abs % UNIT).toString().padStart(14, '0')}`;
  return Number(text);
}

/** Assumptions made while pricing; any of them turns the result into an estimate. */
interface Flags {
  estimated: Set<EstimatedAmount>;
  notes: string[];
}

function guess(flags: Flags, note: string, amounts: readonly EstimatedAmount[]): void {
  flags.notes.push(note);
  for (const a of amounts) flags.estimated.add(a);
}

interface Pricing {
  prices: PriceBand;
  band: 'standard' | 'long';
  fast: boolean;
}

function fastPrices(model: ModelInfo, flags: Flags): PriceBand | null {
  if (model.fast) {
    // "Cache multipliers apply on top" of the fast base prices (DOC-PRICE): 1.25x, 2x, 0.1x.
    const i = model.fast.input;
    return { input: i, write5m: (i * 125) / 100, write1h: i * 2, read: i / 10, output: model.fast.output };
  }
  if (model.fastAtStandardRates) {
    flags.notes.push(`fast mode on ${model.id} runs at standard speed and rates (DOC-PRICE)`);
  } else {
    guess(flags, `usage reports fast mode but no fast-mode price is known for ${model.id}; priced at standard rates`, ALL_AMOUNTS);
  }
  return null;
}

function pricingFor(model: ModelInfo, usage: Usage, totalInput: number, flags: Flags): Pricing {
  const pricing: Pricing = { prices: model.prices, band: 'standard', fast: false };
  if (model.longContext && totalInput > model.longContext.threshold) {
    pricing.prices = model.longContext.prices;
    pricing.band = 'long';
    flags.notes.push(
      `input + cache reads + writes = ${totalInput} > ${model.longContext.threshold}: the whole request is priced at the long-context band`,
    );
  }
  if (usage.speed === 'fast') {
    const fast = fastPrices(model, flags);
    if (fast) Object.assign(pricing, { prices: fast, fast: true });
  }
  return pricing;
}

function modifiersFor(model: ModelInfo, usage: Usage, flags: Flags) {
  const batch = usage.service_tier === 'batch';
  const geoUs = usage.inference_geo === 'us';
  const usGeo = geoUs && model.usGeoMultiplier;
  if (geoUs && !usGeo) {
    flags.notes.push(`inference_geo "us" has no 1.1x multiplier on ${model.id} (Claude 4.6+ only; earlier models reject it)`);
  }
  if (usage.service_tier === 'priority') {
    guess(flags, 'priority tier pricing is not in the table; priced at standard rates', ALL_AMOUNTS);
  }
  return { batch, usGeo, factor: (batch ? 5n : 10n) * (usGeo ? 11n : 10n) };
}

function splitWrites(usage: Usage, requestedTtl: CacheTtl | undefined, flags: Flags) {
  const w5 = usage.cache_creation?.ephemeral_5m_input_tokens ?? 0;
  const w1h = usage.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  // Claude Code once saw cache_creation_input_tokens = 0 with a non-zero split: take the max.
  const total = cacheWriteTokens(usage);
  const extra = total - w5 - w1h;
  let unsplitTtl: CacheTtl | null = null;
  if (extra > 0) {
    unsplitTtl = requestedTtl ?? '5m';
    if (!requestedTtl) {
      const note = `${extra} cache-write tokens have no 5m/1h split and no requested TTL was given; priced as 5m`;
      guess(flags, note, ['cache_write_5m', 'total', 'saved']);
    }
  }
  return { w5: w5 + (unsplitTtl === '5m' ? extra : 0), w1h: w1h + (unsplitTtl === '1h' ? extra : 0), total, extra, unsplitTtl };
}

function toBreakdown(units: Record<keyof CostBreakdown, bigint>): CostBreakdown {
  return {
    input: toUsd(units.input),
    cache_write_5m: toUsd(units.cache_write_5m),
    cache_write_1h: toUsd(units.cache_write_1h),
    cache_read: toUsd(units.cache_read),
    output: toUsd(units.output),
    web_search: toUsd(units.web_search),
  };
}

/** Cost of one response's usage on `model`. Throws UnpricedModelError (no prices) or UsageError (bad counts). */
export function costOf(rawUsage: Usage, model: ModelInfo, opts: CostOptions = {}): CostResult {
  // Callers pass SDK or stored usage too: re-validate so a bad count is a UsageError, not a wrong sum.
  const usage = parseUsage(rawUsage);
  if (model.pricesUnknown || Object.values(model.prices).some((p) => !Number.isFinite(p))) throw new UnpricedModelError(model);
  const flags: Flags = { estimated: new Set(), notes: [] };
  const { input_tokens: input, output_tokens: out } = usage;
  const r = usage.cache_read_input_tokens ?? 0;
  const searches = usage.server_tool_use?.web_search_requests ?? 0;
  const w = splitWrites(usage, opts.requestedTtl, flags);
  const pricing = pricingFor(model, usage, input + r + w.total, flags);
  const mods = modifiersFor(model, usage, flags);
  const p = pricing.prices;
  const amount = (tokens: number, price: number) => BigInt(tokens) * scaled(price) * mods.factor;
  const units = {
    input: amount(input, p.input),
    cache_write_5m: amount(w.w5, p.write5m),
    cache_write_1h: amount(w.w1h, p.write1h),
    cache_read: amount(r, p.read),
    output: amount(out, p.output),
    web_search: BigInt(searches) * scaled(WEB_SEARCH_USD_PER_REQUEST) * 1_000_000n * MOD_SCALE,
  };
  const totalUnits = Object.values(units).reduce((a, b) => a + b, 0n);
  const noCacheUnits = amount(input + w.total + r, p.input) + units.output + units.web_search;
  const allInput = input + w.total + r;
  return {
    model: model.id,
    breakdown: toBreakdown(units),
    total: toUsd(totalUnits),
    noCache: toUsd(noCacheUnits),
    saved: toUsd(noCacheUnits - totalUnits),
    hitRatio: allInput === 0 ? 0 : r / allInput,
    tokens: {
      input, cache_write_5m: w.w5, cache_write_1h: w.w1h, cache_write_unsplit: w.extra,
      cache_read: r, output: out, web_search_requests: searches,
    },
    unsplitTtl: w.unsplitTtl,
    band: pricing.band,
    modifiers: { batch: mods.batch, usGeo: mods.usGeo, fast: pricing.fast },
    prices: { ...p },
    exact: flags.estimated.size === 0,
    estimated: ALL_AMOUNTS.filter((a) => flags.estimated.has(a)),
    notes: flags.notes,
    priceSource: priceSourceOf(model),
  };
}
