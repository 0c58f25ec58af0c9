// Raw o200k_base counts: the base of every local estimate. The ranks (2.3 MB) load on first use.
import type { Tiktoken } from 'js-tiktoken/lite';
import { bpeCount } from './bpe';
import { isWholeToken, type RankMap } from './bpeMerge';

let encoder: Tiktoken | undefined;

function getEncoder(): Tiktoken {
  if (!encoder) {
    // Lazy: nothing heavy is loaded before the first count.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Tiktoken: Ctor } = require('js-tiktoken/lite') as typeof import('js-tiktoken/lite');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ranks = require('js-tiktoken/ranks/o200k_base') as { default?: unknown } & Record<string, unknown>;
    encoder = new Ctor((ranks.default ?? ranks) as ConstructorParameters<typeof Ctor>[0]);
  }
  return encoder;
}

interface Internals {
  pattern: RegExp;
  ranks: RankMap;
}

let internals: Internals | null | undefined;

/**
 * js-tiktoken's pre-tokenizer pattern and byte-pair ranks (internal fields of its Tiktoken
 * class). Its own merge loop is quadratic in the length of one pre-token (a 5,000-character
 * word takes seconds, 20,000 takes ~40 s), so counting runs our own loop over the same data,
 * with a heap-based merge for long pieces. null if a js-tiktoken update renamed the fields:
 * then we fall back to `encode`, which is exact but slow on such pieces.
 */
function getInternals(): Internals | null {
  if (internals === undefined) {
    const e = getEncoder() as unknown as { patStr?: unknown; rankMap?: unknown };
    internals =
      typeof e.patStr === 'string' && e.rankMap instanceof Map
        ? { pattern: new RegExp(e.patStr, 'ug'), ranks: e.rankMap as RankMap }
        : null;
  }
  return internals;
}

const utf8 = new TextEncoder();

/**
 * o200k_base token count of `text`. Special-token strings such as `<|endoftext|>` are counted as
 * plain text (the prompt is user text, never control tokens), so this never throws on content.
 * Equal to `encode(text, [], []).length` of js-tiktoken (pinned by tests).
 */
export function countO200k(text: string): number {
  if (text.length === 0) return 0;
  const inner = getInternals();
  if (!inner) return getEncoder().encode(text, [], []).length;
  // A fresh regex per call: `lastIndex` state must not leak between (re-entrant) calls.
  const pattern = new RegExp(inner.pattern.source, 'ug');
  let n = 0;
  for (const m of text.matchAll(pattern)) {
    const bytes = utf8.encode(m[0]);
    n += bytes.length === 1 || isWholeToken(bytes, inner.ranks) ? 1 : bpeCount(bytes, inner.ranks);
  }
  return n;
}

/** js-tiktoken's own encoder count (reference for tests; slow on long pre-tokens). */
export function countO200kReference(text: string): number {
  return text.length === 0 ? 0 : getEncoder().encode(text, [], []).length;
}

/** o200k_base's byte-pair ranks (null if js-tiktoken's internals moved; tests of bpe.ts use them). */
export function o200kRanks(): RankMap | null {
  return getInternals()?.ranks ?? null;
}
