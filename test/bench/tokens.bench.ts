// Token counting budgets (design.md "Performance budgets"): a one-character edit in a ~100k-token
// prompt re-counted incrementally vs in full (same run), full-count throughput against
// gpt-tokenizer (prose, and long runs where it is quadratic: tokensReference.ts), and the round
// trip of an incremental update through the real worker (dist/engineWorker.js, as shipped).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { countO200k } from '../../src/core/tokens/count';
import { IncrementalCounter } from '../../src/core/tokens/incremental';
import { EngineClient } from '../../src/node/engineClient';
import type { BenchOptions } from './index';
import { proseFigures, runFigures } from './tokensReference';

const ROOT = join(__dirname, '..', '..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Every file under `dir`, sorted, so a file added, renamed or moved there changes the text, not the bench. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * A real-looking prompt: the README (prose), the sample workspace (prompt files, documents, tools
 * JSON) and TypeScript's ES5 typings (code), repeated up to `targetTokens`. Only paths that stay
 * put: no file of src/, whose layout changes with refactorings.
 */
function corpus(targetTokens: number): string {
  const files = [join(ROOT, 'README.md'), ...filesUnder(join(ROOT, 'test/fixtures/workspace')), require.resolve('typescript/lib/lib.es5.d.ts')];
  let text = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  let n = countO200k(text);
  const unit = text;
  while (n < targetTokens) {
    text += unit;
    n = countO200k(text);
  }
  return text;
}

/** A fresh flat copy, as an editor's getText() would hand over (no rope of concatenations). */
function flat(s: string): string {
  return Buffer.from(s, 'utf16le').toString('utf16le');
}

function edits(text: string, count: number): string[] {
  const out: string[] = [];
  let cur = text;
  for (let i = 0; i < count; i++) {
    const pos = Math.floor(((i * 7919) % 997) / 997 * cur.length);
    cur = flat(`${cur.slice(0, pos)}x${cur.slice(pos)}`);
    out.push(cur);
  }
  return out;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function workerRoundtrip(text: string, versions: string[]): Promise<number[]> {
  // The worker as shipped: scripts/bench.mjs builds dist/ before the benches run.
  const outfile = join(ROOT, 'dist', 'engineWorker.js');
  if (!existsSync(outfile)) throw new Error(`${outfile} is missing: run the benches through npm run bench, which builds first`);
  const client = new EngineClient(outfile);
  try {
    await client.count('doc', text);
    const times: number[] = [];
    for (const v of versions) {
      gc();
      const t0 = performance.now();
      await client.count('doc', v);
      times.push(performance.now() - t0);
    }
    return times;
  } finally {
    client.dispose();
  }
}

export async function run(opts: BenchOptions): Promise<Array<Record<string, unknown>>> {
  // Smoke: one copy of the corpus and a few edits, through the same counters and the real worker.
  const n = opts.smoke ? { tokens: 0, edits: 3, full: 2, prose: 2, roundtrips: 2 } : { tokens: 100_000, edits: 41, full: 9, prose: 15, roundtrips: 21 };
  // gpt-tokenizer's runs stay short: it takes 24 s for 75,000 CJK characters.
  const runs = opts.smoke
    ? { letters: [1_000, 2_000] as [number, number], cjk: [500, 1_000] as [number, number], reps: 1, batch: 1 }
    : { letters: [20_000, 40_000] as [number, number], cjk: [8_000, 16_000] as [number, number], reps: 7, batch: 10 };
  const text = flat(corpus(n.tokens));
  const tokens = countO200k(text);
  const versions = edits(text, n.edits);
  const counter = new IncrementalCounter();
  counter.count(text);
  const inc: number[] = [];
  const full: number[] = [];
  for (const v of versions) {
    gc();
    let t0 = performance.now();
    const a = counter.count(v);
    inc.push(performance.now() - t0);
    if (full.length < n.full) {
      gc();
      t0 = performance.now();
      const b = countO200k(v);
      full.push(performance.now() - t0);
      if (a !== b) throw new Error(`incremental count ${a} != full count ${b}`);
    }
  }
  const incMs = median(inc);
  const fullMs = median(full);
  const mb = Buffer.byteLength(text, 'utf8') / 1e6;
  const vs = proseFigures([text, ...versions.slice(0, n.full - 1)], n.prose);
  const mbPerS = (ms: number) => round(mb / (ms / 1000));
  const rt = await workerRoundtrip(text, versions.slice(0, n.roundtrips));
  return [
    { name: 'tokens.incremental', incremental_median_ms: round(incMs), full_median_ms: round(fullMs), speedup: round(fullMs / incMs), tokens, chars: text.length, edits: inc.length },
    {
      name: 'tokens.full_mb_per_s',
      mb_per_s: mbPerS(vs.oursMs),
      gpt_tokenizer_mb_per_s: mbPerS(vs.theirsMs),
      vs_gpt_tokenizer: round(vs.theirsMs / vs.oursMs),
      cold_mb_per_s: mbPerS(vs.oursColdMs),
      gpt_tokenizer_cold_mb_per_s: mbPerS(vs.theirsColdMs),
      cold_vs_gpt_tokenizer: round(vs.theirsColdMs / vs.oursColdMs),
      mb: round(mb),
      full_median_ms: round(vs.oursMs),
      tokens: vs.tokens,
      target: '>= 1x gpt-tokenizer, warm and cold',
      met: vs.theirsMs >= vs.oursMs && vs.theirsColdMs >= vs.oursColdMs,
    },
    runFigures('tokens.full_mb_per_s.letter_run', 'letters', runs.letters, runs.reps, runs.batch),
    runFigures('tokens.full_mb_per_s.cjk_run', 'cjk', runs.cjk, runs.reps, runs.batch),
    { name: 'tokens.worker_roundtrip', median_ms: round(median(rt)), in_worker_vs_direct: round(median(rt) / incMs), samples: rt.length, tokens },
  ];
}
