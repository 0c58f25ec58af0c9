// TTLs the user picked for a conversation (the panel's TTL pickers), applied by planning the same
// composed request again with those TTLs. The planner's own rules still run (minimum length,
// slots, 1h before 5m), so what it changes of what was asked comes back in its reasons.
import type { CacheTtl, MessagesRequest } from '../../shared/anthropic';
import type { ModelInfo } from '../models/types';
import { planRequest } from '../plan/planner';
import type { BreakpointDecision, ComposedRequest, PlanResult, TierTtls } from '../plan/types';
import type { PromptSpec } from '../registry/types';

export type TtlOverrides = Partial<Record<keyof TierTtls, CacheTtl>>;
export const TTL_TIERS: readonly (keyof TierTtls)[] = ['system', 'context', 'conversation'];

/** Only '5m' / '1h' per known tier: anything else from a message is dropped. */
export function ttlOverridesOf(v: unknown): TtlOverrides {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  const out: TtlOverrides = {};
  for (const tier of TTL_TIERS) {
    const ttl = (v as Record<string, unknown>)[tier];
    if (ttl === '5m' || ttl === '1h') out[tier] = ttl;
  }
  return out;
}

function withoutMarkers<T>(blocks: T[] | undefined): T[] | undefined {
  return blocks?.map((b) => {
    if (!b || typeof b !== 'object' || !('cache_control' in b)) return b;
    const { cache_control: _cc, ...rest } = b as T & { cache_control: unknown };
    return rest as T;
  });
}

/** The planned body without its breakpoints: what the composer produced. */
function composedOf(request: MessagesRequest, spec: PromptSpec): ComposedRequest {
  const system = withoutMarkers(typeof request.system === 'string' ? [{ type: 'text' as const, text: request.system }] : request.system) ?? [];
  const messages = request.messages.map((m) => (typeof m.content === 'string' ? m : { ...m, content: withoutMarkers(m.content) ?? [] }));
  const tools = withoutMarkers(request.tools);
  const bare = { ...request, ...(tools ? { tools } : {}), system, messages };
  const docs = system.slice(1).map((b) => ({ file: /^<document source="([^"]*)">/.exec(b.text)?.[1]?.replace(/&quot;/g, '"') ?? spec.path, line: 1 }));
  return { request: bare, instructionBlocks: 1, contextBlocks: system.length - 1, systemSources: [{ file: spec.path, line: spec.bodyStartLine }, ...docs] };
}

const tierOf = (d: BreakpointDecision): keyof TierTtls | undefined => (d.tier === 'tools' ? 'system' : d.tier === 'anchor' ? 'conversation' : d.tier);

/** Plans `plan.request` again with the picked TTLs; tiers not picked keep the TTL and reason the plan chose. */
export function replanWithTtls(plan: PlanResult, model: ModelInfo, spec: PromptSpec, picked: TtlOverrides): PlanResult {
  const ttl: TierTtls = { system: '5m', context: '5m', conversation: '5m' };
  const reasons: Partial<Record<keyof TierTtls, string>> = {};
  for (const tier of TTL_TIERS) {
    const own = plan.breakpoints.find((d) => d.tier === tier) ?? plan.breakpoints.find((d) => tierOf(d) === tier);
    const chosen = picked[tier];
    ttl[tier] = chosen ?? own?.ttl ?? '5m';
    const why = chosen ? `it was picked for this conversation in the panel` : own && /, (?:5m|1h) because (.*)$/.exec(own.reason)?.[1];
    if (why) reasons[tier] = why;
  }
  const conv = plan.breakpoints.find((d) => d.tier === 'conversation');
  // A first-turn skip (tierTtls) has no block; planning again must not place what it left out.
  const skip = !picked.conversation && conv && !conv.placed && conv.blockIndex === undefined ? conv.reason.replace(/^conversation: /, '') : undefined;
  return planRequest(composedOf(plan.request, spec), { model, ttl, ttlReasons: reasons, ...(skip ? { skipConversation: skip } : {}) });
}

/** The planner's reasons wherever a placed breakpoint's TTL is not the one picked for its tier. */
export function changedTtlReasons(plan: PlanResult, picked: TtlOverrides): string[] {
  return plan.breakpoints.filter((d) => d.placed && d.tier !== 'tools' && d.tier !== 'anchor' && picked[d.tier] && picked[d.tier] !== d.ttl).map((d) => d.reason);
}
