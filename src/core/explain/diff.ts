// Where two requests stop sharing a prefix: the first differing block, its tier, and the first
// differing line inside it (so the explainer can say "docs/faq.md line 14").
import type { MessagesRequest } from '../../shared/anthropic';
import type { BlockSource } from '../plan/types';
import { BlockMemo, cacheBlocks, type CacheBlock } from '../cache/blocks';

export type FlatBlock = CacheBlock;
const memo = new BlockMemo(20_000);
const zero = () => 0;

export type ExplainTier = 'tools' | 'system instructions' | 'context' | 'conversation';

export interface ExplainSources {
  /** system[0 .. instructionBlocks) are instructions, later system blocks are context (default 1). */
  instructionBlocks?: number;
  /** Per system block, where it came from (same indices as request.system). */
  systemSources?: (BlockSource | undefined)[];
}

export interface BlockLocation {
  index: number;
  tier: ExplainTier;
  /** File and line of the first differing line, when the block's source is known. */
  source?: BlockSource;
  /** 1-based line within the block where the text first differs. */
  lineInBlock?: number;
  /** The new text of that line (trimmed to 80 characters). */
  lineText?: string;
}

/**
 * Canonical blocks with prefix keys (the cache's own, model included), without token counts.
 * Keys are chained, so the first differing key is the first differing block. Pass the resolved
 * model id when comparing two requests, so an alias and its id key alike.
 */
export const flatNoTokens = (request: MessagesRequest, modelId: string = request.model): FlatBlock[] =>
  cacheBlocks(request, modelId, zero, 'zero', memo).blocks;

export function tierOf(block: FlatBlock, sources?: ExplainSources): ExplainTier {
  if (block.section === 'tools') return 'tools';
  if (block.section === 'system') return block.sectionIndex < (sources?.instructionBlocks ?? 1) ? 'system instructions' : 'context';
  return 'conversation';
}

/** Index of the first block whose canonical form differs (or that exists in only one of them); -1 if identical. */
export function firstDifference(a: FlatBlock[], b: FlatBlock[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (!x || !y || x.k0 !== y.k0 || x.k1 !== y.k1) return i;
  }
  return -1;
}

function textOf(block: FlatBlock | undefined): string | undefined {
  if (!block) return undefined;
  const v = JSON.parse(block.canonical) as { text?: unknown; content?: unknown };
  if (typeof v.text === 'string') return v.text;
  if (typeof v.content === 'string') return v.content;
  return undefined;
}

export function locate(index: number, before: FlatBlock[], after: FlatBlock[], sources?: ExplainSources): BlockLocation | undefined {
  const now = after[index] ?? before[index];
  if (!now) return undefined;
  const loc: BlockLocation = { index, tier: tierOf(now, sources) };
  const oldText = textOf(before[index]);
  const newText = textOf(after[index]);
  if (oldText !== undefined && newText !== undefined && oldText !== newText) {
    const o = oldText.split('\n');
    const n = newText.split('\n');
    let line = 0;
    while (line < n.length && o[line] === n[line]) line++;
    loc.lineInBlock = line + 1;
    loc.lineText = (n[line] ?? '').trim().slice(0, 80);
  }
  const src = now.section === 'system' ? sources?.systemSources?.[now.sectionIndex] : undefined;
  if (src) loc.source = { file: src.file, line: src.line + (loc.lineInBlock ?? 1) - 1 };
  return loc;
}

export function describeLocation(loc: BlockLocation): string {
  const where = loc.source ? ` (${loc.source.file} line ${loc.source.line})` : loc.lineInBlock ? ` (line ${loc.lineInBlock} of the block)` : '';
  const what = loc.lineText !== undefined ? `, first differing line: "${loc.lineText}"` : '';
  return `block ${loc.index}, ${loc.tier}${where}${what}`;
}
