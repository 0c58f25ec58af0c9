// Byte-pair merge count with the semantics of js-tiktoken's `bytePairMerge`: repeatedly merge
// the adjacent pair with the lowest rank, the leftmost one on ties, until no adjacent pair is a
// known token. Short pieces use the same simple loop; longer ones the typed-array heap of
// bpeMerge.ts. Pieces longer than WINDOW bytes (a run of letters with no space, CJK text with no
// punctuation, a line of '=') are merged window by window, so time and memory stay linear.
import type { ByteRanks } from './byteRanks';
import { byteRanksFor, mergeRange, type RankMap } from './bpeMerge';

const SIMPLE_MAX = 64;

/**
 * The plain merge for short pieces: parts as start offsets, with the rank of each part and its
 * right neighbour kept alongside, so a merge looks up only the two pairs it changed (looking up
 * every pair on every pass built a key string per pair and was most of the time of a cold count).
 */
function simpleCount(bytes: Uint8Array, ranks: RankMap): number {
  const table = byteRanksFor(ranks);
  const n = bytes.length;
  // starts[k]..starts[k+1] is part k; starts[parts] === n is the end sentinel.
  const starts = new Int32Array(n + 1);
  const pair = new Float64Array(n);
  for (let i = 0; i <= n; i++) starts[i] = i;
  for (let i = 0; i + 1 < n; i++) pair[i] = rankOrInf(table, bytes, i, i + 2);
  let parts = n;
  while (parts > 1) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i + 1 < parts; i++) {
      if ((pair[i] as number) < bestRank) {
        bestRank = pair[i] as number;
        best = i;
      }
    }
    if (best < 0) break;
    starts.copyWithin(best + 1, best + 2, parts + 1);
    pair.copyWithin(best + 1, best + 2, parts);
    parts--;
    if (best + 1 < parts) pair[best] = rankOrInf(table, bytes, starts[best] as number, starts[best + 2] as number);
    if (best > 0) pair[best - 1] = rankOrInf(table, bytes, starts[best - 1] as number, starts[best + 1] as number);
  }
  return parts;
}

function rankOrInf(table: ByteRanks, bytes: Uint8Array, l: number, rEnd: number): number {
  const r = table.rank(bytes, l, rEnd);
  return r < 0 ? Infinity : r;
}

/** Pieces up to this many bytes are merged whole, exactly as js-tiktoken does. */
export const WINDOW = 8192;
/**
 * A window's tokens that start this close to its (artificial) right end are re-merged in the
 * next window: more than twice o200k's longest token (128 bytes), so the tokens kept were
 * formed away from the cut.
 */
export const MARGIN = 512;

/**
 * Token count of a piece longer than WINDOW. Each window [cur, cur + WINDOW) is merged; its
 * tokens are kept up to the last token start at least MARGIN bytes before the window's end,
 * and the next window starts there. A token start that far inside a window agrees with the
 * whole piece's merge unless a chain of merges reaches across the margin: not proven
 * impossible, but never seen (longRuns.test.ts; a fuzz of 15,849 pieces of 8-40 kB in 16
 * scripts, 122 M tokens, found no difference). Such an error would stay local to that cut.
 */
function windowedCount(bytes: Uint8Array, ranks: RankMap): number {
  let cur = 0;
  let n = 0;
  while (bytes.length - cur > WINDOW) {
    const starts = mergeRange(bytes, cur, cur + WINDOW, ranks);
    let k = starts.length - 1;
    while (k > 0 && (starts[k] as number) > WINDOW - MARGIN) k--;
    // Tokens are at most 128 bytes, so some start lies in (0, WINDOW - MARGIN]; the guard only
    // keeps a vocabulary with longer tokens from looping forever (the window is then kept whole).
    if (k === 0) k = starts.length;
    n += k;
    cur += k === starts.length ? WINDOW : (starts[k] as number);
  }
  return n + mergeRange(bytes, cur, bytes.length, ranks).length;
}

/** Number of tokens byte-pair encoding yields for one pre-token. */
export function bpeCount(bytes: Uint8Array, ranks: RankMap): number {
  if (bytes.length <= 1) return bytes.length;
  if (bytes.length <= SIMPLE_MAX) return simpleCount(bytes, ranks);
  return bytes.length <= WINDOW ? mergeRange(bytes, 0, bytes.length, ranks).length : windowedCount(bytes, ranks);
}

/** The exact merge of a whole piece of any length (tests compare the windowed count with it). */
export function bpeCountWhole(bytes: Uint8Array, ranks: RankMap): number {
  if (bytes.length <= SIMPLE_MAX) return bytes.length <= 1 ? bytes.length : simpleCount(bytes, ranks);
  return mergeRange(bytes, 0, bytes.length, ranks).length;
}
