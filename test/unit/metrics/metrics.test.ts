import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import { metricIncrements } from '../../../src/core/ledger/metricsMap';
import type { RequestRecord } from '../../../src/core/ledger/record';
import { UsdSum, createTotals, groupKey } from '../../../src/core/ledger/reducers';
import { startMetricsServer, type MetricsServer } from '../../../src/node/metrics';
import type { Usage } from '../../../src/shared/anthropic';
import { WARM_USAGE, makeRecord } from '../../support/records';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const COLD: Usage = { input_tokens: 300, cache_creation_input_tokens: 6000, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 3000, ephemeral_1h_input_tokens: 3000 }, output_tokens: 500 };

interface Sample { name: string; labels: Record<string, string>; value: number }

/** The text exposition format, enough for prom-client's output (no escapes in our label values). */
function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `unparsable line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1] as string] = l[2] as string;
    out.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return out;
}

async function scrape(s: MetricsServer): Promise<Sample[]> {
  const res = await fetch(s.url);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parse(await res.text());
}

const sum = (xs: Sample[], name: string, where: Record<string, string> = {}) =>
  xs.filter((x) => x.name === name && Object.entries(where).every(([k, v]) => x.labels[k] === v)).reduce((a, x) => a + x.value, 0);

/** A raw request, so the Host header can be anything (fetch does not let a test forge it). */
function get(port: number, path: string, host: string, method = 'GET'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

function records(): RequestRecord[] {
  const rs: RequestRecord[] = [];
  for (let i = 0; i < 40; i++) {
    rs.push(makeRecord({ atMs: T0 + i * 1000, usage: i % 7 === 0 ? COLD : WARM_USAGE, requestedTtl: i % 2 ? '1h' : '5m', model: i % 3 ? 'claude-sonnet-5' : 'claude-opus-4-5', promptId: i % 5 ? 'support-agent' : 'triage', ttftMs: 100 + i * 37 }));
  }
  rs.push(makeRecord({ atMs: T0 + 50_000, outcome: 'failed', usage: null }));
  rs.push(makeRecord({ atMs: T0 + 51_000, outcome: 'aborted', usage: { ...WARM_USAGE, output_tokens: 12 } }));
  rs.push(makeRecord({ atMs: T0 + 52_000, outcome: 'local' }));
  const unpriced = makeRecord({ atMs: T0 + 53_000 });
  delete unpriced.cost;
  unpriced.costError = 'unknown prices';
  rs.push(unpriced);
  return rs;
}

describe('metrics: the Prometheus endpoint', () => {
  const open: MetricsServer[] = [];
  const start = async (instance = 'w-1', port = 0) => {
    const s = await startMetricsServer({ port, instance });
    open.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  it('counters equal the ledger reducers exactly, per model and prompt and in total', async () => {
    const s = await start();
    const rs = records();
    for (const r of rs) s.observe(r);
    const xs = await scrape(s);
    const all = createTotals();
    const byPair = new Map<string, ReturnType<typeof createTotals>>();
    for (const r of rs) {
      all.add(r);
      const k = `${groupKey(r, 'model')}|${groupKey(r, 'prompt')}`;
      if (!byPair.has(k)) byPair.set(k, createTotals());
      byPair.get(k)?.add(r);
    }
    for (const [k, acc] of byPair) {
      const [model, prompt] = k.split('|') as [string, string];
      const t = acc.result();
      assert.equal(sum(xs, 'promptcachelab_cost_usd_total', { model, prompt }), t.costUsd, `cost of ${k}`);
      assert.equal(sum(xs, 'promptcachelab_tokens_total', { model, prompt, kind: 'cache_read' }), t.tokens.cacheRead);
    }
    const t = all.result();
    // Summed in the same integer units as the reducers: exact, not merely close.
    const units = new UsdSum();
    for (const x of xs.filter((x) => x.name === 'promptcachelab_cost_usd_total')) units.add(x.value);
    assert.equal(units.value(), t.costUsd);
    assert.equal(sum(xs, 'promptcachelab_tokens_total', { kind: 'input' }), t.tokens.input);
    assert.equal(sum(xs, 'promptcachelab_tokens_total', { kind: 'cache_write', ttl: '5m' }), t.tokens.cacheWrite5m);
    assert.equal(sum(xs, 'promptcachelab_tokens_total', { kind: 'cache_write', ttl: '1h' }), t.tokens.cacheWrite1h);
    assert.equal(sum(xs, 'promptcachelab_tokens_total', { kind: 'output' }), t.tokens.output);
    assert.ok(xs.filter((x) => x.name === 'promptcachelab_tokens_total' && x.labels.kind !== 'cache_write').every((x) => !('ttl' in x.labels)), 'ttl only on writes');
    for (const outcome of ['ok', 'local', 'failed', 'aborted'] as const) {
      assert.equal(sum(xs, 'promptcachelab_requests_total', { outcome }), rs.filter((r) => r.outcome === outcome).length, outcome);
    }
    assert.equal(sum(xs, 'promptcachelab_ttft_seconds_count'), t.ttft.cached + t.ttft.uncached);
    assert.equal(sum(xs, 'promptcachelab_request_duration_seconds_count'), rs.length - 1, 'every request but the local answer');
    assert.ok(xs.every((x) => x.labels.instance_id === 'w-1'), 'every series carries the window id');
  });

  it('the map: a local answer adds a request only; a failure without usage adds no tokens', () => {
    const local = metricIncrements(makeRecord({ outcome: 'local' }));
    assert.deepEqual([local.tokens, local.costUsd, local.ttftSeconds, local.durationSeconds], [[], null, null, null]);
    const failed = metricIncrements(makeRecord({ outcome: 'failed', usage: null }));
    assert.deepEqual([failed.tokens, failed.costUsd, failed.ttftSeconds, failed.durationSeconds], [[], null, null, 2.1]);
    const cold = metricIncrements(makeRecord({ usage: COLD, ttftMs: 900 }));
    assert.deepEqual(cold.tokens, [
      { kind: 'input', ttl: '', tokens: 300 },
      { kind: 'cache_write', ttl: '5m', tokens: 3000 },
      { kind: 'cache_write', ttl: '1h', tokens: 3000 },
      { kind: 'output', ttl: '', tokens: 500 },
    ]);
    assert.equal(cold.costUsd, 0.0251);
    assert.equal(cold.ttftSeconds, 0.9);
  });

  it('a second window on the same port gets a clear rejection; the first keeps serving', async () => {
    const first = await start('w-1');
    first.observe(makeRecord());
    const port = Number(new URL(first.url).port);
    await assert.rejects(startMetricsServer({ port, instance: 'w-2' }), {
      message: `port ${port} is in use (another window?); metrics are off in this window — pick another promptCacheLab.metrics.port`,
    });
    const xs = await scrape(first);
    assert.equal(sum(xs, 'promptcachelab_requests_total'), 1);
  });

  it('two instances in one process keep separate registries', async () => {
    const a = await start('w-a');
    const b = await start('w-b');
    a.observe(makeRecord());
    a.observe(makeRecord());
    b.observe(makeRecord());
    assert.equal(sum(await scrape(a), 'promptcachelab_requests_total', { instance_id: 'w-a' }), 2);
    const xb = await scrape(b);
    assert.equal(sum(xb, 'promptcachelab_requests_total'), 1);
    assert.ok(xb.every((x) => x.labels.instance_id === 'w-b'));
  });

  it('binds 127.0.0.1; refuses a non-loopback Host; 404 for other paths and methods', async () => {
    const s = await start();
    const port = Number(new URL(s.url).port);
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    assert.equal(await get(port, '/metrics', `127.0.0.1:${port}`), 200);
    assert.equal(await get(port, '/metrics', `localhost:${port}`), 200);
    assert.equal(await get(port, '/metrics?x=1', `[::1]:${port}`), 200);
    assert.equal(await get(port, '/metrics', `evil.example:${port}`), 403);
    assert.equal(await get(port, '/metrics', `127.0.0.1.evil.example`), 403);
    assert.equal(await get(port, '/', `127.0.0.1:${port}`), 404);
    assert.equal(await get(port, '/metrics/x', `127.0.0.1:${port}`), 404);
    assert.equal(await get(port, '/metrics', `127.0.0.1:${port}`, 'POST'), 404);
  });

  it('observe never throws, and warns once', async () => {
    const warnings: string[] = [];
    const s = await startMetricsServer({ port: 0, instance: 'w', onWarning: (w) => warnings.push(w) });
    open.push(s);
    const broken = { ...makeRecord(), prompt: undefined } as unknown as RequestRecord;
    s.observe(broken);
    s.observe(broken);
    s.observe(null as unknown as RequestRecord);
    assert.equal(warnings.length, 1);
    s.observe(makeRecord());
    assert.equal(sum(await scrape(s), 'promptcachelab_requests_total'), 1);
  });

  it('a bad port is a rejection, not a crash', async () => {
    await assert.rejects(startMetricsServer({ port: 70000, instance: 'w' }), /must be an integer from 1 to 65535/);
  });

  it('close frees the port', async () => {
    const s = await startMetricsServer({ port: 0, instance: 'w' });
    const port = Number(new URL(s.url).port);
    await s.close();
    const again = await start('w', port);
    assert.equal(again.url, `http://127.0.0.1:${port}/metrics`);
  });
});
