// Live token counts for large prompts: the text is cut into content-defined chunks at places
// where o200k's pre-tokenizer necessarily splits (boundaries.ts), each chunk's count is memoised
// by content, and the total is the sum. A one-character edit changes one chunk (occasionally
// two), so only that chunk is re-tokenized, and the sum equals a full countO200k EXACTLY: cuts
// are only ever made at proven pre-token boundaries.
import { countO200k } from './count';
import { isIntraLineBoundary, isLineBoundary } from './boundaries';
import { Lru } from './lru';

export interface ChunkOptions {
  /** No content-defined cut before a chunk reaches this many chars. */
  minChunk: number;
  /** A cut happens at the first line boundary once a chunk reaches this many chars. */
  maxChunk: number;
  /** Average spacing of content-defined cuts, in candidate line boundaries past minChunk. */
  divisor: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { minChunk: 1024, maxChunk: 8192, divisor: 16 };

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

export interface IncrementalStats {
  chunks: number;
  /** Chunks whose count came from the memo. */
  reused: number;
  /** Chunks tokenized in this call. */
  counted: number;
  /** Characters tokenized in this call. */
  countedChars: number;
}

export interface IncrementalOptions {
  /** Memoised chunk counts kept (LRU); bounds memory to about cacheSize x maxChunk chars. */
  cacheSize?: number;
  chunk?: Partial<ChunkOptions>;
}

export class IncrementalCounter {
  private readonly memo: Lru<string, number>;
  private readonly chunk: ChunkOptions;
  private lastText: string | undefined;
  private lastTotal = 0;
  stats: IncrementalStats = { chunks: 0, reused: 0, counted: 0, countedChars: 0 };

  constructor(options: IncrementalOptions = {}) {
    this.memo = new Lru(options.cacheSize ?? 2048);
    this.chunk = { ...DEFAULT_CHUNK_OPTIONS, ...options.chunk };
    if (!(this.chunk.minChunk >= 1 && this.chunk.maxChunk >= this.chunk.minChunk && this.chunk.divisor >= 1)) {
      throw new RangeError('IncrementalCounter: need 1 <= minChunk <= maxChunk and divisor >= 1');
    }
  }

  /** Raw o200k_base count of `text`; always equal to countO200k(text). */
  count(text: string): number {
    if (text === this.lastText) {
      this.stats = { chunks: this.stats.chunks, reused: this.stats.chunks, counted: 0, countedChars: 0 };
      return this.lastTotal;
    }
    const stats: IncrementalStats = { chunks: 0, reused: 0, counted: 0, countedChars: 0 };
    let total = 0;
    let start = 0;
    for (const end of chunkEnds(text, this.chunk)) {
      const piece = text.slice(start, end);
      let n = this.memo.get(piece);
      if (n === undefined) {
        n = countO200k(piece);
        this.memo.set(piece, n);
        stats.counted++;
        stats.countedChars += piece.length;
      } else {
        stats.reused++;
      }
      total += n;
      stats.chunks++;
      start = end;
    }
    this.stats = stats;
    this.lastText = text;
    this.lastTotal = total;
    return total;
  }

  /** Memoised chunks held (for tests and diagnostics). */
  get cachedChunks(): number {
    return this.memo.size;
  }

  clear(): void {
    this.memo.clear();
    this.lastText = undefined;
    this.lastTotal = 0;
  }
}
