// The reference walker: a request as one flat list of blocks with canonical forms, token estimates
// and a sha256 of every prefix. Slow and plain on purpose; the engine's own walkers
// (src/core/cache/blocks.ts, src/core/plan/blocks.ts) are tested to agree with it.
import { createHash } from 'node:crypto';
import type { CacheControl, ContentBlock, MessagesRequest, TextBlock, ToolDefinition } from '../../src/shared/anthropic';
import { FRAMING_TOKENS_PER_MESSAGE, type BlockPosition, type Section, type TokenCounter } from '../../src/core/request/blocks';
import { stableStringify } from '../../src/core/request/canonical';
import { countO200k } from '../../src/core/tokens/count';
import { blockText, IMAGE_TOKENS } from '../../src/core/tokens/estimate';

export interface FlatBlock extends BlockPosition {
  /** Hash of the whole prefix up to and including this block (model not included). */
  prefixHash: string;
  /** Empty text blocks cannot carry cache_control. */
  empty: boolean;
  /** Thinking blocks cannot carry cache_control. */
  cacheable: boolean;
}


function withoutCacheControl<T extends { cache_control?: CacheControl }>(b: T): Omit<T, 'cache_control'> {
  const { cache_control: _cc, ...rest } = b;
  return rest;
}

function tokensOf(block: ContentBlock | ToolDefinition): number {
  const t = (block as { type?: string }).type;
  if (t === 'image') return IMAGE_TOKENS;
  return countO200k(blockText(block));
}


export function flattenRequest(request: MessagesRequest, counter: TokenCounter = tokensOf): FlatBlock[] {
  const out: FlatBlock[] = [];
  const hash = createHash('sha256');
  hash.update(`tool_choice:${stableStringify(request.tool_choice ?? null)}\n`);
  let prefix = 0;
  const push = (
    section: Section,
    sectionIndex: number,
    contentIndex: number,
    block: ContentBlock | ToolDefinition,
    role?: 'user' | 'assistant' | 'system',
  ) => {
    const canonical = stableStringify(withoutCacheControl(block as { cache_control?: CacheControl }));
    const tokens = counter(block);
    prefix += tokens;
    hash.update(`${section}:${role ?? ''}:${canonical}\n`);
    const type = (block as { type?: string }).type ?? (section === 'tools' ? 'tool' : 'text');
    out.push({
      index: out.length,
      section,
      sectionIndex,
      contentIndex,
      role,
      type,
      canonical,
      tokens,
      prefixTokens: prefix,
      prefixHash: hash.copy().digest('hex').slice(0, 32),
      cacheControl: (block as { cache_control?: CacheControl }).cache_control,
      empty: type === 'text' && String((block as TextBlock).text ?? '').length === 0,
      cacheable: type !== 'thinking' && type !== 'redacted_thinking',
    });
  };
  (request.tools ?? []).forEach((t, i) => push('tools', i, 0, t));
  const system = typeof request.system === 'string' ? [{ type: 'text' as const, text: request.system }] : request.system ?? [];
  system.forEach((b, i) => push('system', i, 0, b));
  request.messages.forEach((m, i) => {
    const content = typeof m.content === 'string' ? [{ type: 'text' as const, text: m.content }] : m.content;
    content.forEach((b, j) => push('messages', i, j, b, m.role));
  });
  return out;
}

/** Total input tokens of a request as estimated locally (blocks plus message framing). */
export function estimateRequestTokens(request: MessagesRequest, blocks = flattenRequest(request)): number {
  const last = blocks[blocks.length - 1];
  return (last?.prefixTokens ?? 0) + FRAMING_TOKENS_PER_MESSAGE * request.messages.length;
}
