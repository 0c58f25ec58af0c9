// Per request, the TTL of every tier and whether the conversation breakpoint pays, from the gaps
// seen so far for the prompt (the ledger's history across sessions, then this session's) and what
// the prompt file declares. One function for the session runner, the plan pipeline and the
// strategy replay, so what is replayed is what is sent.
//
// Break-even, in multiples of the base input price (spec §3: 5m write 1.25, 1h write 2, read r):
// - Stable tiers (system, context): adviseTtl (ttlAdvisor.ts).
// - Conversation tier: its entry moves every turn. Writing this turn's entry at 1h costs 0.75 more
//   on what the turn writes (Δ). It makes a checkpoint: after a pause of 5-60 min the next turn
//   reads up to it instead of writing again (1.25 − r) the U tokens no live 1h entry holds. With
//   p_mid the share of turn gaps that are such pauses, each turn left at 5m runs a risk of
//   (1.25 − r)·p_mid·U; rent or buy: take 1h once the risk run over the k uncovered turns
//   (≈ U·(k+1)/2) exceeds the premium, i.e. (1.25 − r)·p_mid·U·(k+1)/2 > 0.75·Δ. Dense turns never
//   buy; a conversation resumed after pauses checkpoints every few turns instead of paying the
//   premium on every turn; right after a pause (Δ = U) a short conversation re-writes at 5m.
// - First turns: a breakpoint on the only user message writes it at 1.25 instead of 1, and pays
//   only if the conversation continues (the next turn reads it instead of writing it): worth it
//   iff P(continued) > 0.25 / (1.25 − r) ≈ 0.22. Single-request traffic (a new user message every
//   time) never reads it, so once a prompt's first turns are seen not to continue, it is skipped.
import type { CacheTtl } from '../../shared/anthropic';
import { DEFAULT_READ_RATIO, WRITE_1H, WRITE_5M, adviseTtl, validGaps, type TtlAdvice } from './ttlAdvisor';
import type { ModelInfo } from '../models/types';
import type { PlanOptions, TierTtls } from './types';

const TTL_5M_S = 300;
const TTL_1H_S = 3600;
/** The conversation tier's default and its reason (a rolling entry refreshed by every hit). */
export const CONVERSATION_DEFAULT_REASON = 'the conversation tier rolls forward every turn (5m: hits refresh it for free)';

export interface DeclaredTtls {
  system?: CacheTtl;
  context?: CacheTtl;
}

/** What the conversation breakpoint of this request would write and keep (conversationShape in shape.ts). */
export interface ConversationShape {
  /** Tokens from the end of the stable tiers to the conversation breakpoint. */
  cachedTokens: number;
  /**
   * Of those, the tokens this request writes: past the previous turn's entry, or after a pause
   * past whatever 1h entry still holds them (all of them on a first turn).
   */
  newTokens: number;
  /**
   * Of those, the tokens past the newest live 1h conversation entry in look-back reach (all of
   * them when there is none): what a pause would make the next turn write again.
   */
  uncoveredTokens?: number;
  /** User turns among the uncovered tokens (this one included). */
  uncoveredTurns?: number;
  firstTurn: boolean;
}

/** Earlier first turns of this prompt and how many of them a later turn continued. */
export interface FirstTurnReuse {
  seen: number;
  continued: number;
}

/** Other document sets of this prompt seen so far and how many of them came back after another. */
export interface SetReuse {
  seen: number;
  returned: number;
}

export interface TierTtlOptions {
  /** Read price ÷ base input price of the model (0.1 for every current model). */
  readRatio?: number;
  /** Gaps of the context tier's own prefix when it differs from the prompt's (documents that rotate). */
  contextGapsSeconds?: number[];
  /**
   * For a context prefix (document set) not seen before: how many other sets of this prompt were
   * seen, and how many of those came back after another set was used in between.
   */
  contextSets?: SetReuse;
  /**
   * Gaps between consecutive turns of this prompt's conversations (this one's so far included):
   * what decides whether a conversation entry outlives a pause. Default: `gapsSeconds`, which
   * also holds the gaps between separate conversations and so overstates resumed pauses.
   */
  turnGapsSeconds?: number[];
  conversation?: ConversationShape;
  firstTurns?: FirstTurnReuse;
}

export interface TierChoice {
  ttl: TierTtls;
  reasons: Record<keyof TierTtls, string>;
  /** Set when the conversation breakpoint should be left out: why. */
  skipConversation?: string;
}

interface GapShares {
  n: number;
  mid: number;
}

function shares(gapsSeconds: number[]): GapShares {
  const gaps = validGaps(gapsSeconds);
  const n = gaps.length;
  const count = (f: (g: number) => boolean) => gaps.filter(f).length;
  return { n, mid: count((g) => g > TTL_5M_S && g <= TTL_1H_S) / Math.max(1, n) };
}

/** Laplace's rule (a prior of one continued and one not), so a prompt with no history gets the breakpoint. */
export function continuationChance(f: FirstTurnReuse | undefined): number {
  return ((f?.continued ?? 0) + 1) / ((f?.seen ?? 0) + 2);
}

export function firstTurnBreakEven(readRatio = DEFAULT_READ_RATIO): number {
  return (WRITE_5M - 1) / (WRITE_5M - readRatio);
}

function skipFirstTurn(opts: TierTtlOptions, readRatio: number): string | undefined {
  if (!opts.conversation?.firstTurn || !opts.firstTurns) return undefined;
  const p = continuationChance(opts.firstTurns);
  const even = firstTurnBreakEven(readRatio);
  if (p >= even) return undefined;
  const { seen, continued } = opts.firstTurns;
  return `not placed: only ${continued} of the prompt's last ${seen} first turns were continued (estimated chance ${p.toFixed(2)} < break-even ${even.toFixed(2)}), so writing this user message at 1.25× would rarely be read back`;
}

function conversationTtl(gaps: number[], opts: TierTtlOptions, readRatio: number): TtlAdvice {
  const shape = opts.conversation;
  const s = shares(gaps);
  if (!shape || s.n === 0 || shape.cachedTokens <= 0) return { ttl: '5m', reason: CONVERSATION_DEFAULT_REASON };
  const reach = shape.firstTurn ? continuationChance(opts.firstTurns) : 1;
  // Written at 5m, the uncovered tokens are what the next pause makes a turn write again.
  const uncovered = shape.uncoveredTokens ?? shape.cachedTokens;
  // Rent or buy: the re-write risk already run on the uncovered turns since the last 1h entry
  // (growing from ~0 to U, so about U·(k+1)/2 over k turns) is what going on at 5m keeps paying.
  const turns = Math.max(1, shape.uncoveredTurns ?? 1);
  const saved = reach * uncovered * ((turns + 1) / 2) * (WRITE_5M - readRatio) * s.mid;
  const premium = (WRITE_1H - WRITE_5M) * shape.newTokens;
  const pct = (x: number) => `${Math.round(100 * x)}%`;
  const numbers = `${pct(s.mid)} of ${s.n} gaps are 5-60 min; ${Math.round(uncovered)} conversation tokens not yet held by a 1h entry, ${Math.round(shape.newTokens)} new`;
  if (saved > premium) {
    return { ttl: '1h', reason: `1h: after the pauses this prompt sees, a 5m entry would expire and the whole conversation be written again; that is expected to cost more than the 1h premium on this turn's new tokens (${numbers})` };
  }
  return { ttl: '5m', reason: `5m: the 1h premium on this turn's new tokens would cost more than the re-writes it saves after pauses (${numbers})` };
}

/** Keeps 1h entries before 5m ones (spec §1.5) by lifting an undeclared stable tier to the later tier's 1h. */
function lift(advice: TtlAdvice, declared: CacheTtl | undefined, later: string): TtlAdvice {
  if (declared || advice.ttl === '1h') return advice;
  return { ttl: '1h', reason: `1h because the ${later} breakpoint after it is 1h and 1h entries must come before 5m ones (${advice.reason})` };
}

/**
 * A document set seen for the first time has no gaps of its own; whether it will come back is
 * judged from the prompt's other sets (Laplace: (returned + 1) / (seen + 1)). Coming back after
 * 5-60 min, 1h is read where 5m would be written again (1.25 − r saved); never coming back, 1h
 * paid 0.75 for nothing: 1h iff P · (1.25 − r) > (1 − P) · 0.75. Rotating documents come back,
 * documents replaced for good do not, and each prompt soon shows which it does.
 */
function newSetAdvice(sets: SetReuse, system: TtlAdvice, readRatio: number): TtlAdvice | undefined {
  if (sets.seen === 0) return undefined;
  const p = (sets.returned + 1) / (sets.seen + 1);
  const why = `a new document set; ${sets.returned} of the prompt's ${sets.seen} other sets came back after another was used (estimated chance ${p.toFixed(2)})`;
  if (p * (WRITE_5M - readRatio) > (1 - p) * (WRITE_1H - WRITE_5M)) return { ttl: '1h', reason: `1h: ${why}, so 1h is likely to be read where 5m would be written again` };
  return { ttl: system.ttl, reason: `the system tier's TTL: ${why}, too low for the 1h premium (${system.reason})` };
}

function contextAdvice(gaps: number[], declared: CacheTtl | undefined, system: TtlAdvice, opts: TierTtlOptions): TtlAdvice {
  const readRatio = opts.readRatio ?? DEFAULT_READ_RATIO;
  if (declared) return adviseTtl(gaps, declared, { readRatio });
  const fresh = opts.contextSets ? newSetAdvice(opts.contextSets, system, readRatio) : undefined;
  if (fresh) return fresh;
  if (validGaps(gaps).length) return adviseTtl(gaps, declared, { readRatio });
  return { ttl: system.ttl, reason: `the system tier's TTL (${system.reason})` };
}

export function tierTtls(gapsSeconds: number[], declared: DeclaredTtls = {}, opts: TierTtlOptions = {}): TierChoice {
  const readRatio = opts.readRatio ?? DEFAULT_READ_RATIO;
  let system = adviseTtl(gapsSeconds, declared.system, { readRatio });
  const contextGaps = opts.contextGapsSeconds ?? gapsSeconds;
  // With nothing declared for the context and no history for it, it keeps the system tier's TTL.
  let context = contextAdvice(contextGaps, declared.context, system, opts);
  const skip = skipFirstTurn(opts, readRatio);
  const conversation = skip ? { ttl: '5m' as const, reason: CONVERSATION_DEFAULT_REASON } : conversationTtl(opts.turnGapsSeconds ?? gapsSeconds, opts, readRatio);
  if (conversation.ttl === '1h') {
    context = lift(context, declared.context, 'conversation');
    system = lift(system, declared.system, 'conversation');
  }
  if (context.ttl === '1h') system = lift(system, declared.system, 'context');
  return {
    ttl: { system: system.ttl, context: context.ttl, conversation: conversation.ttl },
    reasons: { system: system.reason, context: context.reason, conversation: conversation.reason },
    ...(skip ? { skipConversation: skip } : {}),
  };
}

/** The planner options for a choice: TTLs, their reasons, and the skipped conversation breakpoint. */
export function planOptionsFor(model: ModelInfo, choice: TierChoice): PlanOptions {
  return { model, ttl: choice.ttl, ttlReasons: choice.reasons, ...(choice.skipConversation ? { skipConversation: choice.skipConversation } : {}) };
}
