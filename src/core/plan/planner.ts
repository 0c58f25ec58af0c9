// Places at most 4 cache_control breakpoints by tier and says why for each decision.
//
// Order of rules: candidates (with walk-back past thinking / empty blocks) → one marker per
// block → minimum cacheable length → 4 slots by priority → 1h-before-5m order → markers.
// Slot priority, highest first: conversation (the rolling entry reads the whole history),
// anchor (without it a ≥20-block turn reads nothing past the stable tiers), system (tools +
// instructions, shared by every conversation), context, tools (a tools-only entry pays only when
// the instructions change and the tools do not; the system breakpoint already covers the tools).
import type { CacheTtl } from '../../shared/anthropic';
import { toolUseOverheadTokens } from '../cache/toolOverhead';
import { planBlocks, type PlanBlock } from './blocks';
import { applyMarkers, type Marker } from './apply';
import { anchorCandidate, conversationCandidate, layout, stableCandidates, type Candidate } from './candidates';
import { fmt, plannerCounter } from './tokens';
import { resolveTtlOrder, type Placed } from './ttlOrder';
import type { BreakpointDecision, ComposedRequest, PlanOptions, PlanResult, Tier, TierTtls } from './types';

/** Used only when the model table gives neither a minimum nor an assumed one (same as the predictor). */
export const FALLBACK_MIN_CACHEABLE_TOKENS = 1024;
export const MAX_BREAKPOINTS = 4;
export const DEFAULT_LOOKBACK = 20;
export const SLOT_PRIORITY: readonly Tier[] = ['conversation', 'anchor', 'system', 'context', 'tools'];
const PREFIX_ORDER: readonly Tier[] = ['tools', 'system', 'context', 'anchor', 'conversation'];

interface Working extends Candidate, Placed {
  placed: boolean;
  declaredTtl: CacheTtl;
}

function ttlTier(tier: Tier): keyof TierTtls {
  if (tier === 'tools') return 'system';
  return tier === 'anchor' ? 'conversation' : tier;
}

export function planRequest(composed: ComposedRequest, options: PlanOptions): PlanResult {
  const blocks = planBlocks(composed.request, plannerCounter(options.model.tokenizer));
  const l = layout(composed, blocks);
  const conv: Candidate = options.skipConversation
    ? { tier: 'conversation', prefixTokens: 0, where: 'conversation', skip: options.skipConversation }
    : conversationCandidate(blocks, l);
  const all = [...stableCandidates(blocks, l), conv, anchorCandidate(blocks, l, conv, options.lookback ?? DEFAULT_LOOKBACK)];
  // The tool-use system prompt (§3.2) opens every prefix when tools are present: counted here as
  // in the simulator, so the minimum checks of plan and prediction agree.
  const overhead = toolUseOverheadTokens(options.model, composed.request);
  const work: Working[] = all.map((c) => {
    const ttl = options.ttl[ttlTier(c.tier)];
    const prefixTokens = c.blockIndex === undefined ? c.prefixTokens : c.prefixTokens + overhead;
    return { ...c, prefixTokens, ttl, declaredTtl: ttl, placed: false };
  });
  const byPriority = [...work].sort((a, b) => SLOT_PRIORITY.indexOf(a.tier) - SLOT_PRIORITY.indexOf(b.tier));
  dedupe(byPriority);
  applyMinimum(work, options);
  assignSlots(byPriority);
  const placed = work.filter((w) => w.placed).sort((a, b) => (a.blockIndex ?? 0) - (b.blockIndex ?? 0));
  resolveTtlOrder(placed, options.model.prices);
  const markers: Marker[] = placed.map((p) => ({ block: blocks[p.blockIndex as number] as PlanBlock, ttl: p.ttl }));
  const ordered = [...work].sort((a, b) => PREFIX_ORDER.indexOf(a.tier) - PREFIX_ORDER.indexOf(b.tier));
  return { request: applyMarkers(composed.request, markers), breakpoints: ordered.map((w) => decision(w, options)) };
}

/** Two tiers on one block would waste a slot and write the same entry twice: the higher priority keeps it. */
function dedupe(byPriority: Working[]): void {
  const owner = new Map<number, Tier>();
  for (const w of byPriority) {
    if (w.skip || w.blockIndex === undefined) continue;
    const taken = owner.get(w.blockIndex);
    if (taken) w.skip = `not placed: it would sit on the same block as the ${taken} breakpoint (${w.where})`;
    else owner.set(w.blockIndex, w.tier);
  }
}

/**
 * The minimum the predictor also uses: the documented one, else the table's conservative
 * assumption, else 1,024 (the Sonnet 5 figure), so plan and prediction never disagree.
 */
export function effectiveMinimum(model: PlanOptions['model']): { min: number; assumed: boolean } {
  if (model.minCacheableTokens !== null) return { min: model.minCacheableTokens, assumed: false };
  return { min: model.minCacheableAssumed ?? FALLBACK_MIN_CACHEABLE_TOKENS, assumed: true };
}

function minimumText(options: PlanOptions): string {
  const { id, minCacheableConfirmed, minCacheableNote } = options.model;
  const { min, assumed } = effectiveMinimum(options.model);
  if (assumed) return `${fmt(min)} assumed minimum for ${id} (its real minimum is unknown, spec §2 UNCONFIRMED${minCacheableNote ? `: ${minCacheableNote}` : ''})`;
  return `${fmt(min)} minimum for ${id}${minCacheableConfirmed ? '' : ' (UNCONFIRMED)'}`;
}

function applyMinimum(work: Working[], options: PlanOptions): void {
  const { min } = effectiveMinimum(options.model);
  for (const w of work) {
    if (w.skip || w.prefixTokens >= min) continue;
    w.skip = `not placed at ${w.where}: prefix ≈ ${fmt(w.prefixTokens)} tokens < ${minimumText(options)}; Anthropic would process it uncached (no error), so the marker would only waste a slot`;
  }
}

function assignSlots(byPriority: Working[]): void {
  let used = 0;
  for (const w of byPriority) {
    if (w.skip) continue;
    if (used < MAX_BREAKPOINTS) {
      w.placed = true;
      used++;
    } else {
      w.skip = `not placed at ${w.where}: all ${MAX_BREAKPOINTS} breakpoint slots are taken by higher-priority tiers (priority: ${SLOT_PRIORITY.join(' > ')})`;
    }
  }
}

function minimumClause(w: Working, options: PlanOptions): string {
  return `≈ ${fmt(w.prefixTokens)} tokens ≥ ${minimumText(options)}`;
}

function ttlClause(w: Working, options: PlanOptions): string {
  if (w.ttlNote) return `${w.ttl}: ${w.ttlNote}`;
  const why = options.ttlReasons?.[ttlTier(w.tier)];
  return why ? `${w.ttl} because ${why}` : `${w.ttl} (the ${ttlTier(w.tier)} tier's TTL)`;
}

function decision(w: Working, options: PlanOptions): BreakpointDecision {
  const base = { tier: w.tier, ttl: w.ttl, prefix_tokens: w.prefixTokens, placed: w.placed };
  const idx = w.blockIndex === undefined ? {} : { blockIndex: w.blockIndex };
  if (!w.placed) return { ...base, ...idx, reason: `${w.tier}: ${w.skip ?? 'not placed'}` };
  return { ...base, ...idx, reason: `${w.tier}: placed at ${w.where} (${minimumClause(w, options)}), ${ttlClause(w, options)}` };
}
