// Our planner replayed online: before each request it knows only the gaps and continuations seen
// so far in the trace (never the future) and chooses TTLs and the conversation breakpoint with
// TtlMemory and tierTtls, the same the session runner uses on live traffic.
import type { MessagesRequest, TextBlock } from '../../shared/anthropic';
import type { ModelInfo, ModelTable } from '../models/types';
import { planRequest } from '../plan/planner';
import { TtlMemory, type TtlKeys } from '../plan/ttlMemory';
import type { ComposedRequest } from '../plan/types';
import { stableStringify } from '../request/canonical';

function systemBlocks(request: MessagesRequest): TextBlock[] {
  if (typeof request.system === 'string') return request.system ? [{ type: 'text', text: request.system }] : [];
  return request.system ?? [];
}

/** Trace requests carry no tier layout: system[0] is taken as the instructions, the rest as context. */
function composedOf(request: MessagesRequest): ComposedRequest {
  const sys = systemBlocks(request);
  return { request: { ...request, system: sys }, instructionBlocks: Math.min(1, sys.length), contextBlocks: Math.max(0, sys.length - 1) };
}

/** A trace has no prompt or conversation ids: they are taken from the request's content. */
function keysOf(request: MessagesRequest, model: ModelInfo): TtlKeys {
  const sys = systemBlocks(request);
  const head = stableStringify([model.id, request.tools ?? [], request.tool_choice ?? null]);
  return {
    prompt: `s:${head}:${stableStringify(sys.slice(0, 1))}`,
    context: `c:${head}:${stableStringify(sys)}`,
    conversation: `m:${head}:${stableStringify(sys)}:${stableStringify(request.messages[0] ?? null)}`,
  };
}

export function tieredStrategy(models: ModelTable): { name: 'tiered'; apply(request: MessagesRequest, atS: number): MessagesRequest } {
  const memory = new TtlMemory();
  return {
    name: 'tiered',
    apply(request, atS) {
      const model = models.resolve(request.model);
      const keys = keysOf(request, model);
      const composed = composedOf(request);
      const plan = planRequest(composed, memory.choose(keys, composed, model, atS));
      memory.planned(keys, plan, atS);
      return plan.request;
    },
  };
}
