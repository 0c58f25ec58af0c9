// Raw o200k_base counts: the base of every local estimate. The ranks (2.3 MB) load on first use.
import type { Tiktoken } from 'js-tiktoken/lite';
import { asciiPieceEnd, O200K_PATTERN } from './asciiPieces';
import { bpeCount } from './bpe';
import { byteRanksFor, type RankMap } from './bpeMerge';
import { PieceCache } from './pieceCache';

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
  /** Sticky: it runs only where asciiPieceEnd cannot decide, at that very position. */
  pattern: RegExp;
  ranks: RankMap;
  /** The pattern is the one asciiPieceEnd implements. */
  ascii: boolean;
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
        ? { pattern: new RegExp(e.patStr, 'uy'), ranks: e.rankMap as RankMap, ascii: e.patStr === O200K_PATTERN }
        : null;
  }
  return internals;
}

const utf8 = new TextEncoder();
const pieces = new PieceCache();
let memo = true;
/** UTF-8 of the piece being counted, reused; longer pieces (runs) are encoded on their own. */
const scratch = new Uint8Array(64 * 1024);

/** The UTF-8 of `piece`, in a reused buffer when it fits (ASCII written without a native call). */
function utf8Of(piece: string): Uint8Array {
  if (piece.length * 3 > scratch.length) return utf8.encode(piece);
  const buf = scratch;
  let i = 0;
  for (; i < piece.length; i++) {
    const c = piece.charCodeAt(i);
    if (c >= 0x80) return buf.subarray(0, i + utf8.encodeInto(piece.slice(i), buf.subarray(i)).written);
    buf[i] = c;
  }
  return buf.subarray(0, i);
}

function countPiece(piece: string, ranks: RankMap): number {
  const bytes = utf8Of(piece);
  return bytes.length === 1 || byteRanksFor(ranks).rank(bytes, 0, bytes.length) >= 0 ? 1 : bpeCount(bytes, ranks);
}

/**
 * o200k_base token count of `text`. Special-token strings such as `<|endoftext|>` are counted as
 * plain text (the prompt is user text, never control tokens), so this never throws on content.
 * Equal to `encode(text, [], []).length` of js-tiktoken (pinned by tests).
 */
export function countO200k(text: string): number {
  if (text.length === 0) return 0;
  const inner = getInternals();
  if (!inner) return getEncoder().encode(text, [], []).length;
  // Every position starts a match of o200k's pattern (each character is a letter, mark, digit,
  // space or other symbol, and some alternative takes each), so pieces are back to back and the
  // sticky regex, run only where the ASCII scanner gives up, matches at the position asked.
  const pattern = inner.pattern;
  let n = 0;
  for (let i = 0; i < text.length; ) {
    let end = inner.ascii ? asciiPieceEnd(text, i) : -1;
    if (end < 0) {
      pattern.lastIndex = i;
      // A changed pattern that skipped characters or matched empty: js-tiktoken decides.
      if (!pattern.test(text) || pattern.lastIndex <= i) return getEncoder().encode(text, [], []).length;
      end = pattern.lastIndex;
    }
    const piece = text.slice(i, end);
    i = end;
    let k = memo ? pieces.get(piece) : undefined;
    if (k === undefined) {
      k = countPiece(piece, inner.ranks);
      if (memo) pieces.set(piece, k);
    }
    n += k;
  }
  return n;
}

/** Forgets the memoised piece counts (benches measure a cold count with it). */
export function clearO200kPieceCache(): void {
  pieces.clear();
}

/**
 * Turns the piece memo off (benches: runs are compared with prose through the same merge, which
 * every new piece takes) or back on. Counts are the same either way.
 */
export function setO200kPieceMemo(on: boolean): void {
  memo = on;
  pieces.clear();
}

/** js-tiktoken's own encoder count (reference for tests; slow on long pre-tokens). */
export function countO200kReference(text: string): number {
  return text.length === 0 ? 0 : getEncoder().encode(text, [], []).length;
}

/** o200k_base's byte-pair ranks (null if js-tiktoken's internals moved; tests of bpe.ts use them). */
export function o200kRanks(): RankMap | null {
  return getInternals()?.ranks ?? null;
}
