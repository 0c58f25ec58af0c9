// Exact byte-pair merge over one range of bytes with flat typed arrays: the same semantics as
// js-tiktoken's `bytePairMerge` (merge the adjacent pair of lowest rank, the leftmost on ties,
// until no adjacent pair is a token), in O(n log n) time and about 40 bytes of memory per byte.
// Object-per-entry heaps and a string key per candidate pair made long pieces cost ~150 bytes
// and ~1.4 µs per byte; here a candidate pair is looked up by the ranks of its two parts.

import { ByteRanks, type RankMap } from './byteRanks';

export type { RankMap } from './byteRanks';

/**
 * Ranges longer than this cannot pack their start into the heap key (input is capped at 64 MB).
 * o200k has 199,998 ranks (< 2^18): rank * 2^27 + start stays below 2^45, an exact double.
 */
export const MAX_MERGE_RANGE = 2 ** 27;
/**
 * Slots of the pair memo (12 bytes each: 6 MB, allocated by the first merge of a piece over 64 bytes). It is
 * emptied at 3/4 full, where linear probing is still short; 1 MB of random letters needs about
 * 307,000 distinct pairs, and at half of 2^19 it thrashed (three times the rank lookups).
 */
const MEMO_BITS = 19;
const MEMO_SLOTS = 1 << MEMO_BITS;
const MEMO_LIMIT = (MEMO_SLOTS >> 2) * 3;

/**
 * (left rank, right rank) -> rank of the concatenation, or -1 when it is not a token. A rank
 * names one byte string, so the two ranks determine the concatenation. Open addressing in typed
 * arrays: a Map with number keys boxed each key and its garbage cost as much as the merging.
 */
class PairMemo {
  private readonly lefts = new Int32Array(MEMO_SLOTS).fill(-1);
  private readonly rights = new Int32Array(MEMO_SLOTS);
  private readonly values = new Int32Array(MEMO_SLOTS);
  private used = 0;

  private slot(left: number, right: number): number {
    let i = (Math.imul(left, 0x9e3779b1) ^ Math.imul(right, 0x85ebca6b)) >>> (32 - MEMO_BITS);
    while (this.lefts[i] !== -1 && (this.lefts[i] !== left || this.rights[i] !== right)) i = (i + 1) & (MEMO_SLOTS - 1);
    return i;
  }

  /** The memoised rank, -1 for "not a token", undefined when not seen yet. */
  get(left: number, right: number): number | undefined {
    const i = this.slot(left, right);
    return this.lefts[i] === -1 ? undefined : (this.values[i] as number);
  }

  set(left: number, right: number, value: number): void {
    if (this.used >= MEMO_LIMIT) {
      this.lefts.fill(-1);
      this.used = 0;
    }
    const i = this.slot(left, right);
    if (this.lefts[i] === -1) this.used++;
    this.lefts[i] = left;
    this.rights[i] = right;
    this.values[i] = value;
  }
}

interface RankTables {
  table: ByteRanks;
  byteRank: Int32Array;
  /** Made on the first merge: counts of short texts never pay its 6 MB. */
  pairs?: PairMemo;
}

const tables = new WeakMap<RankMap, RankTables>();

function tablesFor(ranks: RankMap): RankTables {
  let t = tables.get(ranks);
  if (!t) {
    const table = new ByteRanks(ranks);
    const byteRank = new Int32Array(256);
    for (let b = 0; b < 256; b++) byteRank[b] = table.rank(Uint8Array.of(b), 0, 1);
    t = { table, byteRank };
    tables.set(ranks, t);
  }
  return t;
}

/** The byte-keyed lookup table of `ranks` (built on first use). */
export function byteRanksFor(ranks: RankMap): ByteRanks {
  return tablesFor(ranks).table;
}

/** True when the whole of `bytes` is one token (js-tiktoken's shortcut before merging a piece). */
export function isWholeToken(bytes: Uint8Array, ranks: RankMap): boolean {
  return tablesFor(ranks).table.rank(bytes, 0, bytes.length) >= 0;
}

/** Rank of bytes[l..rEnd), whose two parts have ranks `left` and `right` (-1: not a token). */
function pairRank(t: RankTables, bytes: Uint8Array, left: number, right: number, l: number, rEnd: number): number {
  if (rEnd - l > t.table.maxTokenBytes) return -1;
  if (left < 0 || right < 0) return t.table.rank(bytes, l, rEnd);
  const pairs = (t.pairs ??= new PairMemo());
  let r = pairs.get(left, right);
  if (r === undefined) {
    r = t.table.rank(bytes, l, rEnd);
    pairs.set(left, right, r);
  }
  return r;
}

/** Binary min-heap of (rank, start) packed in one double, with the pair's end alongside. */
class PairHeap {
  private readonly keys: Float64Array;
  private readonly ends: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  push(key: number, end: number): void {
    const { keys, ends } = this;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((keys[p] as number) <= key) break;
      keys[i] = keys[p] as number;
      ends[i] = ends[p] as number;
      i = p;
    }
    keys[i] = key;
    ends[i] = end;
  }

  /** Adds an entry without ordering; `heapify` must run before the next pop. */
  append(key: number, end: number): void {
    this.keys[this.size] = key;
    this.ends[this.size++] = end;
  }

  /** Orders appended entries in O(n), cheaper than n pushes of O(log n). */
  heapify(): void {
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.siftDown(i, this.keys[i] as number, this.ends[i] as number, this.size);
  }

  /** Removes the minimum; its key and end are left in `topKey` / `topEnd`. */
  pop(): void {
    this.topKey = this.keys[0] as number;
    this.topEnd = this.ends[0] as number;
    const n = --this.size;
    this.siftDown(0, this.keys[n] as number, this.ends[n] as number, n);
  }

  /** Places (key, end) at slot i or below, among the first n slots. */
  private siftDown(i: number, key: number, end: number, n: number): void {
    const { keys, ends } = this;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && (keys[c + 1] as number) < (keys[c] as number)) c++;
      if ((keys[c] as number) >= key) break;
      keys[i] = keys[c] as number;
      ends[i] = ends[c] as number;
      i = c;
    }
    keys[i] = key;
    ends[i] = end;
  }

  topKey = 0;
  topEnd = 0;
}

/** Per-part state of one merge: part i starts at byte i (a merge extends the left part over the right). */
interface Parts {
  end: Int32Array;
  next: Int32Array;
  prev: Int32Array;
  rank: Int32Array;
  heap: PairHeap;
}

/** Scratch reused across windows: allocating ~0.4 MB per 8 kB window made the GC a third of the time. */
const REUSE_MAX = 16_384;
let reusable: Parts | undefined;

function partsFor(n: number): Parts {
  const make = (cap: number): Parts => ({
    end: new Int32Array(cap),
    next: new Int32Array(cap),
    prev: new Int32Array(cap),
    rank: new Int32Array(cap),
    // Each merge pushes at most two pairs: the heap never holds more than 3n entries.
    heap: new PairHeap(3 * cap + 1),
  });
  if (n > REUSE_MAX) return make(n);
  reusable ??= make(REUSE_MAX);
  reusable.heap.size = 0;
  return reusable;
}

/**
 * Merges bytes[from..to) (to - from <= MAX_MERGE_RANGE) and returns the start offsets (relative
 * to `from`) of the resulting tokens, ascending.
 */
export function mergeRange(bytes: Uint8Array, from: number, to: number, ranks: RankMap): Int32Array {
  const n = to - from;
  if (n > MAX_MERGE_RANGE) throw new RangeError(`mergeRange: ${n} bytes exceeds ${MAX_MERGE_RANGE}`);
  if (n <= 0) return new Int32Array(0);
  const t = tablesFor(ranks);
  const seg = bytes.subarray(from, to);
  const p = partsFor(n);
  const { end, next, prev, rank, heap } = p;
  for (let i = 0; i < n; i++) {
    end[i] = i + 1;
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
    rank[i] = t.byteRank[seg[i] as number] as number;
  }
  const pushPair = (l: number) => {
    const r = l < 0 ? -1 : (next[l] as number);
    if (r < 0) return;
    const rEnd = end[r] as number;
    const pr = pairRank(t, seg, rank[l] as number, rank[r] as number, l, rEnd);
    if (pr >= 0) heap.push(pr * MAX_MERGE_RANGE + l, rEnd);
  };
  for (let i = 0; i + 1 < n; i++) {
    const pr = pairRank(t, seg, rank[i] as number, rank[i + 1] as number, i, i + 2);
    if (pr >= 0) heap.append(pr * MAX_MERGE_RANGE + i, i + 2);
  }
  heap.heapify();
  const parts = n - mergeAll(p, pushPair);
  const starts = new Int32Array(parts);
  for (let i = 0, k = 0; i >= 0; i = next[i] as number) starts[k++] = i;
  return starts;
}

/** Pops pairs lowest (rank, start) first and merges the ones still current; returns the merge count. */
function mergeAll(p: Parts, pushPair: (l: number) => void): number {
  const { end, next, prev, rank, heap } = p;
  let merges = 0;
  while (heap.size > 0) {
    heap.pop();
    const l = heap.topKey % MAX_MERGE_RANGE;
    const r = next[l] as number;
    // Stale entries: l was merged away, or the pair starting at l no longer ends where it did.
    // (A pair is named by its byte range; the same range always has the same rank.)
    if (end[l] === 0 || r < 0 || end[r] !== heap.topEnd) continue;
    end[l] = heap.topEnd;
    end[r] = 0;
    rank[l] = (heap.topKey - l) / MAX_MERGE_RANGE;
    const rn = next[r] as number;
    next[l] = rn;
    if (rn >= 0) prev[rn] = l;
    merges++;
    pushPair(prev[l] as number);
    pushPair(l);
  }
  return merges;
}
