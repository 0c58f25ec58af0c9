// Long pre-tokens (design.md "Performance budgets"; the bug: a run of letters cost 2.2 s and
// 220 MB per MB): counting speed of prose, one long run of letters (a single letter and random
// letters) and 75,000 CJK characters with no punctuation. Goal: linear, i.e. the time per MB of
// each run at its full length at most 2.5x that at a quarter of it (quadratic would be 4x; the
// pair memo filling up costs random letters up to 2x between 250 kB and 1 MB), and flat memory.
// The run / prose time ratios are printed against prose with and without the piece memo
// (without it, prose takes the merge every new piece takes; a run is never memoised). The old
// goal of at most 3x prose held while prose cost ~500 ms per MB; it costs 15-90 ms now.
// Times are the best of interleaved repetitions in this process (the machine is shared:
// interleaving lets a busy spell hit every case alike); peak memory is measured in a fresh
// process per case.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { countO200k, setO200kPieceMemo } from '../../src/core/tokens/count';
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
/** Time per MB at the full length over that at a quarter of it (see the top). */
const GROWTH_TARGET = 2.5;

type Case = [name: string, kind: RunKind, size: number, memo: boolean];

function peakMb(kind: RunKind, size: number, memo: boolean): number {
  const args = ['--expose-gc', '--import', 'tsx', CHILD, kind, String(size), ...(memo ? [] : ['no-memo'])];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8' });
  return (JSON.parse(out) as Figures).peakMb;
}

/** Best time per case over interleaved repetitions, each on freshly generated text. */
function bestTimes(cases: Case[], reps: number): number[] {
  const best = cases.map(() => Infinity);
  countO200k('warm up the ranks');
  for (let r = 0; r < reps; r++) {
    cases.forEach(([, kind, size, memo], i) => {
      const text = makeText(kind, size, r + 1);
      setO200kPieceMemo(memo);
      const t0 = performance.now();
      countO200k(text);
      best[i] = Math.min(best[i] as number, performance.now() - t0);
    });
  }
  setO200kPieceMemo(true);
  return best;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function line(name: string, f: Figures, prose: { unmemoised: number; memoised: number }, quarterMsPerMb: number | undefined): Record<string, unknown> {
  const mb = f.bytes / 1e6;
  const msPerMb = f.ms / mb;
  const ratio = msPerMb / prose.unmemoised;
  const peakPerMb = f.peakMb / mb;
  const isProse = quarterMsPerMb === undefined;
  const growth = isProse ? undefined : msPerMb / quarterMsPerMb;
  const met = peakPerMb <= MEMORY_TARGET && (growth === undefined || growth <= GROWTH_TARGET);
  return {
    name,
    mb: round(mb),
    chars: f.chars,
    tokens: f.tokens,
    mb_per_s: round(mb / (f.ms / 1000)),
    ms_per_mb: round(msPerMb),
    peak_mb_per_mb: round(peakPerMb),
    ratio_vs_prose: round(ratio),
    ratio_vs_memoised_prose: round(msPerMb / prose.memoised),
    ...(growth === undefined ? {} : { ms_per_mb_at_quarter: round(quarterMsPerMb as number), growth_per_mb: round(growth) }),
    target: isProse ? `peak <= ${MEMORY_TARGET} MB per MB` : `ms per MB <= ${GROWTH_TARGET}x that at a quarter of the length, peak <= ${MEMORY_TARGET} MB per MB`,
    met,
  };
}

export async function run(opts: BenchOptions): Promise<Array<Record<string, unknown>>> {
  const reps = opts.smoke ? 1 : 5;
  const mb = opts.smoke ? 200_000 : 1_000_000;
  const cases: Case[] = [
    ['tokens.runs.prose', 'prose', mb, true],
    ['tokens.runs.prose_no_memo', 'prose', mb, false],
    ['tokens.runs.letters', 'letters', mb, true],
    ['tokens.runs.random_letters', 'random-letters', mb, true],
    ['tokens.runs.cjk', 'cjk', opts.smoke ? 10_000 : 75_000, true],
  ];
  const quarters: Case[] = cases.filter(([, kind]) => kind !== 'prose').map(([name, kind, size, memo]) => [`${name}@quarter`, kind, size / 4, memo]);
  const texts = cases.map(([, kind, size]) => makeText(kind, size));
  const times = bestTimes([...cases, ...quarters], reps);
  const figures = cases.map(([, kind, size, memo], i): Figures => ({
    ms: times[i] as number,
    chars: (texts[i] as string).length,
    tokens: countO200k(texts[i] as string),
    bytes: Buffer.byteLength(texts[i] as string, 'utf8'),
    peakMb: peakMb(kind, size, memo),
  }));
  const msPerMb = (f: Figures) => f.ms / (f.bytes / 1e6);
  const prose = { memoised: msPerMb(figures[0] as Figures), unmemoised: msPerMb(figures[1] as Figures) };
  const quarterMsPerMb = (name: string): number | undefined => {
    const q = quarters.findIndex(([n]) => n === `${name}@quarter`);
    if (q < 0) return undefined;
    const [, kind, size] = quarters[q] as Case;
    return (times[cases.length + q] as number) / (Buffer.byteLength(makeText(kind, size), 'utf8') / 1e6);
  };
  return cases.map(([name], i) => line(name, figures[i] as Figures, prose, quarterMsPerMb(name)));
}
