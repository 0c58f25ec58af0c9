// Ledger budgets (design "Performance budgets"):
// - ledger.load: 100,000 realistic records (smoke: 2,000) streamed from disk through the decoder
//   into the totals reducer; throughput against a plain readFile + split + JSON.parse of the same
//   file (goal ≥ 0.8) and peak heap/RSS growth during the load (goal < 50 MB, flat memory).
// - ledger.append: per record, how long append() blocks the caller and how long until the line is
//   written (write(2) returned: in the OS page cache, not fsync'ed); goal p99 ≤ 2 ms for both.
// Run: node --expose-gc --import tsx test/bench/index.ts ledger [--smoke]
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { encodeRecord } from '../../src/core/ledger/codec';
import type { RequestRecord, ShapeTier } from '../../src/core/ledger/record';
import { createTotals } from '../../src/core/ledger/reducers';
import { createLedgerFile, type LedgerFile } from '../../src/node/ledgerFile';
import { loadLedger } from '../../src/node/ledgerLoad';
import { makeRecord, shapeOf } from '../support/records';
import type { BenchOptions } from './index';

const MB = 1024 * 1024;
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

function quantile(xs: number[], q: number): number {
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

/** A deterministic mix: 40 sessions, 6 prompts, 3 models, agent loops of 4-30 blocks, some failures and local answers. */
function benchRecord(i: number): RequestRecord {
  const models = ['claude-sonnet-5', 'claude-opus-4-5', 'claude-fable-5'];
  const conversation = Math.floor(i / 12);
  const turn = (i % 12) + 1;
  const blocks: Array<[ShapeTier, number]> = [['tools', 900], ['system', 2400], ['context', 3100]];
  for (let k = 0; k < Math.min(27, turn * 2 + (i % 5)); k++) blocks.push(['conversation', 80 + ((i * 7 + k * 13) % 400)]);
  const total = blocks.reduce((s, [, t]) => s + t, 0);
  const outcome = i % 97 === 0 ? 'failed' : i % 53 === 0 ? 'local' : i % 211 === 0 ? 'aborted' : 'ok';
  const read = turn === 1 ? 0 : 6400;
  const usage = { input_tokens: total - read - (turn === 1 ? 6400 : 0), cache_creation_input_tokens: turn === 1 ? 6400 : 0, cache_read_input_tokens: read, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: turn === 1 ? 6400 : 0 }, output_tokens: 200 + (i % 900) };
  return makeRecord({
    id: `r-${i.toString(36)}-${conversation}`,
    atMs: Date.UTC(2026, 10, 1) + i * 45_000,
    sessionId: `s-${Math.floor(i / 2500)}`,
    conversationId: `c-${conversation}`,
    promptId: `prompt-${i % 6}`,
    model: models[i % 3] as string,
    outcome,
    usage: outcome === 'failed' ? null : usage,
    ttftMs: outcome === 'ok' ? 300 + (i % 700) : null,
    predicted: { input: usage.input_tokens, cacheWrite5m: 0, cacheWrite1h: usage.cache_creation_input_tokens, cacheRead: read, output: 0 },
    shape: shapeOf(blocks, [[1, '1h'], [2, '5m'], [blocks.length - 1, '5m']], `c-${conversation}`),
    requestedTtl: '1h',
    turn,
  });
}

async function writeLedger(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < n; i++) {
    if (!out.write(encodeRecord(benchRecord(i)))) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

async function timedLoad(path: string, sampleMemory: boolean) {
  const totals = createTotals();
  gc();
  const base = process.memoryUsage();
  let peakHeap = base.heapUsed;
  let peakRss = base.rss;
  let n = 0;
  const t0 = performance.now();
  await loadLedger(path, (r) => {
    totals.add(r);
    if (sampleMemory && ++n % 500 === 0) {
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
    }
  });
  const ms = performance.now() - t0;
  return { ms, heapGrowthMb: (peakHeap - base.heapUsed) / MB, rssGrowthMb: (peakRss - base.rss) / MB, requests: totals.result().requests };
}

function plainLoad(path: string): number {
  gc();
  const t0 = performance.now();
  let n = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) if (line) n += (JSON.parse(line) as { v: number }).v;
  if (n < 0) throw new Error('unreachable');
  return performance.now() - t0;
}

async function loadBench(smoke: boolean): Promise<Record<string, unknown>> {
  const records = smoke ? 2000 : 100_000;
  const dir = mkdtempSync(join(tmpdir(), 'pcl-ledger-bench-'));
  const path = join(dir, 'ledger.jsonl');
  try {
    await writeLedger(path, records);
    const bytes = statSync(path).size;
    // Memory first, in a quiet heap, before the plain read has grown the process.
    const first = await timedLoad(path, true);
    if (first.requests !== records) throw new Error(`loaded ${first.requests} of ${records} records`);
    let ours = first.ms;
    let plain = Infinity;
    for (let i = 0; i < (smoke ? 1 : 3); i++) {
      plain = Math.min(plain, plainLoad(path));
      ours = Math.min(ours, (await timedLoad(path, false)).ms);
    }
    const mbps = bytes / MB / (ours / 1000);
    const plainMbps = bytes / MB / (plain / 1000);
    const ratio = mbps / plainMbps;
    const met = ratio >= 0.8 && first.heapGrowthMb < 50 && first.rssGrowthMb < 50;
    return {
      name: 'ledger.load', smoke, records, file_mb: round(bytes / MB, 1), load_ms: round(ours, 1), mb_per_s: round(mbps, 1),
      plain_mb_per_s: round(plainMbps, 1), ratio_to_plain: round(ratio), peak_heap_growth_mb: round(first.heapGrowthMb, 1),
      peak_rss_growth_mb: round(first.rssGrowthMb, 1), gc_exposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
      target: { ratio_to_plain: '>= 0.8', peak_heap_growth_mb: '< 50', peak_rss_growth_mb: '< 50' }, met,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Per record: time append() held the caller, and time until flush() saw the line written. */
async function serialAppends(ledger: LedgerFile, rs: RequestRecord[]): Promise<{ block: number[]; disk: number[] }> {
  const block: number[] = [];
  const disk: number[] = [];
  for (const r of rs) {
    const t0 = performance.now();
    ledger.append(r);
    block.push(performance.now() - t0);
    await ledger.flush();
    disk.push(performance.now() - t0);
  }
  return { block, disk };
}

async function appendBench(smoke: boolean): Promise<Record<string, unknown>> {
  const n = smoke ? 200 : 5000;
  const dir = mkdtempSync(join(tmpdir(), 'pcl-ledger-bench-'));
  const ledger = createLedgerFile({ path: join(dir, 'ledger.jsonl') });
  try {
    const rs = Array.from({ length: n }, (_, i) => benchRecord(i));
    // The first line opens (and creates) the file: a one-time cost, reported apart; then a short warm-up.
    const tOpen = performance.now();
    ledger.append(benchRecord(n));
    await ledger.flush();
    const firstWriteMs = performance.now() - tOpen;
    await serialAppends(ledger, rs.slice(0, 50));
    const { block, disk } = await serialAppends(ledger, rs);
    // A burst (an agent loop's records arriving together): lines per second until all are written.
    const t0 = performance.now();
    for (const r of rs) ledger.append(r);
    await ledger.flush();
    const burstPerS = n / ((performance.now() - t0) / 1000);
    const figures = {
      block_median_ms: round(quantile(block, 0.5), 4), block_p99_ms: round(quantile(block, 0.99), 4),
      disk_median_ms: round(quantile(disk, 0.5), 4), disk_p99_ms: round(quantile(disk, 0.99), 4),
    };
    const met = figures.block_p99_ms <= 2 && figures.disk_p99_ms <= 2;
    const target = { block_p99_ms: '<= 2', disk_p99_ms: '<= 2' };
    return { name: 'ledger.append', smoke, records: n, first_write_ms: round(firstWriteMs, 3), ...figures, burst_lines_per_s: Math.round(burstPerS), target, met };
  } finally {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(opts: BenchOptions): Promise<Array<Record<string, unknown>>> {
  return [await loadBench(opts.smoke), await appendBench(opts.smoke)];
}
