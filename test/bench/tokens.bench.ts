// Token counting budgets (design.md "Performance budgets"): a one-character edit in a ~100k-token
// prompt re-counted incrementally vs in full (same run), full-count throughput, and the round
// trip of an incremental update through the real worker (bundled with esbuild, as shipped).
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { countO200k } from '../../src/core/tokens/count';
import { IncrementalCounter } from '../../src/core/tokens/incremental';
import { TokenCountClient } from '../../src/core/tokens/workerClient';

const ROOT = join(__dirname, '..', '..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** A real-looking prompt: the README, the sample prompt and its documents, TS sources and TS lib typings. */
function corpus(targetTokens: number): string {
  const files = [
    'README.md',
    'test/fixtures/workspace/.prompts/support-agent.md',
    'test/fixtures/workspace/docs/faq.md',
    'src/core/request/flatten.ts',
    'node_modules/typescript/lib/lib.es5.d.ts',
  ];
  let text = files.map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n');
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
  const dir = mkdtempSync(join(tmpdir(), 'pcl-bench-'));
  const outfile = join(dir, 'tokenWorker.js');
  await build({ entryPoints: [join(ROOT, 'src/core/tokens/worker.ts')], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'silent' });
  const client = new TokenCountClient(outfile);
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

export async function run(): Promise<Array<Record<string, unknown>>> {
  const text = flat(corpus(100_000));
  const tokens = countO200k(text);
  const versions = edits(text, 41);
  const counter = new IncrementalCounter();
  counter.count(text);
  const inc: number[] = [];
  const full: number[] = [];
  for (const v of versions) {
    gc();
    let t0 = performance.now();
    const a = counter.count(v);
    inc.push(performance.now() - t0);
    if (full.length < 9) {
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
  const rt = await workerRoundtrip(text, versions.slice(0, 21));
  return [
    { name: 'tokens.incremental', incremental_median_ms: round(incMs), full_median_ms: round(fullMs), speedup: round(fullMs / incMs), tokens, chars: text.length, edits: inc.length },
    { name: 'tokens.full_mb_per_s', mb_per_s: round(mb / (fullMs / 1000)), mb: round(mb), full_median_ms: round(fullMs), tokens },
    { name: 'tokens.worker_roundtrip', median_ms: round(median(rt)), in_worker_vs_direct: round(median(rt) / incMs), samples: rt.length, tokens },
  ];
}
