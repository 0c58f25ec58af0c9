// Live token counts for large prompts: the text is cut into content-defined chunks at places
// where o200k's pre-tokenizer necessarily splits (boundaries.ts), each chunk's count is memoised
// by content, and the total is the sum. A one-character edit changes one chunk (occasionally
// two), so only that chunk is re-tokenized, and the sum equals a full countO200k EXACTLY: cuts
// are only ever made at proven pre-token boundaries.
import { countO200k } from './count';
import { isIntraLineBoundary, isLineBoundary, isWhitespace } from './boundaries';
import { Lru } from './lru';

export interface ChunkOptions {
  /** No content-defined cut before a chunk reaches this many chars. */
  minChunk: number;
  /** A cut happens at the first line boundary once a chunk reaches this many chars. */
  maxChunk: number;
  /** Average spacing of content-defined cuts, in candidate line boundaries past minChunk. */
  divisor: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { minChunk: 512, maxChunk: 4096, divisor: 8 };

/** FNV-1a over the (up to) 32 chars before p: the cut decision depends only on local content. */
function localHash(text: string, p: number): number {
  let h = 0x811c9dc5;
  for (let i = Math.max(0, p - 32); i < p; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Cuts inside one over-long line: at the first intra-line boundary at or after every
 * `maxChunk` chars. If a stretch has none (e.g. a 50 kB run of '=' or of one letter), it stays
 * one chunk: the sum remains exact, only the re-tokenizing cost of an edit there grows.
 */
function splitLongSegment(text: string, start: number, end: number, o: ChunkOptions, out: number[]): void {
  let cur = start;
  while (end - cur > o.maxChunk) {
    let q = cur + o.maxChunk;
    while (q < end && !isIntraLineBoundary(text, q)) q++;
    if (q >= end) break;
    out.push(q);
    cur = q;
  }
  out.push(end);
}

/**
 * Runs the chunker from a state point (0, or a cut made by the line-level loop, where its only
 * state is `start`). `emit(end, statePoint)` is called per cut; returning true stops the run.
 * Decisions read text[start..p], 32 chars before p and the whitespace run after p, nothing else.
 */
export function runChunker(
  text: string,
  from: number,
  o: ChunkOptions,
  emit: (end: number, statePoint: boolean) => boolean,
): void {
  let start = from;
  const flush = (p: number): boolean => {
    if (p - start > 2 * o.maxChunk) {
      const inner: number[] = [];
      splitLongSegment(text, start, p, o, inner);
      for (let i = 0; i < inner.length - 1; i++) emit(inner[i] as number, false);
    }
    start = p;
    return emit(p, true);
  };
  let nl = text.indexOf('\n', start);
  while (nl !== -1) {
    const p = nl + 1;
    const len = p - start;
    if (len >= o.minChunk && isLineBoundary(text, p) && (len >= o.maxChunk || localHash(text, p) % o.divisor === 0)) {
      if (flush(p)) return;
    }
    nl = text.indexOf('\n', p);
  }
  if (start < text.length) flush(text.length);
}

/** End offsets of the chunks of `text` (the last is text.length); every cut is a safe boundary. */
export function chunkEnds(text: string, options: ChunkOptions = DEFAULT_CHUNK_OPTIONS): number[] {
  const out: number[] = [];
  runChunker(text, 0, options, (end) => {
    out.push(end);
    return false;
  });
  return out;
}

/** Chars compared per step at first; grows while the texts agree, shrinks to narrow a difference. */
const FIRST_STEP = 256;
const MAX_STEP = 1 << 16;

/**
 * Length of the longest common prefix of `a` and `b`. Compares slices (string equality of flat
 * strings runs at memcmp speed) in doubling steps, then halves the step that differed, and ends
 * char by char: one pass over the shared part instead of a comparison per chunk.
 */
export function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let lo = 0;
  let step = FIRST_STEP;
  while (lo + step <= n && a.slice(lo, lo + step) === b.slice(lo, lo + step)) {
    lo += step;
    if (step < MAX_STEP) step *= 2;
  }
  // a[0, lo) === b[0, lo), and the answer is at most hi.
  let hi = Math.min(lo + step, n);
  while (hi - lo > 32) {
    const mid = (lo + hi) >>> 1;
    if (a.slice(lo, mid) === b.slice(lo, mid)) lo = mid;
    else hi = mid;
  }
  while (lo < hi && a.charCodeAt(lo) === b.charCodeAt(lo)) lo++;
  return lo;
}

/** Length of the longest common suffix of `a` and `b` (the mirror of commonPrefixLength). */
export function commonSuffixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  const ea = a.length;
  const eb = b.length;
  let lo = 0;
  let step = FIRST_STEP;
  while (lo + step <= n && a.slice(ea - lo - step, ea - lo) === b.slice(eb - lo - step, eb - lo)) {
    lo += step;
    if (step < MAX_STEP) step *= 2;
  }
  let hi = Math.min(lo + step, n);
  while (hi - lo > 32) {
    const mid = (lo + hi) >>> 1;
    if (a.slice(ea - mid, ea - lo) === b.slice(eb - mid, eb - lo)) lo = mid;
    else hi = mid;
  }
  while (lo < hi && a.charCodeAt(ea - lo - 1) === b.charCodeAt(eb - lo - 1)) lo++;
  return lo;
}

export interface IncrementalStats {
  chunks: number;
  /** Chunks whose count was reused (same position or same content). */
  reused: number;
  /** Chunks tokenized in this call. */
  counted: number;
  /** Characters tokenized in this call. */
  countedChars: number;
}

export interface IncrementalOptions {
  /** Memoised chunk counts kept by content (LRU); bounds memory to ~cacheSize x maxChunk chars. */
  cacheSize?: number;
  chunk?: Partial<ChunkOptions>;
}

interface Chunk {
  /** The chunk's text (a slice of the document it came from). */
  text: string;
  end: number;
  tokens: number;
  /** Cut made by the line-level loop: the chunker can resume here. */
  statePoint: boolean;
}

function hasNonWhitespace(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isWhitespace(text.charCodeAt(i))) return true;
  return false;
}

export class IncrementalCounter {
  private readonly memo: Lru<string, number>;
  private readonly opts: ChunkOptions;
  private prevText: string | undefined;
  private chunks: Chunk[] = [];
  private total = 0;
  stats: IncrementalStats = { chunks: 0, reused: 0, counted: 0, countedChars: 0 };

  constructor(options: IncrementalOptions = {}) {
    this.memo = new Lru(options.cacheSize ?? 2048);
    this.opts = { ...DEFAULT_CHUNK_OPTIONS, ...options.chunk };
    const o = this.opts;
    // minChunk >= 32: the cut hash looks back 32 chars and must not reach a resync point.
    if (!(o.minChunk >= 32 && o.maxChunk >= o.minChunk && o.divisor >= 1)) {
      throw new RangeError('IncrementalCounter: need 32 <= minChunk <= maxChunk and divisor >= 1');
    }
  }

  /** Raw o200k_base count of `text`; always equal to countO200k(text). */
  count(text: string): number {
    if (text === this.prevText) {
      this.stats = { chunks: this.chunks.length, reused: this.chunks.length, counted: 0, countedChars: 0 };
      return this.total;
    }
    this.stats = { chunks: 0, reused: 0, counted: 0, countedChars: 0 };
    const next = this.prevText === undefined ? this.rechunk(text, 0, [], () => -1) : this.update(text);
    this.chunks = next;
    this.prevText = text;
    this.total = next.reduce((sum, c) => sum + c.tokens, 0);
    this.stats.chunks = next.length;
    return this.total;
  }

  /** Chunk end offsets of the last text counted (for tests and diagnostics). */
  get ends(): number[] {
    return this.chunks.map((c) => c.end);
  }

  get cachedChunks(): number {
    return this.memo.size;
  }

  clear(): void {
    this.memo.clear();
    this.prevText = undefined;
    this.chunks = [];
    this.total = 0;
  }

  private startOf(i: number): number {
    return i === 0 ? 0 : (this.chunks[i - 1] as Chunk).end;
  }

  /**
   * Keeps the leading chunks that are unchanged in place, re-chunks from the last safe resume
   * point, and stops as soon as a new line-level cut lands on an old one inside the unchanged
   * tail (same state, same text from there on, so the old chunks follow).
   */
  private update(text: string): Chunk[] {
    const old = this.chunks;
    const delta = text.length - (this.prevText as string).length;
    const prev = this.prevText as string;
    // Chunk k is unchanged in place iff it ends within the common prefix; the chunks from m on
    // are unchanged (shifted by delta) iff they start within the common suffix. One pass over
    // each end of the text instead of a string comparison per chunk.
    const prefix = commonPrefixLength(prev, text);
    let k = 0;
    let hi = old.length;
    while (k < hi) {
      const mid = (k + hi) >>> 1;
      if ((old[mid] as Chunk).end <= prefix) k = mid + 1;
      else hi = mid;
    }
    // Drop one more chunk: a cut decision peeks at the whitespace run after it.
    let r = Math.max(0, k - 1);
    while (r > 0 && !((old[r - 1] as Chunk).statePoint && hasNonWhitespace(text, this.startOf(r), this.startOf(k)))) r--;
    const resume = this.startOf(r);
    const suffix = commonSuffixLength(prev, text);
    let m = old.length;
    while (m > r && this.startOf(m - 1) + delta >= resume && prev.length - this.startOf(m - 1) <= suffix) m--;
    // Old cuts at or after the start of the unchanged tail where the chunker can resync.
    const resyncAt = new Map<number, number>();
    for (let j = Math.max(m - 1, 0); j < old.length; j++) {
      const c = old[j] as Chunk;
      if (c.statePoint && j >= m - 1 && m < old.length) resyncAt.set(c.end + delta, j);
    }
    const kept = old.slice(0, r);
    this.stats.reused += r;
    return this.rechunk(text, resume, kept, (end) => resyncAt.get(end) ?? -1, delta);
  }

  private rechunk(text: string, from: number, out: Chunk[], resync: (end: number) => number, delta = 0): Chunk[] {
    let start = from;
    runChunker(text, from, this.opts, (end, statePoint) => {
      out.push(this.chunkAt(text, start, end, statePoint));
      start = end;
      const j = statePoint ? resync(end) : -1;
      if (j < 0) return false;
      for (const c of this.chunks.slice(j + 1)) out.push({ ...c, end: c.end + delta });
      this.stats.reused += this.chunks.length - j - 1;
      return true;
    });
    return out;
  }

  private chunkAt(text: string, start: number, end: number, statePoint: boolean): Chunk {
    const piece = text.slice(start, end);
    let tokens = this.memo.get(piece);
    if (tokens === undefined) {
      tokens = countO200k(piece);
      this.memo.set(piece, tokens);
      this.stats.counted++;
      this.stats.countedChars += piece.length;
    } else {
      this.stats.reused++;
    }
    return { text: piece, end, tokens, statePoint };
  }
}
