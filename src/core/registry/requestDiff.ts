// Show Request Plan's "compared with the previous request": the request the prompt would send now
// against the last request of its conversation as the ledger recorded it. The ledger keeps no
// prompt text, only each block's tier, tokens and prefix hash and a content hash per tier, so the
// diff says exactly which block first differs (the cache read ends at the last breakpoint before
// it), which tiers changed, and which blocks were added or removed; excerpts come from the
// current text (the previous text is not kept anywhere).
import type { MessagesRequest } from '../../shared/anthropic';
import { BlockMemo, cacheBlocks, keyOf } from '../cache/blocks';
import type { RequestShape, ShapeTier } from '../ledger/record';
import { promptVersion } from '../session/shape';

export interface PreviousRequest {
  atMs: number;
  model: string;
  turn: number;
  shape: RequestShape;
  version: { tools: string; system: string; context: string };
}

/** Where each part of the current request comes from in the prompt file (1-based lines). */
export interface DiffLines {
  body?: number;
  tools?: number;
  context?: number;
}

type StableTier = Exclude<ShapeTier, 'conversation'>;
const STABLE: StableTier[] = ['tools', 'system', 'context'];
const TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;

interface CurrentBlock {
  tier: StableTier;
  prefixHash: string;
  /** Workspace-relative path of a context document. */
  path?: string;
  /** "tool lookup_order", "the instructions", "docs/faq.md". */
  label: string;
  excerpt: string;
}

const memo = new BlockMemo(2_000);
const n = (x: number) => x.toLocaleString('en-US');

function excerptOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 60)}…` : flat;
}

/** The stable blocks of a request with their prefix hashes (tokens are not needed for the hash). */
export function stableBlocks(request: MessagesRequest): CurrentBlock[] {
  const list = cacheBlocks(request, request.model, () => 0, 'diff', memo);
  const system = typeof request.system === 'string' ? [{ type: 'text' as const, text: request.system }] : (request.system ?? []);
  const out: CurrentBlock[] = [];
  for (const b of list.blocks) {
    if (b.section === 'tools') {
      const tool = request.tools?.[b.sectionIndex];
      out.push({ tier: 'tools', prefixHash: keyOf(b), label: `tool ${tool?.name ?? b.sectionIndex + 1}`, excerpt: excerptOf(tool?.description ?? '') });
    } else if (b.section === 'system') {
      const text = system[b.sectionIndex]?.text ?? '';
      if (b.sectionIndex === 0) out.push({ tier: 'system', prefixHash: keyOf(b), label: 'the instructions (prompt body)', excerpt: excerptOf(text) });
      else {
        const m = /^<document source="([^"]*)">\n/.exec(text);
        const path = m?.[1]?.replace(/&quot;/g, '"');
        out.push({ tier: 'context', prefixHash: keyOf(b), ...(path ? { path } : {}), label: `context document ${path ?? b.sectionIndex}`, excerpt: excerptOf((m ? text.slice(m[0].length) : text).replace(/\n<\/document>$/, '')) });
      }
    }
  }
  return out;
}

const TIER_NAME: Record<StableTier, string> = { tools: 'tools', system: 'system instructions', context: 'context documents' };

function lineOf(tier: StableTier, lines: DiffLines): string {
  const l = tier === 'system' ? lines.body : lines[tier];
  return l ? ` (line ${l} of the file)` : '';
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** Markdown lines for the plan document; `nowMs` judges whether the previous entries can still be alive. */
export function describeRequestDiff(current: MessagesRequest, previous: PreviousRequest | undefined, lines: DiffLines, nowMs: number): string[] {
  if (!previous) return ['No previous request of this prompt in the ledger: the first send writes the cache.'];
  const out = [`Previous request: turn ${previous.turn} at ${clock(previous.atMs)} UTC (${previous.model}).`, ''];
  if (previous.model !== current.model) return [...out, `The model changed (${previous.model} → ${current.model}): caches are per model, so nothing of the previous request is read.`];
  const now = stableBlocks(current);
  const before = previous.shape.blocks.map((b, i) => ({ ...b, index: i })).filter((b) => b.tier !== 'conversation');
  const versionNow = promptVersion(current);
  for (const tier of STABLE) {
    const was = before.filter((b) => b.tier === tier);
    const is = now.filter((b) => b.tier === tier);
    if (!was.length && !is.length) continue;
    if (versionNow[tier] === previous.version[tier]) {
      out.push(`- ${TIER_NAME[tier]}${lineOf(tier, lines)}: unchanged (${is.length} block${is.length === 1 ? '' : 's'}).`);
      continue;
    }
    const parts: string[] = [];
    if (is.length > was.length) parts.push(`${is.length - was.length} block(s) added: ${is.slice(was.length).map((b) => `${b.label} ("${b.excerpt}")`).join(', ')}`);
    if (was.length > is.length) parts.push(`${was.length - is.length} block(s) removed (≈${n(was.slice(is.length).reduce((s, b) => s + b.tokens, 0))} tokens; their text is not kept)`);
    if (!parts.length) parts.push('text changed');
    out.push(`- ${TIER_NAME[tier]}${lineOf(tier, lines)}: ${parts.join('; ')}.`);
  }
  out.push('');
  const first = now.findIndex((b, i) => before[i]?.prefixHash !== b.prefixHash);
  const changedAt = first >= 0 ? first : now.length < before.length ? now.length : -1;
  if (changedAt < 0) {
    out.push('Every cached block matches the previous request: its cache entries are read again.');
  } else {
    const block = now[changedAt];
    const what = block ? `${block.label}${lineOf(block.tier, lines)} is the first block that differs; it now begins "${block.excerpt}"` : 'blocks were removed at the end of the cached prefix';
    const reads = previous.shape.breakpoints.filter((b) => b.blockIndex < changedAt && before[b.blockIndex]?.prefixHash === now[b.blockIndex]?.prefixHash);
    const lost = previous.shape.breakpoints.filter((b) => b.blockIndex >= changedAt && before[b.blockIndex]);
    out.push(`${what}.`);
    for (const b of lost) {
      const tier = before[b.blockIndex]?.tier as StableTier;
      out.push(`- The breakpoint after the ${TIER_NAME[tier]} stops matching: what it cached is written again.`);
    }
    const last = reads.at(-1);
    if (last) {
      const tokens = before.slice(0, last.blockIndex + 1).reduce((s, b) => s + b.tokens, 0);
      const tier = before[last.blockIndex]?.tier as StableTier;
      out.push(`- The cache read ends at the breakpoint after the ${TIER_NAME[tier]}${lineOf(tier, lines)}: ≈${n(tokens)} tokens are read, the rest is written.`);
    } else out.push('- No breakpoint before it matches: the whole prefix is written again.');
  }
  const ttl = previous.shape.breakpoints[0]?.ttl;
  if (ttl && nowMs - previous.atMs > TTL_MS[ttl]) out.push('', `It was sent more than ${ttl} ago (its TTL): unless another request refreshed them, its entries have expired anyway.`);
  return out;
}
