// Byte-pair merge count with the semantics of js-tiktoken's `bytePairMerge`: repeatedly merge
// the adjacent pair with the lowest rank, the leftmost one on ties, until no adjacent pair is a
// known token. Short pieces use the same simple loop; longer ones the typed-array heap of
// bpeMerge.ts. Pieces longer than WINDOW bytes (a run of letters with no space, CJK text with no
// punctuation, a line of '=') are merged window by window, so time and memory stay linear.
import { mergeRange, type RankMap } from './bpeMerge';

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
