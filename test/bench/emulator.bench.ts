// The offline emulator under load and over time, in-process, through the product's own SDK client
// (src/backends/anthropic/sdk.ts):
// - emulator.load: 20 concurrent clients (half streaming) sending cached requests for a fixed
//   time: requests per second, p50/p99 latency, errors (goal 0).
// - emulator.soak_memory: heap after N requests with a 2 MB system prompt (goal: growth after
//   warm-up < 100 MB; before the emulator bounded its memory by bytes this reached 1.2 GB at 600).
// - emulator.soak_memory_distinct: a different 512 KB system prompt per request, so nothing can be
//   shared: what is retained per distinct prompt (goal < 64 KB, i.e. digests and counts only). Not
//   met yet: the cache simulator's block memo (src/core/cache/blocks.ts) keeps up to 50,000 block
//   texts whatever their size.
// Run with --expose-gc so heap figures are after a full collection; without it they are noisier.
import type Anthropic from '@anthropic-ai/sdk';
import { createSdkClient } from '../../src/backends/anthropic/sdk';
import { startEmulator, type EmulatorHandle } from '../../src/backends/emulator/server';
import { createRedactor } from '../../src/backends/redact';
import type { BenchOptions } from './index';

const KEY = 'sk-ant-api03-BENCH-00000000000000000000000000000000000';
const SYSTEM = 'You are a careful support agent for the Acme product line. '.repeat(200);
const CLIENTS = 20;
const GROWTH_TARGET_MB = 100;

type Params = Anthropic.MessageCreateParamsNonStreaming;

function request(system: string, question: string): Params {
  return {
    model: 'claude-sonnet-5',
    max_tokens: 64,
    system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: question }],
  };
}

function client(emu: EmulatorHandle): Anthropic {
  return createSdkClient({ apiKey: KEY, baseURL: emu.url, maxRetries: 0, redact: createRedactor([KEY]) });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

async function clientLoop(c: Anthropic, id: number, streaming: boolean, until: number, latencies: number[], errors: string[]): Promise<void> {
  for (let i = 0; Date.now() < until; i++) {
    const params = request(SYSTEM, `Client ${id}, question ${i}: where is my order?`);
    const t = performance.now();
    try {
      if (streaming) await c.messages.stream(params).finalMessage();
      else await c.messages.create(params);
      latencies.push(performance.now() - t);
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
}

async function load(smoke: boolean): Promise<Record<string, unknown>> {
  const emu = await startEmulator();
  try {
    const clients = Array.from({ length: CLIENTS }, () => client(emu));
    await clients[0]?.messages.create(request(SYSTEM, 'warm-up'));
    const durationMs = smoke ? 300 : 5000;
    const latencies: number[] = [];
    const errors: string[] = [];
    const start = performance.now();
    await Promise.all(clients.map((c, i) => clientLoop(c, i, i % 2 === 0, Date.now() + durationMs, latencies, errors)));
    const elapsedS = (performance.now() - start) / 1000;
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      name: 'emulator.load',
      clients: CLIENTS,
      streaming_clients: CLIENTS / 2,
      requests: latencies.length + errors.length,
      duration_s: round(elapsedS),
      requests_per_s: round(latencies.length / elapsedS, 1),
      p50_ms: round(percentile(sorted, 0.5)),
      p99_ms: round(percentile(sorted, 0.99)),
      errors: errors.length,
      ...(errors.length ? { first_error: errors[0] } : {}),
      target: { errors: 0 },
      met: errors.length === 0,
    };
  } finally {
    await emu.close();
  }
}

const gc = (globalThis as { gc?: () => void }).gc;

function heapMb(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

const CLAUSE = 'Policy clause: refunds within 30 days of purchase. ';

interface Soak {
  name: string;
  /** The system prompt of request i. */
  system: (i: number) => string;
  warmup: number;
  total: number;
  /** Per-request retention goal instead of total growth (for the distinct-prompt soak). */
  perRequestKbTarget?: number;
}

function goal(s: Soak, growthMb: number): Record<string, unknown> {
  if (s.perRequestKbTarget === undefined) return { target: { growth_mb_below: GROWTH_TARGET_MB }, met: growthMb < GROWTH_TARGET_MB };
  const perRequest = (growthMb * 1024) / (s.total - s.warmup);
  return { retained_kb_per_request: round(perRequest, 1), target: { retained_kb_per_request_below: s.perRequestKbTarget }, met: perRequest < s.perRequestKbTarget };
}

async function soak(s: Soak): Promise<Record<string, unknown>> {
  const emu = await startEmulator();
  try {
    const c = client(emu);
    const { warmup, total } = s;
    let heapAfterWarmup = 0;
    const samples: number[] = [];
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      await c.messages.create(request(s.system(i), `Question ${i}: is order ${i} refundable?`));
      if (i + 1 === warmup) heapAfterWarmup = heapMb();
      if ((i + 1) % Math.max(1, Math.floor(total / 6)) === 0) samples.push(round(heapMb(), 1));
    }
    const heapEnd = heapMb();
    const growth = heapEnd - heapAfterWarmup;
    return {
      name: s.name,
      requests: total,
      system_prompt_mb: round(s.system(0).length / 2 ** 20),
      warmup_requests: warmup,
      heap_after_warmup_mb: round(heapAfterWarmup, 1),
      heap_end_mb: round(heapEnd, 1),
      heap_samples_mb: samples,
      growth_mb: round(growth, 1),
      ms_per_request: round((performance.now() - start) / total, 1),
      gc_exposed: gc !== undefined,
      ...goal(s, growth),
    };
  } finally {
    await emu.close();
  }
}

export async function run(opts: BenchOptions): Promise<Array<Record<string, unknown>>> {
  const smoke = opts.smoke;
  // 2 MB (smoke: 128 KB, so the smoke run stays short).
  const shared = CLAUSE.repeat(smoke ? 2600 : 41_000);
  return [
    await load(smoke),
    await soak({ name: 'emulator.soak_memory', system: () => shared, warmup: smoke ? 1 : 50, total: smoke ? 3 : 600 }),
    await soak({ name: 'emulator.soak_memory_distinct', system: (i) => `${i} ${CLAUSE.repeat(smoke ? 650 : 10_250)}`, warmup: smoke ? 1 : 10, total: smoke ? 3 : 100, perRequestKbTarget: 64 }),
  ];
}
