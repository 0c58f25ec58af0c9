// The planner's view of a request: the reference walker's block order, indices and token sums, without
// the per-block canonical JSON and running sha256 that only the cache key needs. That hashing
// was ~80% of a 200-turn plan; without it compose + plan + predict fits the 2 ms budget.
// Invariant (pinned by a test): index, section, sectionIndex, contentIndex, role, type, tokens,
// prefixTokens, empty and cacheable equal test/support/referenceWalker.ts's with the same counter.
import type { ContentBlock, MessagesRequest, TextBlock, ToolDefinition } from '../../shared/anthropic';
import type { BlockPosition, TokenCounter } from '../request/blocks';

export type PlanBlock = Pick<BlockPosition, 'index' | 'section' | 'sectionIndex' | 'contentIndex' | 'role' | 'type' | 'tokens' | 'prefixTokens'> & {
  /** Empty text blocks cannot carry cache_control. */
  empty: boolean;
  /** Thinking blocks cannot carry cache_control. */
  cacheable: boolean;
};

/** Per block object: blocks are treated as immutable, so a re-plan of the same conversation skips them. */
const tokenMemo = new WeakMap<object, { counter: TokenCounter; tokens: number }>();

function tokensOf(block: ContentBlock | ToolDefinition, counter: TokenCounter): number {
  const m = tokenMemo.get(block);
  if (m && m.counter === counter) return m.tokens;
  const tokens = counter(block);
  tokenMemo.set(block, { counter, tokens });
  return tokens;
}

export function planBlocks(request: MessagesRequest, counter: TokenCounter): PlanBlock[] {
  const out: PlanBlock[] = [];
  let prefix = 0;
  const push = (section: BlockPosition['section'], sectionIndex: number, contentIndex: number, block: ContentBlock | ToolDefinition, role?: PlanBlock['role']) => {
    const tokens = tokensOf(block, counter);
    prefix += tokens;
    const type = (block as { type?: string }).type ?? (section === 'tools' ? 'tool' : 'text');
    out.push({
      index: out.length, section, sectionIndex, contentIndex, role, type, tokens, prefixTokens: prefix,
      empty: type === 'text' && String((block as TextBlock).text ?? '').length === 0,
      cacheable: type !== 'thinking' && type !== 'redacted_thinking',
    });
  };
  (request.tools ?? []).forEach((t, i) => push('tools', i, 0, t));
  const system = typeof request.system === 'string' ? [{ type: 'text' as const, text: request.system }] : (request.system ?? []);
  system.forEach((b, i) => push('system', i, 0, b));
  request.messages.forEach((m, i) => {
    const content = typeof m.content === 'string' ? [{ type: 'text' as const, text: m.content }] : m.content;
    content.forEach((b, j) => push('messages', i, j, b, m.role));
  });
  return out;
}
