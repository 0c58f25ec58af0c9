// Where each tier's breakpoint would go, before minimums, slots and TTL order are applied.
import type { PlanBlock } from './blocks';
import { FRAMING_TOKENS_PER_MESSAGE } from '../request/blocks';
import type { ComposedRequest, Tier } from './types';

export interface Candidate {
  tier: Tier;
  /** Flat index of the chosen block; undefined when the tier has nothing to mark. */
  blockIndex?: number;
  /** Tokens of the prefix up to and including the block, message framing included. */
  prefixTokens: number;
  /** Why it is not wanted at all (no such content, not needed); undefined when wanted. */
  skip?: string;
  /** Where the breakpoint sits, in words, plus any walk-back note. */
  where: string;
}

/** Prefix tokens as the cache counts them: blocks plus framing of every message started so far. */
export function prefixWithFraming(b: PlanBlock): number {
  return b.prefixTokens + (b.section === 'messages' ? FRAMING_TOKENS_PER_MESSAGE * (b.sectionIndex + 1) : 0);
}

export function describe(b: PlanBlock): string {
  if (b.section === 'messages') return `messages[${b.sectionIndex}].content[${b.contentIndex}] (${b.type})`;
  return `${b.section}[${b.sectionIndex}] (${b.type})`;
}

/** A block may carry cache_control (spec §1.3): not thinking, not empty text, no images/documents in assistant turns. */
export function canCarry(b: PlanBlock): boolean {
  if (!b.cacheable || b.empty) return false;
  return !(b.role === 'assistant' && (b.type === 'image' || b.type === 'document'));
}

function whyNot(b: PlanBlock): string {
  if (!b.cacheable) return `${b.type} blocks cannot carry cache_control`;
  if (b.empty) return 'empty text blocks cannot be cached';
  return `${b.type} blocks in assistant turns cannot be cached`;
}

/** Nearest block at or before `from` (down to `floor`) that can carry a marker, with a note when it walked. */
function walkBack(blocks: PlanBlock[], from: number, floor: number): { index?: number; note: string } {
  const start = blocks[from];
  for (let i = from; i >= floor; i--) {
    const b = blocks[i] as PlanBlock;
    if (!canCarry(b)) continue;
    if (i === from) return { index: i, note: '' };
    return { index: i, note: ` (walked back from ${start ? describe(start) : `block ${from}`}: ${start ? whyNot(start) : ''})` };
  }
  return { note: start ? `: ${whyNot(start)} and no earlier block in range can carry a marker` : '' };
}

function at(blocks: PlanBlock[], tier: Tier, from: number, floor: number, label: string): Candidate {
  const w = walkBack(blocks, from, floor);
  if (w.index === undefined) return { tier, prefixTokens: 0, where: label, skip: `nothing to mark${w.note}` };
  const b = blocks[w.index] as PlanBlock;
  return { tier, blockIndex: w.index, prefixTokens: prefixWithFraming(b), where: `${label}, ${describe(b)}${w.note}` };
}

export interface Layout {
  tools: number;
  instructionsEnd: number;
  contextEnd: number;
  lastUser?: number;
  prevUser?: number;
}

/** Index bounds of each tier in the flat list (ends are exclusive). */
export function layout(composed: ComposedRequest, blocks: PlanBlock[]): Layout {
  const tools = composed.request.tools?.length ?? 0;
  const instructionsEnd = tools + composed.instructionBlocks;
  const sysCount = blocks.filter((b) => b.section === 'system').length;
  // System blocks past the declared tiers still precede the messages: they join the context tier.
  const contextEnd = tools + Math.max(sysCount, composed.instructionBlocks + composed.contextBlocks);
  const users = composed.request.messages.flatMap((m, i) => (m.role === 'user' ? [i] : []));
  return { tools, instructionsEnd, contextEnd, lastUser: users[users.length - 1], prevUser: users[users.length - 2] };
}

export function lastBlockOf(blocks: PlanBlock[], message: number): number | undefined {
  for (let i = blocks.length - 1; i >= 0; i--) {
    const b = blocks[i] as PlanBlock;
    if (b.section === 'messages' && b.sectionIndex === message) return i;
    if (b.section !== 'messages' || b.sectionIndex < message) return undefined;
  }
  return undefined;
}

export function stableCandidates(blocks: PlanBlock[], l: Layout): Candidate[] {
  const tools: Candidate = l.tools === 0
    ? { tier: 'tools', prefixTokens: 0, where: 'tools', skip: 'no tools in this request' }
    : at(blocks, 'tools', l.tools - 1, 0, 'end of tools');
  const system: Candidate = l.instructionsEnd === 0
    ? { tier: 'system', prefixTokens: 0, where: 'system', skip: 'no tools and no system instructions' }
    : at(blocks, 'system', l.instructionsEnd - 1, 0, l.instructionsEnd > l.tools ? 'end of instructions' : 'end of tools');
  const context: Candidate = l.contextEnd === l.instructionsEnd
    ? { tier: 'context', prefixTokens: 0, where: 'context', skip: 'no context documents in this prompt' }
    : at(blocks, 'context', l.contextEnd - 1, l.instructionsEnd, 'end of context documents');
  return [tools, system, context];
}

export function conversationCandidate(blocks: PlanBlock[], l: Layout): Candidate {
  const last = l.lastUser === undefined ? undefined : lastBlockOf(blocks, l.lastUser);
  if (last === undefined) return { tier: 'conversation', prefixTokens: 0, where: 'conversation', skip: 'no user message with content' };
  const c = at(blocks, 'conversation', last, l.contextEnd, 'last block of the last user message');
  const trailing = blocks.slice(last + 1);
  if (trailing.length === 0 || c.skip) return c;
  const kinds = [...new Set(trailing.map((b) => b.type))].join(', ');
  const why = trailing.every((b) => !canCarry(b)) ? 'they cannot carry cache_control' : 'assistant content after the last user turn is replaced by the full reply next turn, so an entry there would never be read';
  return { ...c, where: `${c.where}; the ${trailing.length} assistant block(s) after it (${kinds}) are not marked: ${why}` };
}

/**
 * The look-back anchor (spec §1.4, §8): the previous request wrote its rolling entry on the
 * previous user turn's last eligible block. If this turn added `lookback` or more blocks after
 * it, the conversation breakpoint's 20-position search cannot reach it, so keep a marker there.
 */
export function anchorCandidate(blocks: PlanBlock[], l: Layout, conv: Candidate, lookback: number): Candidate {
  const none = (skip: string): Candidate => ({ tier: 'anchor', prefixTokens: 0, where: 'anchor', skip });
  if (conv.blockIndex === undefined) return none('not needed: no conversation breakpoint');
  const prevLast = l.prevUser === undefined ? undefined : lastBlockOf(blocks, l.prevUser);
  if (prevLast === undefined) return none('not needed: this is the first user turn, so no earlier rolling entry exists to reach');
  const c = at(blocks, 'anchor', prevLast, l.contextEnd, "previous user turn's last block (where the previous request wrote)");
  if (c.blockIndex === undefined) return { ...c, skip: `not needed: the previous user turn has no markable block${c.skip ? ` (${c.skip})` : ''}` };
  const distance = conv.blockIndex - c.blockIndex;
  if (distance < lookback) {
    return { ...c, skip: `not needed: the previous turn's entry at ${describe(blocks[c.blockIndex] as PlanBlock)} is ${distance} blocks back, within the ${lookback}-block look-back of the conversation breakpoint` };
  }
  return { ...c, where: `${c.where}; this turn added ${distance} blocks (≥ ${lookback}-block look-back), so the conversation breakpoint alone would miss the previous entry` };
}
