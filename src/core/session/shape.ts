// A request's shape: per block its tier, estimated tokens and prefix hash, plus the breakpoints.
// Stored in every RequestRecord so a session can be replayed under other strategies without
// keeping any text, and the prompt's version (a content hash per tier) tells edits apart.
import { createHash } from 'node:crypto';
import type { MessagesRequest } from '../../shared/anthropic';
import { BlockMemo, cacheBlocks, keyOf, type CacheBlock } from '../cache/blocks';
import type { RequestShape, ShapeTier } from '../ledger/record';
import type { ModelInfo, TokenizerGeneration } from '../models/types';
import type { TokenCounter } from '../request/blocks';
import { blockTokenCounter } from '../tokens/estimate';

/** The composer puts the instructions in system[0] and one context document per later system block. */
const INSTRUCTION_BLOCKS = 1;

const memo = new BlockMemo(20_000);
const counters = new Map<TokenizerGeneration, TokenCounter>();

function counterFor(model: ModelInfo): TokenCounter {
  let c = counters.get(model.tokenizer);
  if (!c) counters.set(model.tokenizer, (c = blockTokenCounter(model.tokenizer)));
  return c;
}

function tierOf(block: CacheBlock): ShapeTier {
  if (block.section === 'tools') return 'tools';
  if (block.section === 'system') return block.sectionIndex < INSTRUCTION_BLOCKS ? 'system' : 'context';
  return 'conversation';
}

export function requestShape(request: MessagesRequest, model: ModelInfo): RequestShape {
  const list = cacheBlocks(request, model.id, counterFor(model), `gen:${model.tokenizer}`, memo);
  return {
    blocks: list.blocks.map((b) => ({ tier: tierOf(b), tokens: b.tokens, prefixHash: keyOf(b) })),
    breakpoints: list.blocks.filter((b) => b.cacheControl).map((b) => ({ blockIndex: b.index, ttl: b.cacheControl?.ttl ?? '5m' })),
  };
}

function digest(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts ?? null)).digest('hex').slice(0, 16);
}

/** Content hash per stable tier (markers excluded: moving a breakpoint is not a new prompt version). */
export function promptVersion(request: MessagesRequest): { tools: string; system: string; context: string } {
  const strip = <T extends object>(b: T): T => {
    const { cache_control: _cc, ...rest } = b as T & { cache_control?: unknown };
    return rest as T;
  };
  const system = typeof request.system === 'string' ? [{ type: 'text' as const, text: request.system }] : (request.system ?? []);
  return {
    tools: digest((request.tools ?? []).map(strip)),
    system: digest(system.slice(0, INSTRUCTION_BLOCKS).map(strip)),
    context: digest(system.slice(INSTRUCTION_BLOCKS).map(strip)),
  };
}
