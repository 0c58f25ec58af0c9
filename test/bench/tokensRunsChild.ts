// One memory measurement of tokens-runs.bench.ts in a fresh process: a worker thread samples the
// process's resident memory every 2 ms while the main thread counts (a count is synchronous, so
// nothing else could see its peak). Args: kind, size, and 'no-memo' to count without the piece
// memo. Prints {ms, tokens, bytes, peakMb}; peakMb (MB) is above the
// resident memory just before the count (text and ranks already loaded).
import { Worker } from 'node:worker_threads';
import { countO200k, setO200kPieceMemo } from '../../src/core/tokens/count';

export type RunKind = 'prose' | 'letters' | 'random-letters' | 'cjk';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function pick(alphabet: string, chars: number, seed: number): string {
  const a = [...alphabet];
  const next = seeded(seed);
  const out: string[] = [];
  for (let i = 0; i < chars; i++) out.push(a[Math.floor(next() * a.length)] as string);
  return out.join('');
}

const PROSE = 'It is the prompt engineer\'s job to keep the prefix stable, so caching pays off after one read. ';

/**
 * `size` is bytes of UTF-8 for every kind but cjk, where it is characters (3 bytes each). A new
 * seed gives new random text, so a repetition does not find every letter pair already memoised.
 */
export function makeText(kind: RunKind, size: number, seed = 1): string {
  if (kind === 'prose') return PROSE.repeat(Math.ceil(size / PROSE.length)).slice(0, size);
  if (kind === 'letters') return 'a'.repeat(size);
  if (kind === 'random-letters') return pick('abcdefghijklmnopqrstuvwxyz', size, seed);
  return pick('日本語のテキストです中文文本还有漢字カタカナひらがな한국어텍스트입니다', size, seed);
}

const SAMPLER = `
const { workerData } = require('node:worker_threads');
const cells = new Float64Array(workerData);
const tick = () => {
  cells[1] = Math.max(cells[1], process.memoryUsage.rss());
  if (cells[0] === 0) setTimeout(tick, 2);
};
tick();`;

async function main(): Promise<void> {
  const [kind, size, memo] = process.argv.slice(2);
  countO200k('warm up the ranks');
  setO200kPieceMemo(memo !== 'no-memo');
  const text = makeText(kind as RunKind, Number(size));
  // cells[0]: stop flag, cells[1]: peak RSS seen by the sampler.
  const shared = new SharedArrayBuffer(16);
  const cells = new Float64Array(shared);
  const sampler = new Worker(SAMPLER, { eval: true, workerData: shared });
  await new Promise((r) => setTimeout(r, 50));
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage.rss();
  const t0 = performance.now();
  const tokens = countO200k(text);
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 10));
  cells[0] = 1;
  await sampler.terminate();
  const peakMb = Math.max(0, Math.max(cells[1] as number, process.memoryUsage.rss()) - base) / 2 ** 20;
  process.stdout.write(JSON.stringify({ ms, tokens, bytes: Buffer.byteLength(text, 'utf8'), peakMb }));
}

if (require.main === module) void main();
