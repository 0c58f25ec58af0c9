// The sizes the conversation tier's break-even needs (tierTtls.ts): what its breakpoint would keep
// cached and how much of that is new since the previous turn. Same block walk as the planner.
import { TTL_MS } from '../cache/simulator';
import type { ModelInfo } from '../models/types';
import { planBlocks, type PlanBlock } from './blocks';
import { conversationCandidate, lastBlockOf, layout, prefixWithFraming } from './candidates';
import { DEFAULT_LOOKBACK } from './planner';
import type { ConversationShape } from './tierTtls';
import { plannerCounter } from './tokens';
import type { ComposedRequest } from './types';

/** What the caller remembers of this conversation (the session runner, or the replay). */
export interface ConversationMemory {
  /**
   * Flat block index of this conversation's newest conversation breakpoint written at 1h less than
   * an hour ago (from the plans it sent); the tokens after it are what a pause makes a turn re-write.
   */
  checkpoint?: number;
  /** Seconds since this conversation's previous request started. */
  idleSeconds?: number;
}

/** Undefined when the request has no user turn the conversation breakpoint could mark. */
export function conversationShape(composed: ComposedRequest, model: ModelInfo, memory: ConversationMemory = {}): ConversationShape | undefined {
  const { checkpoint } = memory;
  const blocks = planBlocks(composed.request, plannerCounter(model.tokenizer));
  const l = layout(composed, blocks);
  const conv = conversationCandidate(blocks, l);
  if (conv.blockIndex === undefined || conv.skip) return undefined;
  const end = conv.blockIndex;
  const stableEnd = l.contextEnd > 0 ? prefixWithFraming(blocks[l.contextEnd - 1] as PlanBlock) : 0;
  const prev = l.prevUser === undefined ? undefined : lastBlockOf(blocks, l.prevUser);
  const prevEnd = prev === undefined ? stableEnd : prefixWithFraming(blocks[prev] as PlanBlock);
  const cachedTokens = conv.prefixTokens - stableEnd;
  // Reachable only within the conversation breakpoint's look-back (spec §1.4).
  const cp = checkpoint !== undefined && checkpoint <= conv.blockIndex && conv.blockIndex - checkpoint < DEFAULT_LOOKBACK ? blocks[checkpoint] : undefined;
  const uncoveredTokens = cp ? conv.prefixTokens - prefixWithFraming(cp) : cachedTokens;
  const from = cp ? cp.index : l.contextEnd - 1;
  const uncoveredTurns = new Set(blocks.filter((b) => b.index > from && b.index <= end && b.role === 'user').map((b) => b.sectionIndex)).size;
  const idle = memory.idleSeconds ?? 0;
  // After 5 minutes the 5m entries have expired: this turn re-writes all it does not read from 1h.
  const newTokens = idle > TTL_MS['1h'] / 1000 ? cachedTokens : idle > TTL_MS['5m'] / 1000 ? uncoveredTokens : conv.prefixTokens - prevEnd;
  return { cachedTokens, newTokens, uncoveredTokens, uncoveredTurns, firstTurn: l.prevUser === undefined };
}
