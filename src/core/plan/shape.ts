// The sizes the conversation tier's break-even needs (tierTtls.ts): what its breakpoint would keep
// cached and how much of that is new since the previous turn. Same block walk as the planner.
import type { ModelInfo } from '../models/types';
import { planBlocks, type PlanBlock } from './blocks';
import { conversationCandidate, lastBlockOf, layout, prefixWithFraming } from './candidates';
import type { ConversationShape } from './tierTtls';
import { plannerCounter } from './tokens';
import type { ComposedRequest } from './types';

/** Undefined when the request has no user turn the conversation breakpoint could mark. */
export function conversationShape(composed: ComposedRequest, model: ModelInfo): ConversationShape | undefined {
  const blocks = planBlocks(composed.request, plannerCounter(model.tokenizer));
  const l = layout(composed, blocks);
  const conv = conversationCandidate(blocks, l);
  if (conv.blockIndex === undefined || conv.skip) return undefined;
  const stableEnd = l.contextEnd > 0 ? prefixWithFraming(blocks[l.contextEnd - 1] as PlanBlock) : 0;
  const prev = l.prevUser === undefined ? undefined : lastBlockOf(blocks, l.prevUser);
  const prevEnd = prev === undefined ? stableEnd : prefixWithFraming(blocks[prev] as PlanBlock);
  return { cachedTokens: conv.prefixTokens - stableEnd, newTokens: conv.prefixTokens - prevEnd, firstTurn: l.prevUser === undefined };
}
