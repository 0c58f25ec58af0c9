// Breakpoint strategies replayed against a trace. Each sees the trace online (only what came
// before), like a client would. Peers follow what the tools people use do (spec §8, peers.md).
import type { CacheControl, ContentBlock, MessagesRequest, TextBlock } from '../../shared/anthropic';
import type { ModelTable } from '../models/types';
import { adviseTtl } from '../plan/ttlAdvisor';
import { planRequest } from '../plan/planner';
import { stableStringify } from '../request/canonical';
import type { TierTtls } from '../plan/types';

export const STRATEGY_NAMES = ['tiered', 'automatic', 'last-two-user', 'system-only', 'none'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export interface Strategy {
  name: StrategyName;
  /** The body to send for this trace request at `atS` (seconds); may update the strategy's own history. */
  apply(request: MessagesRequest, atS: number): MessagesRequest;
}

const CC5: CacheControl = { type: 'ephemeral' };

function systemBlocks(request: MessagesRequest): TextBlock[] {
  if (typeof request.system === 'string') return request.system ? [{ type: 'text', text: request.system }] : [];
  return request.system ?? [];
}

const eligible = (b: ContentBlock) =>
  b.type !== 'thinking' && b.type !== 'redacted_thinking' && !(b.type === 'text' && b.text === '');

/** Copy with cache_control on the last system block (skipped when it is empty). */
function markSystem(request: MessagesRequest): MessagesRequest {
  const sys = systemBlocks(request).map((b) => ({ ...b }));
  const last = sys[sys.length - 1];
  if (!last || last.text === '') return request;
  last.cache_control = CC5;
  return { ...request, system: sys };
}

/** Cline/Roo/Continue: system plus the last eligible block of each of the last two user messages, 5m. */
function lastTwoUser(request: MessagesRequest): MessagesRequest {
  const r = markSystem(request);
  const messages = r.messages.map((m) => ({ ...m }));
  let marked = 0;
  for (let i = messages.length - 1; i >= 0 && marked < 2; i--) {
    const m = messages[i];
    if (!m || m.role !== 'user') continue;
    const content: ContentBlock[] = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content.map((b) => ({ ...b }));
    for (let j = content.length - 1; j >= 0; j--) {
      const b = content[j] as ContentBlock;
      if (!eligible(b)) continue;
      (b as { cache_control?: CacheControl }).cache_control = CC5;
      break;
    }
    m.content = content;
    marked++;
  }
  return { ...r, messages };
}

/** Remembers, per prefix key, when it was last used, and the gaps between uses (seconds). */
class GapBook {
  private last = new Map<string, number>();
  private gaps = new Map<string, number[]>();
  seen(key: string): number[] {
    return this.gaps.get(key) ?? [];
  }
  use(key: string, atS: number): void {
    const prev = this.last.get(key);
    if (prev !== undefined) {
      const g = this.gaps.get(key) ?? [];
      g.push(atS - prev);
      this.gaps.set(key, g);
    }
    this.last.set(key, atS);
  }
}

/** Our planner with online TTLs: each tier's TTL follows the gaps seen so far for its prefix. */
function tiered(models: ModelTable): Strategy {
  const book = new GapBook();
  return {
    name: 'tiered',
    apply(request, atS) {
      const model = models.resolve(request.model);
      const sys = systemBlocks(request);
      const head = stableStringify([model.id, request.tools ?? [], request.tool_choice ?? null]);
      const keys = {
        system: `s:${head}:${stableStringify(sys.slice(0, 1))}`,
        context: `c:${head}:${stableStringify(sys)}`,
        conversation: `m:${head}:${stableStringify(sys)}:${stableStringify(request.messages[0] ?? null)}`,
      };
      const ttl = {} as TierTtls;
      const ttlReasons: Partial<Record<keyof TierTtls, string>> = {};
      for (const tier of ['system', 'context', 'conversation'] as const) {
        const advice = adviseTtl(book.seen(keys[tier]), undefined, { readRatio: model.prices.read / model.prices.input });
        ttl[tier] = advice.ttl;
        ttlReasons[tier] = advice.reason;
        book.use(keys[tier], atS);
      }
      const composed = { request: { ...request, system: sys }, instructionBlocks: Math.min(1, sys.length), contextBlocks: Math.max(0, sys.length - 1) };
      return planRequest(composed, { model, ttl, ttlReasons }).request;
    },
  };
}

export function createStrategy(name: string, models: ModelTable): Strategy {
  switch (name) {
    case 'tiered':
      return tiered(models);
    case 'automatic':
      return { name, apply: (r) => ({ ...r, cache_control: CC5 }) };
    case 'last-two-user':
      return { name, apply: lastTwoUser };
    case 'system-only':
      return { name, apply: markSystem };
    case 'none':
      return { name, apply: (r) => r };
    default:
      throw new Error(`unknown strategy '${name}'; choose one of: ${STRATEGY_NAMES.join(', ')}`);
  }
}
