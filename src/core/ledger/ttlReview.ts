// The TTL each tier used and the one the gaps observed recommend, per prompt, for the cost
// analysis. The recommendation is core/plan/tierTtls' (the rule the planner itself follows), fed
// with this ledger's gaps, so the report recommends what the next request would do.
import type { CacheTtl } from '../../shared/anthropic';
import type { ModelTable } from '../models/types';
import { tierTtls, type DeclaredTtls } from '../plan/tierTtls';
import type { RequestRecord, ShapeTier } from './record';
import { createGapCollector } from './sessions';

export type TtlTier = 'system' | 'context' | 'conversation';
export const TTL_TIERS: readonly TtlTier[] = ['system', 'context', 'conversation'];

export interface TierTtlReview {
  tier: TtlTier;
  /** The TTL of the tier's breakpoint in the prompt's latest request; null: no breakpoint there. */
  used: CacheTtl | null;
  recommended: CacheTtl;
  reason: string;
}

export interface PromptTtlReview {
  promptId: string;
  gaps: number;
  tiers: TierTtlReview[];
  skipConversation?: string;
}

/** A breakpoint on the tools caches them with what follows: count it as the system tier's. */
const ttlTierOf = (t: ShapeTier): TtlTier => (t === 'tools' ? 'system' : t);

function usedTtls(r: RequestRecord): Partial<Record<TtlTier, CacheTtl>> {
  const out: Partial<Record<TtlTier, CacheTtl>> = {};
  for (const bp of r.shape.breakpoints) {
    const block = r.shape.blocks[bp.blockIndex];
    if (block) out[ttlTierOf(block.tier)] = bp.ttl;
  }
  return out;
}

/** Gaps (s) between consecutive requests of each conversation, the conversation tier's rhythm. */
function turnGaps(records: readonly RequestRecord[]): number[] {
  const byConv = new Map<string, number[]>();
  for (const r of records) {
    if (r.outcome !== 'ok') continue;
    const xs = byConv.get(r.conversationId);
    if (xs) xs.push(r.atMs);
    else byConv.set(r.conversationId, [r.atMs]);
  }
  const gaps: number[] = [];
  for (const xs of byConv.values()) {
    const s = [...xs].sort((a, b) => a - b);
    for (let i = 1; i < s.length; i++) gaps.push(((s[i] as number) - (s[i - 1] as number)) / 1000);
  }
  return gaps;
}

/** `declared`: per prompt id, the TTLs its file sets (they win, and the reason says so). */
export function reviewTtls(records: readonly RequestRecord[], models: ModelTable, declared: Record<string, DeclaredTtls> = {}): PromptTtlReview[] {
  const gaps = createGapCollector();
  const byPrompt = new Map<string, RequestRecord[]>();
  for (const r of [...records].sort((a, b) => a.atMs - b.atMs)) {
    gaps.add(r);
    const rs = byPrompt.get(r.prompt.id);
    if (rs) rs.push(r);
    else byPrompt.set(r.prompt.id, [r]);
  }
  const gapMap = gaps.result();
  return [...byPrompt].map(([promptId, rs]) => {
    const latest = rs[rs.length - 1] as RequestRecord;
    const prices = models.tryResolve(latest.model)?.prices;
    const readRatio = prices && prices.input > 0 && Number.isFinite(prices.read) ? prices.read / prices.input : undefined;
    const g = gapMap.get(promptId) ?? [];
    const choice = tierTtls(g, declared[promptId] ?? {}, { ...(readRatio === undefined ? {} : { readRatio }), turnGapsSeconds: turnGaps(rs) });
    const used = usedTtls(latest);
    // Only tiers the prompt has: a prompt without context documents gets no context advice.
    const present = new Set(latest.shape.blocks.map((b) => ttlTierOf(b.tier)));
    const tiers = TTL_TIERS.filter((tier) => present.has(tier)).map((tier) => ({ tier, used: used[tier] ?? null, recommended: choice.ttl[tier], reason: choice.reasons[tier] }));
    return { promptId, gaps: g.length, tiers, ...(choice.skipConversation ? { skipConversation: choice.skipConversation } : {}) };
  });
}
