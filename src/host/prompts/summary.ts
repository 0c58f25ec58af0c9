// What a prompt's plan says in a few words, shared by the CodeLens, the Prompts view and the
// status bar so the three never disagree: the size of the request the prompt makes (tools +
// system + context), whether that is cacheable for its model, and the cold and warm cost.
import type { ModelInfo } from '../../core/models/types';
import type { BreakpointView, PlanView } from '../../shared/protocol';

const n = (x: number) => x.toLocaleString('en-US');

/** Dollars with four decimals (a prompt's send costs cents), more digits below a hundredth of a cent. */
export function usd(x: number): string {
  return x >= 0.0001 || x === 0 ? `$${x.toFixed(4)}` : `$${x.toPrecision(2)}`;
}

/** The model's minimum cacheable prefix: the published one, else the one the planner assumes. */
export function minimumOf(model: ModelInfo | undefined): number | undefined {
  if (!model) return undefined;
  return model.minCacheableTokens ?? model.minCacheableAssumed;
}

const STABLE: ReadonlySet<BreakpointView['tier']> = new Set(['tools', 'system', 'context']);

/** Tokens per stable tier, from the prefix counts at each tier's breakpoint (placed or not). */
export function tierTokens(plan: PlanView): Array<{ tier: BreakpointView['tier']; tokens: number; ttl: string; placed: boolean }> {
  const out: Array<{ tier: BreakpointView['tier']; tokens: number; ttl: string; placed: boolean }> = [];
  let before = 0;
  for (const b of plan.breakpoints) {
    // A prefix of 0 tokens: the tier is empty (no tools, no context documents).
    if (!STABLE.has(b.tier) || b.prefixTokens === 0) continue;
    out.push({ tier: b.tier, tokens: Math.max(0, b.prefixTokens - before), ttl: b.ttl, placed: b.placed });
    before = Math.max(before, b.prefixTokens);
  }
  return out;
}

/**
 * The size of the request the prompt makes before any conversation: the largest stable prefix
 * (prefix counts are cumulative, so the largest is tools + system + context).
 */
export function requestTokens(plan: PlanView): number | undefined {
  const stable = plan.breakpoints.filter((b) => STABLE.has(b.tier));
  if (!stable.length) return undefined;
  const placed = stable.filter((b) => b.placed);
  return Math.max(...(placed.length ? placed : stable).map((b) => b.prefixTokens));
}

export interface PromptSummary {
  tokens?: number;
  minimum?: number;
  cacheable?: boolean;
  /** One line: the CodeLens title and the view's description. */
  text: string;
}

export function summarize(plan: PlanView | undefined, model: ModelInfo | undefined, readError?: string): PromptSummary {
  if (readError) return { text: readError };
  if (!plan) return { text: 'planning…' };
  const tokens = requestTokens(plan);
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  if (tokens === undefined) return { text: plan.error ? `${errors ? `${errors} problem(s): ` : ''}${plan.error}` : 'no cacheable prefix' };
  const minimum = minimumOf(model);
  const cacheable = plan.breakpoints.some((b) => b.placed && STABLE.has(b.tier));
  if (!cacheable && minimum !== undefined && tokens < minimum) {
    return { tokens, minimum, cacheable, text: `below minimum: ${n(tokens)} of ${n(minimum)} tokens — not cached` };
  }
  const parts = [`≈${n(tokens)} tokens`];
  parts.push(cacheable ? `cacheable${minimum !== undefined ? ` (≥${n(minimum)} for ${plan.model})` : ''}` : 'not cached');
  if (plan.coldUsd !== undefined) parts.push(`first send ≈${usd(plan.coldUsd)}`);
  if (plan.warmUsd !== undefined) parts.push(`repeat ≈${usd(plan.warmUsd)}`);
  return { tokens, minimum, cacheable, text: parts.join(' · ') };
}
