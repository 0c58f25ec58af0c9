// What each tier's cached reads saved, estimated from the recorded shapes: a read is a prefix of
// the request, so the first `cache_read` tokens (tools, then system, context, conversation) were
// read instead of sent as input. Per tier: tokens read × (input − read price). An estimate (≈):
// the per-block tokens are calibrated estimates rescaled to the billed total, and price modifiers
// (speed, region, service tier) are left out. The write premium is not split by tier: it is
// reported once, so the tiers' gross savings minus the premium is the net against no caching.
import type { ModelInfo, ModelTable, PriceBand } from '../models/types';
import type { RequestRecord, ShapeTier } from './record';
import { inputSide } from './reducers';

export const SHAPE_TIERS: readonly ShapeTier[] = ['tools', 'system', 'context', 'conversation'];

export interface TierSaving {
  tier: ShapeTier;
  readTokens: number;
  savedUsd: number;
}

export interface TierSavings {
  tiers: TierSaving[];
  /** What the cache writes cost above sending the same tokens as input. */
  writePremiumUsd: number;
  /** Records counted (answered, to a priced model). */
  requests: number;
}

/** The band the request was billed at: the long-context band is chosen once per request. */
function bandOf(model: ModelInfo, r: RequestRecord): PriceBand {
  const lc = model.longContext;
  return lc && inputSide(r.buckets) > lc.threshold ? lc.prices : model.prices;
}

/** Tokens read per tier of one request, the shape rescaled to the billed input-side total. */
export function readsByTier(r: RequestRecord): Record<ShapeTier, number> {
  const out: Record<ShapeTier, number> = { tools: 0, system: 0, context: 0, conversation: 0 };
  const read = r.buckets.cacheRead;
  const estimated = r.shape.blocks.reduce((s, b) => s + b.tokens, 0);
  if (read <= 0 || estimated <= 0) return out;
  const factor = inputSide(r.buckets) / estimated;
  let start = 0;
  for (const b of r.shape.blocks) {
    const end = start + b.tokens * factor;
    out[b.tier] += Math.max(0, Math.min(end, read) - start);
    start = end;
    if (start >= read) break;
  }
  return out;
}

export function tierSavings(records: Iterable<RequestRecord>, models: ModelTable): TierSavings {
  const tokens: Record<ShapeTier, number> = { tools: 0, system: 0, context: 0, conversation: 0 };
  const saved: Record<ShapeTier, number> = { tools: 0, system: 0, context: 0, conversation: 0 };
  let premium = 0;
  let requests = 0;
  for (const r of records) {
    const model = models.tryResolve(r.model);
    if (r.outcome !== 'ok' || !model || model.pricesUnknown) continue;
    requests++;
    const p = bandOf(model, r);
    const reads = readsByTier(r);
    for (const tier of SHAPE_TIERS) {
      tokens[tier] += reads[tier];
      saved[tier] += (reads[tier] * (p.input - p.read)) / 1e6;
    }
    premium += (r.buckets.cacheWrite5m * (p.write5m - p.input) + r.buckets.cacheWrite1h * (p.write1h - p.input)) / 1e6;
  }
  return { tiers: SHAPE_TIERS.map((tier) => ({ tier, readTokens: tokens[tier], savedUsd: saved[tier] })), writePremiumUsd: premium, requests };
}
