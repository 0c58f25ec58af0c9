import type { CacheTtl, MessagesRequest } from '../../shared/anthropic';
import type { ModelInfo } from '../models/types';

/**
 * Breakpoint tiers in prefix order. 'tools' (a marker on the last tool, DOC-PC's 4-breakpoint
 * pattern) is the lowest-priority tier: it only pays when instructions change but tools do not.
 */
export type Tier = 'tools' | 'system' | 'context' | 'conversation' | 'anchor';

/** Where a block came from, so the explainer can say "docs/faq.md line 12". */
export interface BlockSource {
  file: string;
  /** 1-based line of the block's first line in that file. */
  line: number;
}

/** A request before breakpoints: what the composer produces and what a trace line holds. */
export interface ComposedRequest {
  /** The body with no cache_control anywhere. */
  request: MessagesRequest;
  /** system[0 .. instructionBlocks) is tier 1 (with tools); the following contextBlocks system blocks are tier 2. */
  instructionBlocks: number;
  contextBlocks: number;
  /** Per system block, where it came from (same indices as request.system). */
  systemSources?: (BlockSource | undefined)[];
}

export interface TierTtls {
  system: CacheTtl;
  context: CacheTtl;
  conversation: CacheTtl;
}

export interface PlanOptions {
  model: ModelInfo;
  ttl: TierTtls;
  /** Anthropic's look-back window in blocks (spec §1.4). */
  lookback?: number;
  /** Why each TTL was chosen (e.g. adviseTtl's reason); quoted in the decisions' reasons. */
  ttlReasons?: Partial<Record<keyof TierTtls, string>>;
  /**
   * Leave the conversation breakpoint out, for this reason (tierTtls: a first turn on a prompt
   * whose first turns are rarely continued would write tokens nobody reads).
   */
  skipConversation?: string;
}

export interface BreakpointDecision {
  tier: Tier;
  ttl: CacheTtl;
  /** Estimated tokens of the whole prefix up to and including the breakpoint block. */
  prefix_tokens: number;
  placed: boolean;
  /** A sentence a person can read: why it is here, or why not. */
  reason: string;
  /** Flattened block position (see core/request/blocks) when placed or considered. */
  blockIndex?: number;
}

export interface PlanResult {
  /** The exact body to send: the composed request with cache_control added. */
  request: MessagesRequest;
  breakpoints: BreakpointDecision[];
}
