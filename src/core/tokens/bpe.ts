// Byte-pair merge count with the exact semantics of js-tiktoken's `bytePairMerge`: repeatedly
// merge the adjacent pair with the lowest rank, the leftmost one on ties, until no adjacent pair
// is a known token. Short pieces use the same simple loop; long ones a heap with lazy deletion,
// O(n log n) instead of O(n^2) per piece (n = bytes of one pre-token).

/** Keys are comma-joined byte values, as js-tiktoken stores them. */
export type RankMap = ReadonlyMap<string, number>;

const SIMPLE_MAX = 64;

function key(bytes: Uint8Array, start: number, end: number): string {
  return bytes.subarray(start, end).join(',');
}

function simpleCount(bytes: Uint8Array, ranks: RankMap): number {
  const starts: number[] = [];
  for (let i = 0; i <= bytes.length; i++) starts.push(i);
  // starts[k]..starts[k+1] is part k; the last entry is the end sentinel.
  while (starts.length > 2) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i < starts.length - 2; i++) {
      const r = ranks.get(key(bytes, starts[i] as number, starts[i + 2] as number));
      if (r !== undefined && r < bestRank) {
        bestRank = r;
        best = i;
      }
    }
    if (best < 0) break;
    starts.splice(best + 1, 1);
  }
  return starts.length - 1;
}

/** Min-heap of [rank, start, left part, right part, right end] ordered by (rank, start). */
class PairHeap {
  private readonly items: Array<[number, number, number, number, number]> = [];

  get size(): number {
    return this.items.length;
  }

  private less(a: number, b: number): boolean {
    const x = this.items[a] as [number, number, number, number, number];
    const y = this.items[b] as [number, number, number, number, number];
    return x[0] < y[0] || (x[0] === y[0] && x[1] < y[1]);
  }

  private swap(a: number, b: number): void {
    const t = this.items[a] as [number, number, number, number, number];
    this.items[a] = this.items[b] as [number, number, number, number, number];
    this.items[b] = t;
  }

  push(item: [number, number, number, number, number]): void {
    this.items.push(item);
    let i = this.items.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): [number, number, number, number, number] | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (this.items.length > 0 && last) {
      this.items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.items.length && this.less(l, m)) m = l;
        if (r < this.items.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
}

function heapCount(bytes: Uint8Array, ranks: RankMap): number {
  const n = bytes.length;
  // Part i starts at byte i (starts never move: a merge extends the left part over the right).
  const end = new Int32Array(n);
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  const alive = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    end[i] = i + 1;
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  const heap = new PairHeap();
  const pushPair = (l: number) => {
    const r = next[l] as number;
    if (l < 0 || r < 0) return;
    const rank = ranks.get(key(bytes, l, end[r] as number));
    if (rank !== undefined) heap.push([rank, l, l, r, end[r] as number]);
  };
  for (let i = 0; i + 1 < n; i++) pushPair(i);
  let parts = n;
  while (heap.size > 0) {
    const [, , l, r, rEnd] = heap.pop() as [number, number, number, number, number];
    // Stale entries: either part was merged away or grew since the pair was ranked.
    if (!alive[l] || !alive[r] || next[l] !== r || end[r] !== rEnd) continue;
    end[l] = rEnd;
    alive[r] = 0;
    const rn = next[r] as number;
    next[l] = rn;
    if (rn >= 0) prev[rn] = l;
    parts--;
    pushPair(prev[l] as number);
    pushPair(l);
  }
  return parts;
}

/** Number of tokens byte-pair encoding yields for one pre-token. */
export function bpeCount(bytes: Uint8Array, ranks: RankMap): number {
  if (bytes.length <= 1) return bytes.length;
  return bytes.length <= SIMPLE_MAX ? simpleCount(bytes, ranks) : heapCount(bytes, ranks);
}
