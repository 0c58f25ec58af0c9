// The byte-pair ranks keyed by the bytes themselves: an open-addressing table over one flat copy
// of every token's bytes. js-tiktoken keys its Map by comma-joined byte values, so each lookup
// built a string of about four characters per byte and hashed it; that was half the time of
// counting a piece never seen before. Built once per rank map: ~4 MB for o200k's 199,998 tokens.

/** js-tiktoken's ranks: keys are comma-joined byte values. */
export type RankMap = ReadonlyMap<string, number>;

export class ByteRanks {
  /** Every token's bytes, back to back; token `rank` is bytes[start[rank] .. start[rank] + len[rank]). */
  private readonly bytes: Uint8Array;
  private readonly start: Int32Array;
  private readonly len: Int32Array;
  /** rank + 1 per slot, 0 when empty. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** Bytes of the longest token: a longer range needs no lookup. */
  readonly maxTokenBytes: number;

  constructor(ranks: RankMap) {
    let maxRank = -1;
    let total = 0;
    for (const [key, rank] of ranks) {
      if (rank > maxRank) maxRank = rank;
      total += commas(key) + 1;
    }
    this.bytes = new Uint8Array(total);
    this.start = new Int32Array(maxRank + 1);
    this.len = new Int32Array(maxRank + 1);
    let bits = 1;
    while (1 << bits < 2 * ranks.size) bits++;
    this.slots = new Int32Array(1 << bits);
    this.mask = (1 << bits) - 1;
    let at = 0;
    let longest = 1;
    for (const [key, rank] of ranks) {
      const from = at;
      let v = 0;
      for (let i = 0; i < key.length; i++) {
        const c = key.charCodeAt(i);
        if (c === 44) {
          this.bytes[at++] = v;
          v = 0;
        } else v = v * 10 + (c - 48);
      }
      this.bytes[at++] = v;
      this.start[rank] = from;
      this.len[rank] = at - from;
      if (at - from > longest) longest = at - from;
      let s = hash(this.bytes, from, at) & this.mask;
      while (this.slots[s] !== 0) s = (s + 1) & this.mask;
      this.slots[s] = rank + 1;
    }
    this.maxTokenBytes = longest;
  }

  /** Rank of the token spelled by b[l .. r), -1 when it is not a token. */
  rank(b: Uint8Array, l: number, r: number): number {
    const n = r - l;
    if (n > this.maxTokenBytes || n <= 0) return -1;
    const { bytes, start, len, slots, mask } = this;
    for (let s = hash(b, l, r) & mask; ; s = (s + 1) & mask) {
      const e = slots[s] as number;
      if (e === 0) return -1;
      const rank = e - 1;
      if (len[rank] !== n) continue;
      let i = start[rank] as number;
      let j = l;
      while (j < r && bytes[i] === b[j]) {
        i++;
        j++;
      }
      if (j === r) return rank;
    }
  }
}

function commas(key: string): number {
  let n = 0;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) === 44) n++;
  return n;
}

/** FNV-1a, then a final mix so that the low bits used as the slot depend on every byte. */
function hash(b: Uint8Array, l: number, r: number): number {
  let h = 0x811c9dc5;
  for (let i = l; i < r; i++) h = Math.imul(h ^ (b[i] as number), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}
