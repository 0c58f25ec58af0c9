// How the engine sees a request: blocks in prefix order (tools → system → messages). The cache
// simulator (core/cache/blocks.ts) and the planner (core/plan/blocks.ts) each walk a request into
// these shapes; test/support/referenceWalker.ts is the plain reference both are tested against.
import type { CacheControl, ContentBlock, ToolDefinition } from '../../shared/anthropic';

export type Section = 'tools' | 'system' | 'messages';

/** Where a block sits in a request, what it is and what it weighs: shared by every block walker. */
export interface BlockPosition {
  /** Position in the flat list (tools, then system, then messages). */
  index: number;
  section: Section;
  /** Index within `tools`, `system`, or the message index for `messages`. */
  sectionIndex: number;
  /** Index within the message's content (messages only; 0 for string content). */
  contentIndex: number;
  role?: 'user' | 'assistant' | 'system';
  type: string;
  /** Canonical serialisation without `cache_control` (the cache key ignores markers). */
  canonical: string;
  /** Estimated tokens of this block. */
  tokens: number;
  /** Tokens of this and every earlier block (see each walker for what else it includes). */
  prefixTokens: number;
  cacheControl?: CacheControl;
}

/** Tokens a Messages request carries beyond its blocks (role framing); count_tokens of a 1-char message is 8. */
export const FRAMING_TOKENS_PER_MESSAGE = 7;

export type TokenCounter = (block: ContentBlock | ToolDefinition) => number;
