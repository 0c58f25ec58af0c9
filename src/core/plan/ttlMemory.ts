// What a client remembers to choose TTLs per request (tierTtls), for the session runner and the
// strategy replay alike: it learns only from what has already happened, never the future.
// Usage: seed(prompt, ledger history) once, then per request choose(...) → planRequest → planned(...).
import type { ModelInfo } from '../models/types';
import { conversationShape, type ConversationMemory } from './shape';
import { planOptionsFor, tierTtls, type DeclaredTtls, type FirstTurnReuse, type SetReuse } from './tierTtls';
import type { ComposedRequest, PlanOptions, PlanResult } from './types';

/**
 * Identities the memory keys on: the prompt (tools + instructions + model), its context tier's
 * content (a document set), and the conversation (e.g. its id, or its first message).
 */
export interface TtlKeys {
  prompt: string;
  context: string;
  conversation: string;
}

/**
 * What a client can know before sending: per key, the gaps between its uses (seconds), including
 * the one ending now (it has already elapsed); per prompt, the gaps between turns of its
 * conversations and how many of its first turns a later turn continued.
 */
export class TtlMemory {
  private last = new Map<string, number>();
  private gaps = new Map<string, number[]>();
  private firsts = new Map<string, FirstTurnReuse>();
  /** First turns not (yet) continued, by conversation key → their prompt key. */
  private open = new Map<string, string>();
  private checkpoints = new Map<string, { blockIndex: number; atS: number }>();

  private sets = new Map<string, { seen: Set<string>; returned: Set<string>; last?: string }>();

  /** For a document set new to the prompt: the prompt's other sets and how many came back; undefined for a known set. */
  private contextSets(prompt: string, context: string): SetReuse | undefined {
    const s = this.sets.get(prompt);
    if (s?.seen.has(context)) return undefined;
    return { seen: s?.seen.size ?? 0, returned: s?.returned.size ?? 0 };
  }

  /** A set used again after another set of the prompt was used in between has come back. */
  private useSet(prompt: string, context: string): void {
    const s = this.sets.get(prompt) ?? { seen: new Set<string>(), returned: new Set<string>() };
    if (s.seen.has(context) && s.last !== context) s.returned.add(context);
    s.seen.add(context);
    s.last = context;
    this.sets.set(prompt, s);
  }

  private gapsUntil(key: string, atS: number): number[] {
    const prev = this.last.get(key);
    const seen = this.gaps.get(key) ?? [];
    return prev === undefined ? seen : [...seen, atS - prev];
  }

  private use(key: string, atS: number, pool?: string): void {
    const prev = this.last.get(key);
    this.gaps.set(key, this.gapsUntil(key, atS));
    if (pool && prev !== undefined) this.gaps.set(pool, [...(this.gaps.get(pool) ?? []), atS - prev]);
    this.last.set(key, atS);
  }

  /**
   * Context prefixes of one prompt (its rotating document sets) are used alike, so their gaps are
   * pooled: a set seen for the first time starts from what the others showed. The current gap of
   * this very set, when it has one, is added to the pool's.
   */
  private pooledUntil(key: string, pool: string, atS: number): number[] {
    const prev = this.last.get(key);
    const pooled = this.gaps.get(pool) ?? [];
    return prev === undefined ? pooled : [...pooled, atS - prev];
  }

  /** Turn gaps of the prompt's conversations, with this conversation's current one when it continues. */
  private turnGapsUntil(prompt: string, conversation: string, atS: number, firstTurn: boolean): number[] {
    const pooled = this.gaps.get(`t:${prompt}`) ?? [];
    const prev = firstTurn ? undefined : this.last.get(`t:${conversation}`);
    return prev === undefined ? pooled : [...pooled, atS - prev];
  }

  /** The newest 1h conversation entry of this conversation while it can still be live, and the idle time. */
  private memory(conversation: string, atS: number): ConversationMemory {
    const c = this.checkpoints.get(conversation);
    const prev = this.last.get(`t:${conversation}`);
    return { ...(c && atS - c.atS < 3600 ? { checkpoint: c.blockIndex } : {}), ...(prev !== undefined ? { idleSeconds: atS - prev } : {}) };
  }

  private wrote1h(conversation: string, blockIndex: number, atS: number): void {
    this.checkpoints.set(conversation, { blockIndex, atS });
  }

  private firstTurns(prompt: string): FirstTurnReuse {
    return this.firsts.get(prompt) ?? { seen: 0, continued: 0 };
  }

  /** A first turn opens a conversation; a later turn of it counts the first as continued (once). */
  private turn(prompt: string, conversation: string, firstTurn: boolean, atS: number): void {
    const prev = this.last.get(`t:${conversation}`);
    if (!firstTurn && prev !== undefined) this.gaps.set(`t:${prompt}`, [...(this.gaps.get(`t:${prompt}`) ?? []), atS - prev]);
    this.last.set(`t:${conversation}`, atS);
    const f = { ...this.firstTurns(prompt) };
    if (firstTurn) {
      f.seen++;
      this.open.set(conversation, prompt);
    } else if (this.open.get(conversation) === prompt) {
      f.continued++;
      this.open.delete(conversation);
    }
    this.firsts.set(prompt, f);
  }

  /** Gaps the ledger remembers for a prompt (oldest first) and, if known, when it was last used. */
  seed(prompt: string, history: { gapsSeconds: number[]; lastUseAtS?: number }): void {
    this.gaps.set(prompt, [...history.gapsSeconds]);
    if (history.lastUseAtS !== undefined) this.last.set(prompt, history.lastUseAtS);
  }

  /** Planner options for a request about to be sent at `atS`; records this use. */
  choose(keys: TtlKeys, composed: ComposedRequest, model: ModelInfo, atS: number, declared: DeclaredTtls = {}): PlanOptions {
    const shape = conversationShape(composed, model, this.memory(keys.conversation, atS));
    const firstTurn = shape?.firstTurn ?? composed.request.messages.length === 1;
    const sets = this.contextSets(keys.prompt, keys.context);
    const choice = tierTtls(this.gapsUntil(keys.prompt, atS), declared, {
      readRatio: model.prices.read / model.prices.input,
      contextGapsSeconds: this.pooledUntil(keys.context, `cx:${keys.prompt}`, atS),
      ...(sets ? { contextSets: sets } : {}),
      turnGapsSeconds: this.turnGapsUntil(keys.prompt, keys.conversation, atS, firstTurn),
      ...(shape ? { conversation: shape } : {}),
      firstTurns: this.firstTurns(keys.prompt),
    });
    this.use(keys.prompt, atS);
    this.use(keys.context, atS, `cx:${keys.prompt}`);
    this.useSet(keys.prompt, keys.context);
    this.turn(keys.prompt, keys.conversation, firstTurn, atS);
    return planOptionsFor(model, choice);
  }

  /** After planning: a conversation breakpoint written at 1h is the conversation's new checkpoint. */
  planned(keys: TtlKeys, plan: PlanResult, atS: number): void {
    const conv = plan.breakpoints.find((b) => b.tier === 'conversation' && b.placed && b.ttl === '1h');
    if (conv?.blockIndex !== undefined) this.wrote1h(keys.conversation, conv.blockIndex, atS);
  }
}
