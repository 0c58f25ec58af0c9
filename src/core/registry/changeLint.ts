// Cache lint (d): a context document that changes more often than the documents placed after it.
// The cache is a prefix: a change to one block rewrites every cached block after it. The composer's
// order is fixed (tools → instructions → context documents in `context.files` order →
// conversation), so instructions never follow a context document; what a prompt can reorder is
// its context list. The change history is the ledger's: between consecutive requests of the
// prompt, the first block whose prefix hash differs is the block that changed (exactly; blocks
// after it cannot be told apart by prefix hashes, so their counts are lower bounds).
import type { RequestShape } from '../ledger/record';
import type { Diagnostic, Span } from './types';

export interface LintBlock {
  tier: 'tools' | 'system' | 'context';
  /** Workspace-relative path for context documents. */
  path?: string;
}

/** At least this many observed changes before the order is worth a warning. */
export const MIN_CHANGES = 2;
/** Only the latest requests of a prompt count (a document's habits change). */
export const HISTORY = 50;

const n = (x: number) => x.toLocaleString('en-US');

/** Per stable block of the current layout: how often it was the first block to differ between consecutive requests, out of `pairs`. */
export function firstChanges(blocks: readonly LintBlock[], shapes: readonly RequestShape[]): { counts: number[]; pairs: number; tokens: number[] } {
  const counts = blocks.map(() => 0);
  let pairs = 0;
  // Only requests laid out like the prompt today (same tiers, block for block) are comparable.
  const same = shapes.slice(-HISTORY).map((s) => s.blocks.filter((b) => b.tier !== 'conversation')).filter((b) => b.length === blocks.length && b.every((x, i) => x.tier === blocks[i]?.tier));
  for (let j = 1; j < same.length; j++) {
    const a = same[j - 1] ?? [];
    const b = same[j] ?? [];
    pairs++;
    const i = b.findIndex((x, k) => x.prefixHash !== a[k]?.prefixHash);
    if (i >= 0) counts[i] = (counts[i] ?? 0) + 1;
  }
  return { counts, pairs, tokens: (same.at(-1) ?? []).map((b) => b.tokens) };
}

/**
 * A warning on the context entry of each document that was the first change more often (and at
 * least MIN_CHANGES times) than every document after it, saying how often each changed and what to
 * move. `where` finds the line of `context.files` naming a document.
 */
export function changeOrderLint(blocks: readonly LintBlock[], shapes: readonly RequestShape[], where: (path: string) => Span | undefined): Diagnostic[] {
  const { counts, pairs, tokens } = firstChanges(blocks, shapes);
  const out: Diagnostic[] = [];
  blocks.forEach((b, k) => {
    const c = counts[k] ?? 0;
    if (b.tier !== 'context' || !b.path || c < MIN_CHANGES) return;
    const later = blocks.map((x, m) => ({ x, m })).filter(({ x, m }) => m > k && x.tier === 'context');
    if (!later.length || later.some(({ m }) => (counts[m] ?? 0) >= c)) return;
    const after = later.reduce((s, { m }) => s + (tokens[m] ?? 0), 0);
    const others = later.map(({ x, m }) => `${x.path} ${counts[m] ?? 0}`).join(', ');
    const span = where(b.path) ?? { line: 1, column: 1 };
    out.push({
      severity: 'warning',
      code: 'cache-lint/changing-context-first',
      key: 'context.files',
      ...span,
      message: `${b.path} changed ${c} times over the last ${pairs + 1} requests of this prompt, more often than the documents after it (${others}). Each change rewrites the cache of everything after it (≈${n(after)} tokens). List it last under context.files so the documents before it stay cached.`,
    });
  });
  return out;
}

/**
 * Where `context.files` names a document: the entry holding its path (or its file name, for a
 * glob that expanded to it), else the `context:` key. `lines` are the front matter's, from line 1.
 */
export function contextEntrySpan(lines: readonly string[], path: string): Span | undefined {
  const start = lines.findIndex((l) => /^context\s*:/.test(l));
  if (start < 0) return undefined;
  let end = lines.findIndex((l, i) => i > start && /^\S/.test(l));
  if (end < 0) end = lines.length;
  const name = path.split('/').pop() ?? path;
  for (const needle of [path, name]) {
    for (let i = start; i < end; i++) {
      const col = (lines[i] ?? '').indexOf(needle);
      if (col >= 0) return { line: i + 1, column: col + 1, endColumn: col + 1 + needle.length };
    }
  }
  return { line: start + 1, column: 1 };
}
