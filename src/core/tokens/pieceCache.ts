// Pre-token -> token count, memoised. Prose and code repeat their words: in a 1 MB prompt about
// 99% of the pre-tokens were seen before, and a Map lookup by the piece's string costs far less
// than encoding it to UTF-8 and looking its bytes up in the ranks.
//
// Two generations instead of an LRU: a hit in the current generation is one Map.get (an LRU's
// delete + set per hit cost a third of the counting time); when the current one is full it
// becomes the old one and the previous old one is dropped, and old hits move to the current one.
// Memory is bounded by 2 x ENTRIES pieces of at most MAX_PIECE_CHARS characters each.

/** Longer pieces are rare (runs, long identifiers) and their merge dwarfs a lookup: not cached. */
export const MAX_PIECE_CHARS = 48;
/**
 * Pieces per generation: a large workspace's vocabulary fits. Both generations full take about
 * 3.5 MB of heap with words of 8 characters, 8 MB with pieces of 48 (measured).
 */
export const PIECE_CACHE_ENTRIES = 32_768;

/**
 * A copy of `s` that holds none of the text it was cut from. A regex match of 13 characters or
 * more is a slice of the whole document in V8: caching it as is would keep every counted
 * document alive. Concatenating and slicing makes V8 flatten into a new string of the piece only.
 */
function detached(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

export class PieceCache {
  private current = new Map<string, number>();
  private old = new Map<string, number>();

  constructor(readonly entries = PIECE_CACHE_ENTRIES) {
    if (!Number.isInteger(entries) || entries < 1) throw new RangeError(`piece cache size must be a positive integer, got ${entries}`);
  }

  /** Pieces held (both generations). */
  get size(): number {
    return this.current.size + this.old.size;
  }

  get(piece: string): number | undefined {
    const n = this.current.get(piece);
    if (n !== undefined || this.old.size === 0) return n;
    const o = this.old.get(piece);
    if (o !== undefined) {
      this.old.delete(piece);
      this.put(detached(piece), o);
    }
    return o;
  }

  /** Remembers a piece's count; pieces longer than MAX_PIECE_CHARS are ignored. */
  set(piece: string, tokens: number): void {
    if (piece.length <= MAX_PIECE_CHARS) this.put(detached(piece), tokens);
  }

  clear(): void {
    this.current = new Map();
    this.old = new Map();
  }

  private put(piece: string, tokens: number): void {
    if (this.current.size >= this.entries) {
      this.old = this.current;
      this.current = new Map();
    }
    this.current.set(piece, tokens);
  }
}
