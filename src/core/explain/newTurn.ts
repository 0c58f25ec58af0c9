// A request that shares the whole cached prompt with the previous one and differs only from its
// first message on: a new conversation on a warm prompt, or an independent request with another
// user message. Everything cached that it could use was read and it wrote only its own turn, so it
// is no miss at all; blaming "the prompt changed at the conversation block" sent people looking for
// an edit that never happened. The previous conversation's entries are still cached for it.
import type { MessagesRequest } from '../../shared/anthropic';
import { cacheWriteTokens } from '../cost/usage';
import { firstDifference, flatNoTokens } from './diff';
import type { ExplainInput, Explanation } from './explain';
import { n, split } from './format';

const userTurns = (r: MessagesRequest) => r.messages.filter((m) => m.role === 'user').length;

/** Index of the last block the previous request cached before `d` (−1 when none), from its outcome. */
function lastCachedBefore(previous: NonNullable<ExplainInput['previous']>, d: number): number {
  const bps = previous.outcome?.breakpoints ?? [];
  return bps.reduce((m, b) => (b.blockIndex < d && b.result !== 'below-minimum' ? Math.max(m, b.blockIndex) : m), -1);
}

export function newTurnOnly(input: ExplainInput, previous: NonNullable<ExplainInput['previous']>): Explanation | undefined {
  const u = input.predicted.usage;
  const read = u.cache_read_input_tokens ?? 0;
  if (read === 0) return undefined;
  const before = flatNoTokens(previous.request, input.model.id);
  const after = flatNoTokens(input.request, input.model.id);
  const d = firstDifference(before, after);
  const first = after[d];
  // Only a difference from the first message on: any earlier one is a change of the prompt itself.
  if (d < 0 || !before[d] || !first || first.section !== 'messages' || first.sectionIndex !== 0) return undefined;
  // Everything of the shared prefix the cache held was read; every write lies past the difference.
  if (input.predicted.readUpToBlock <= lastCachedBefore(previous, d)) return undefined;
  if (input.predicted.breakpoints.some((b) => b.result === 'write' && b.blockIndex < d)) return undefined;
  const wrote = cacheWriteTokens(u);
  const what = wrote ? `the only write is ${userTurns(previous.request) > 1 ? "this conversation's first turn" : 'the new turn'} (${n(wrote)} tokens${split(u)})` : 'nothing new was written';
  const head = userTurns(previous.request) > 1 ? 'New conversation on a warm prompt' : 'Same prompt, new user message';
  const tail = userTurns(previous.request) > 1 ? " The previous conversation's own entries stay cached for it." : '';
  return { kind: 'new-conversation', sentence: `${head}: read all ${n(read)} cached tokens of the prompt; ${what}. Nothing in the prompt changed.${tail}` };
}
