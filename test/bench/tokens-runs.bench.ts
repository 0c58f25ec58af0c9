// Long pre-tokens (design.md "Performance budgets"; the bug: a run of letters cost 2.2 s and
// 220 MB per MB): counting speed of prose, one long run of letters (a single letter and random
// letters) and 75,000 CJK characters with no punctuation, and the run / prose time ratio (goal:
// at most 3x). Times are the best of interleaved repetitions in this process (the machine is
// shared: interleaving lets a busy spell hit every case alike); peak memory is measured in a
// fresh process per case.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { countO200k } from '../../src/core/tokens/count';
import type { BenchOptions } from './index';
import { makeText, type RunKind } from './tokensRunsChild';

interface Figures {
  ms: number;
  chars: number;
  tokens: number;
  bytes: number;
  peakMb: number;
}

const CHILD = join(__dirname, 'tokensRunsChild.ts');
/** Peak memory above the text itself, MB per MB of input. */
const MEMORY_TARGET = 40;
const RATIO_TARGET = 3;

function peakMb(kind: RunKind, size: number): number {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, kind, String(size)], { encoding: 'utf8' });
  return (JSON.parse(out) as Figures).peakMb;
}

/** Best time per case over interleaved repetitions, each on freshly generated text. */
function bestTimes(cases: Array<[string, RunKind, number]>, reps: number): number[] {
  const best = cases.map(() => Infinity);
  countO200k('warm up the ranks');
  for (let r = 0; r < reps; r++) {
    cases.forEach(([, kind, size], i) => {
      const text = makeText(kind, size, r + 1);
      const t0 = performance.now();
      countO200k(text);
      best[i] = Math.min(best[i] as number, performance.now() - t0);
    });
  }
  return best;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function line(name: string, f: Figures, proseMsPerMb: number, isProse: boolean): Record<string, unknown> {
  const mb = f.bytes / 1e6;
  const msPerMb = f.ms / mb;
  const ratio = msPerMb / proseMsPerMb;
  const peakPerMb = f.peakMb / mb;
  const met = peakPerMb <= MEMORY_TARGET && (isProse || ratio <= RATIO_TARGET);
  return {
    name,
    mb: round(mb),
    chars: f.chars,
    tokens: f.tokens,
    mb_per_s: round(mb / (f.ms / 1000)),
    ms_per_mb: round(msPerMb),
    peak_mb_per_mb: round(peakPerMb),
    ratio_vs_prose: round(ratio),
    target: isProse ? `peak <= ${MEMORY_TARGET} MB per MB` : `<= ${RATIO_TARGET}x prose time, peak <= ${MEMORY_TARGET} MB per MB`,
    met,
  };
}

export async function run(opts: BenchOptions): Promise<Array<Record<string, unknown>>> {
  const reps = opts.smoke ? 1 : 5;
  const mb = opts.smoke ? 200_000 : 1_000_000;
  const cases: Array<[string, RunKind, number]> = [
    ['tokens.runs.prose', 'prose', mb],
    ['tokens.runs.letters', 'letters', mb],
    ['tokens.runs.random_letters', 'random-letters', mb],
    ['tokens.runs.cjk', 'cjk', opts.smoke ? 10_000 : 75_000],
  ];
  const texts = cases.map(([, kind, size]) => makeText(kind, size));
  const times = bestTimes(cases, reps);
  const figures = cases.map(([, kind, size], i): Figures => ({
    ms: times[i] as number,
    chars: (texts[i] as string).length,
    tokens: countO200k(texts[i] as string),
    bytes: Buffer.byteLength(texts[i] as string, 'utf8'),
    peakMb: peakMb(kind, size),
  }));
  const prose = figures[0] as Figures;
  const proseMsPerMb = prose.ms / (prose.bytes / 1e6);
  return cases.map(([name], i) => line(name, figures[i] as Figures, proseMsPerMb, i === 0));
}
