// Our planner replayed online: before each request it knows only the gaps and continuations seen
// so far in the trace (never the future) and chooses TTLs and the conversation breakpoint with
// tierTtls, the same function the session runner uses on live traffic.
import type { MessagesRequest, TextBlock } from '../../shared/anthropic';
import type { ModelInfo, ModelTable } from '../models/types';
import { planRequest } from '../plan/planner';
import { conversationShape, type ConversationMemory } from '../plan/shape';
import { planOptionsFor, tierTtls, type FirstTurnReuse, type SetReuse } from '../plan/tierTtls';
import type { ComposedRequest } from '../plan/types';
import { stableStringify } from '../request/canonical';

/**
 * What a client can know before sending: per key, the gaps between its uses (seconds), including
 * the one ending now (it has already elapsed); per prompt, the gaps between turns of its
 * conversations and how many of its first turns a later turn continued.
 */
class UseBook {
  private last = new Map<string, number>();
  private gaps = new Map<string, number[]>();
  private firsts = new Map<string, FirstTurnReuse>();
  /** First turns not (yet) continued, by conversation key → their prompt key. */
  private open = new Map<string, string>();
  private checkpoints = new Map<string, { blockIndex: number; atS: number }>();

  private sets = new Map<string, { seen: Set<string>; returned: Set<string>; last?: string }>();

  /** For a document set new to the prompt: the prompt's other sets and how many came back; undefined for a known set. */
  contextSets(prompt: string, context: string): SetReuse | undefined {
    const s = this.sets.get(prompt);
    if (s?.seen.has(context)) return undefined;
    return { seen: s?.seen.size ?? 0, returned: s?.returned.size ?? 0 };
  }

  /** A set used again after another set of the prompt was used in between has come back. */
  useSet(prompt: string, context: string): void {
    const s = this.sets.get(prompt) ?? { seen: new Set<string>(), returned: new Set<string>() };
    if (s.seen.has(context) && s.last !== context) s.returned.add(context);
    s.seen.add(context);
    s.last = context;
    this.sets.set(prompt, s);
  }

  gapsUntil(key: string, atS: number): number[] {
    const prev = this.last.get(key);
    const seen = this.gaps.get(key) ?? [];
    return prev === undefined ? seen : [...seen, atS - prev];
  }

  use(key: string, atS: number, pool?: string): void {
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
  pooledUntil(key: string, pool: string, atS: number): number[] {
    const prev = this.last.get(key);
    const pooled = this.gaps.get(pool) ?? [];
    return prev === undefined ? pooled : [...pooled, atS - prev];
  }

  /** Turn gaps of the prompt's conversations, with this conversation's current one when it continues. */
  turnGapsUntil(prompt: string, conversation: string, atS: number, firstTurn: boolean): number[] {
    const pooled = this.gaps.get(`t:${prompt}`) ?? [];
    const prev = firstTurn ? undefined : this.last.get(`t:${conversation}`);
    return prev === undefined ? pooled : [...pooled, atS - prev];
  }

  /** The newest 1h conversation entry of this conversation while it can still be live, and the idle time. */
  memory(conversation: string, atS: number): ConversationMemory {
    const c = this.checkpoints.get(conversation);
    const prev = this.last.get(`t:${conversation}`);
    return { ...(c && atS - c.atS < 3600 ? { checkpoint: c.blockIndex } : {}), ...(prev !== undefined ? { idleSeconds: atS - prev } : {}) };
  }

  wrote1h(conversation: string, blockIndex: number, atS: number): void {
    this.checkpoints.set(conversation, { blockIndex, atS });
  }

  firstTurns(prompt: string): FirstTurnReuse {
    return this.firsts.get(prompt) ?? { seen: 0, continued: 0 };
  }

  /** A first turn opens a conversation; a later turn of it counts the first as continued (once). */
  turn(prompt: string, conversation: string, firstTurn: boolean, atS: number): void {
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
}

function systemBlocks(request: MessagesRequest): TextBlock[] {
  if (typeof request.system === 'string') return request.system ? [{ type: 'text', text: request.system }] : [];
  return request.system ?? [];
}

/** Trace requests carry no tier layout: system[0] is taken as the instructions, the rest as context. */
function composedOf(request: MessagesRequest): ComposedRequest {
  const sys = systemBlocks(request);
  return { request: { ...request, system: sys }, instructionBlocks: Math.min(1, sys.length), contextBlocks: Math.max(0, sys.length - 1) };
}

function keysOf(request: MessagesRequest, model: ModelInfo) {
  const sys = systemBlocks(request);
  const head = stableStringify([model.id, request.tools ?? [], request.tool_choice ?? null]);
  return {
    prompt: `s:${head}:${stableStringify(sys.slice(0, 1))}`,
    context: `c:${head}:${stableStringify(sys)}`,
    conversation: `m:${head}:${stableStringify(sys)}:${stableStringify(request.messages[0] ?? null)}`,
  };
}

const contextSets = (s: SetReuse | undefined) => (s ? { contextSets: s } : {});

export function tieredStrategy(models: ModelTable): { name: 'tiered'; apply(request: MessagesRequest, atS: number): MessagesRequest } {
  const book = new UseBook();
  return {
    name: 'tiered',
    apply(request, atS) {
      const model = models.resolve(request.model);
      const keys = keysOf(request, model);
      const composed = composedOf(request);
      const shape = conversationShape(composed, model, book.memory(keys.conversation, atS));
      const firstTurn = shape?.firstTurn ?? request.messages.length === 1;
      const choice = tierTtls(book.gapsUntil(keys.prompt, atS), {}, {
        readRatio: model.prices.read / model.prices.input,
        contextGapsSeconds: book.pooledUntil(keys.context, `cx:${keys.prompt}`, atS),
        ...contextSets(book.contextSets(keys.prompt, keys.context)),
        turnGapsSeconds: book.turnGapsUntil(keys.prompt, keys.conversation, atS, firstTurn),
        ...(shape ? { conversation: shape } : {}),
        firstTurns: book.firstTurns(keys.prompt),
      });
      book.use(keys.prompt, atS);
      book.use(keys.context, atS, `cx:${keys.prompt}`);
      book.useSet(keys.prompt, keys.context);
      book.turn(keys.prompt, keys.conversation, firstTurn, atS);
      const plan = planRequest(composed, planOptionsFor(model, choice));
      const conv = plan.breakpoints.find((b) => b.tier === 'conversation' && b.placed && b.ttl === '1h');
      if (conv?.blockIndex !== undefined) book.wrote1h(keys.conversation, conv.blockIndex, atS);
      return plan.request;
    },
  };
}
