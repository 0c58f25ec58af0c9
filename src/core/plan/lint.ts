// Cache lint: mistakes that cost money before the first send, found where the plan is known.
// (a) a template variable inside the cached prefix, (b) a prefix just below the model's minimum,
// (c) a 1h tier declared after a 5m one. The fourth, a context document that changes more often
// than the documents after it, needs the ledger's history: core/registry/changeLint.ts.
import { assumedMinCacheable } from '../models/table';
import type { ModelInfo } from '../models/types';
import type { Diagnostic, PromptSpec } from '../registry/types';
import { fmt } from './tokens';
import type { BreakpointDecision, PlanResult } from './types';

export interface CacheLintInput {
  spec: PromptSpec;
  model: ModelInfo;
  plan: PlanResult;
}

/** A prefix this far below the minimum (as a share of it) is "just below": worth a warning. */
export const NEAR_MINIMUM_SHARE = 0.25;

export function cacheLint(input: CacheLintInput): Diagnostic[] {
  return [...variablesInPrefix(input), ...belowMinimum(input), ...ttlOrder(input.spec)];
}

const STABLE: ReadonlySet<string> = new Set(['system', 'context']);

/** The placed breakpoint whose prefix holds the system prompt and is reused across user turns. */
function stableBreakpoint(plan: PlanResult): BreakpointDecision | undefined {
  const placed = plan.breakpoints.filter((b) => b.placed && b.tier !== 'tools');
  const stable = placed.filter((b) => STABLE.has(b.tier));
  return (stable.length ? stable : placed).reduce<BreakpointDecision | undefined>((a, b) => (!a || b.prefix_tokens > a.prefix_tokens ? b : a), undefined);
}

const money = (n: number) => (n >= 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(6)}`);

/** Each distinct value of a variable in the system prompt makes the whole prefix a cache write instead of a read. */
function variablesInPrefix({ spec, model, plan }: CacheLintInput): Diagnostic[] {
  const vars = spec.template?.variables ?? [];
  const bp = stableBreakpoint(plan);
  if (vars.length === 0 || !bp) return [];
  const write = bp.ttl === '1h' ? model.prices.write1h : model.prices.write5m;
  const perValue = (bp.prefix_tokens * (write - model.prices.read)) / 1e6;
  const saving = Number.isFinite(perValue)
    ? `saves ≈${money(perValue)} per distinct value (≈${fmt(bp.prefix_tokens)} prefix tokens × ($${write} − $${model.prices.read}) per million, ${bp.ttl} write minus read on ${model.id})`
    : `saves a cache write of ≈${fmt(bp.prefix_tokens)} tokens per distinct value (${model.id} has no known prices)`;
  const seen = new Set<string>();
  return vars.flatMap((v) => {
    if (seen.has(v.name)) return [];
    seen.add(v.name);
    const message = `Template variable '${v.name}' is inside the cached prefix (the system prompt, before the ${bp.tier} breakpoint): each distinct value writes a new cache entry. Moving it into the user turn (after the breakpoint) ${saving}.`;
    return [{ severity: 'warning' as const, code: 'cache-lint/variable-in-prefix', line: v.line, column: v.column, endColumn: v.endColumn, message }];
  });
}

/**
 * Nothing beyond the tools is cached, and the stable prefix is within NEAR_MINIMUM_SHARE below the
 * minimum: a few tokens would make it cacheable. (A placed conversation breakpoint caches it too.)
 */
function belowMinimum({ spec, model, plan }: CacheLintInput): Diagnostic[] {
  const stable = plan.breakpoints.filter((b) => STABLE.has(b.tier));
  if (stable.length === 0 || plan.breakpoints.some((b) => b.placed && b.tier !== 'tools')) return [];
  const tokens = Math.max(...stable.map((b) => b.prefix_tokens));
  const min = assumedMinCacheable(model);
  if (tokens >= min || tokens < min * (1 - NEAR_MINIMUM_SHARE)) return [];
  const message = `The cacheable prefix (tools + system${spec.context ? ' + context' : ''}) is ≈${fmt(tokens)} tokens, below ${model.id}'s minimum of ${fmt(min)}: add ≈${fmt(min - tokens)} tokens or it is never cached.`;
  return [{ severity: 'warning', code: 'cache-lint/below-minimum', line: spec.bodyStartLine, column: 1, message }];
}

/** "A 1-hour cache entry must appear before any 5-minute cache entries": context (after the system prompt) at 1h behind a 5m system. */
function ttlOrder(spec: PromptSpec): Diagnostic[] {
  if (!spec.ttlExplicit || spec.ttl !== '5m' || !spec.context?.ttlExplicit || spec.context.ttl !== '1h') return [];
  const span = spec.valueSpans?.['context.ttl'] ?? { line: spec.keyLines.context ?? 1, column: 1 };
  const d: Diagnostic = {
    severity: 'warning',
    code: 'cache-lint/ttl-order',
    ...span,
    message: "context ttl 1h sits after the system prompt's 5m: Anthropic requires 1h cache entries before 5m ones, so the planner has to change one of them. Make the system ttl 1h, or the context ttl 5m.",
  };
  if (span.endColumn !== undefined) d.fixes = [{ title: 'Change context ttl to 5m', line: span.line, column: span.column, endColumn: span.endColumn, replacement: '5m' }];
  return [d];
}
