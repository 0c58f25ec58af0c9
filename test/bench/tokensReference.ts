// Our counter against gpt-tokenizer 4.0's o200k_base, the fastest pure-JS counter we know of, in
// the same process: prose throughput (warm: both keep their memo of pieces across counts; cold:
// both memos emptied first), and long unbroken runs at two lengths, where its merge is quadratic
// and ours linear. Every pair of counts must be identical, or the bench throws (gpt-tokenizer
// 4.0 miscounts a byte-order mark before a word: see gptTokenizer.test.ts; the texts have none).
import { clearMergeCache, countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { clearO200kPieceCache, countO200k } from '../../src/core/tokens/count';
import { makeText, type RunKind } from './tokensRunsChild';

// Special-token strings are plain text for us; gpt-tokenizer disallows them unless told otherwise.
const AS_TEXT = { disallowedSpecial: new Set<string>() };

export function gptTokenizerCount(text: string): number {
  return countTokens(text, AS_TEXT);
}

function same(ours: number, theirs: number, what: string): number {
  if (ours !== theirs) throw new Error(`${what}: countO200k ${ours} != gpt-tokenizer ${theirs}`);
  return ours;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function timed(f: () => number): [number, number] {
  const t0 = performance.now();
  const n = f();
  return [n, performance.now() - t0];
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export interface ProseFigures {
  tokens: number;
  oursMs: number;
  theirsMs: number;
  oursColdMs: number;
  theirsColdMs: number;
}

/**
 * Median times over `reps` rounds; each round counts one text four ways (warm and cold, ours and
 * theirs) so that a busy spell of the shared machine hits every figure alike. A cold count leaves
 * its memo filled with the text's pieces: the next round's warm counts are warm.
 */
export function proseFigures(texts: string[], reps: number): ProseFigures {
  const times: number[][] = [[], [], [], []];
  let tokens = 0;
  for (let r = 0; r < reps; r++) {
    const text = texts[r % texts.length] as string;
    const [a, ta] = timed(() => countO200k(text));
    const [b, tb] = timed(() => gptTokenizerCount(text));
    tokens = same(a, b, 'prose corpus');
    clearO200kPieceCache();
    const [c, tc] = timed(() => countO200k(text));
    clearMergeCache();
    const [d, td] = timed(() => gptTokenizerCount(text));
    same(c, d, 'prose corpus (cold)');
    [ta, tb, tc, td].forEach((t, i) => times[i]?.push(t));
  }
  const [oursMs, theirsMs, oursColdMs, theirsColdMs] = times.map(median) as [number, number, number, number];
  return { tokens, oursMs, theirsMs, oursColdMs, theirsColdMs };
}

/** Time growth when a run doubles: about 2 is linear, about 4 quadratic. */
const GROWTH_TARGET = 3;

/**
 * One run of `kind` at `sizes[0]` and `sizes[1]` characters (bytes for letters). Ours: the best
 * over `reps` interleaved rounds of `batch` counts each (a count of a few ms is at the mercy of
 * the shared machine); gpt-tokenizer's: one count each, its memo emptied first (the run would
 * be a hit).
 */
export function runFigures(name: string, kind: RunKind, sizes: [number, number], reps: number, batch: number): Record<string, unknown> {
  const texts = sizes.map((size) => makeText(kind, size));
  const ours = texts.map(() => Infinity);
  const counts = texts.map(() => 0);
  for (let r = 0; r < reps; r++) {
    texts.forEach((text, i) => {
      const [n, t] = timed(() => {
        let k = 0;
        for (let b = 0; b < batch; b++) k = countO200k(text);
        return k;
      });
      counts[i] = n;
      ours[i] = Math.min(ours[i] as number, t / batch);
    });
  }
  const theirs = texts.map((text, i) => {
    clearMergeCache();
    const [b, t] = timed(() => gptTokenizerCount(text));
    same(counts[i] as number, b, `${kind} run of ${text.length} chars`);
    return t;
  });
  const growth = (xs: number[]) => round((xs[1] as number) / (xs[0] as number));
  return {
    name,
    chars: texts.map((t) => t.length),
    tokens: counts,
    ours_ms: ours.map(round),
    gpt_tokenizer_ms: theirs.map(round),
    length_ratio: round(sizes[1] / sizes[0]),
    ours_growth: growth(ours),
    gpt_tokenizer_growth: growth(theirs),
    gpt_tokenizer_vs_ours_at_longest: round((theirs[1] as number) / (ours[1] as number)),
    target: `ours <= ${GROWTH_TARGET}x time for 2x length`,
    met: growth(ours) <= GROWTH_TARGET,
  };
}
