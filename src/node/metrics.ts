// The opt-in Prometheus endpoint (setting promptCacheLab.metrics.port): one HTTP server and one
// prom-client Registry per window, never prom-client's global registry, so two windows (or two
// tests) in one process never mix series. Every series carries `instance_id`, a per-window id:
// Prometheus sets `instance` itself to the scrape target, so a window reopened on the same port is
// still a new series (a counter reset, not one series that jumps). Not `instance`: a scraped label
// of that name is renamed `exported_instance` (or, with honor_labels, replaces the target's).
// Safety: bound to 127.0.0.1 only; a Host header that is not loopback is refused (a web page in a
// browser cannot read the numbers by DNS rebinding); only GET /metrics answers.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Histogram, Registry } from 'prom-client';
import { metricIncrements } from '../core/ledger/metricsMap';
import type { RequestRecord } from '../core/ledger/record';
import { UsdSum } from '../core/ledger/reducers';

export interface MetricsOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** The window's id, the `instance_id` label of every series. */
  instance: string;
  /** A problem after start (a record that could not be observed), once per kind; never thrown. */
  onWarning?: (message: string) => void;
}

export interface MetricsServer {
  /** Adds one finished request; never throws. */
  observe(record: RequestRecord): void;
  /** `http://127.0.0.1:<port>/metrics` */
  readonly url: string;
  close(): Promise<void>;
}

const TTFT_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32];
const DURATION_BUCKETS = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 300];

/** Exact USD sums per (model, prompt), the cost counter's source of truth. */
type CostSums = Map<string, { labels: { model: string; prompt: string }; sum: UsdSum }>;

/** Metric set of one registry. */
function createMetrics(registry: Registry, costSums: CostSums) {
  const registers = [registry];
  return {
    tokens: new Counter({ name: 'promptcachelab_tokens_total', help: 'Billed tokens by kind (cache writes by TTL), as in the ledger', labelNames: ['kind', 'ttl', 'model', 'prompt'], registers }),
    cost: new Counter({
      name: 'promptcachelab_cost_usd_total',
      help: 'Billed cost in USD, each request priced when it happened',
      labelNames: ['model', 'prompt'],
      registers,
      // Summed exactly (integers of 1e-14 USD, as the ledger reducers) and set at scrape time, so
      // the counter equals the ledger's total to the last digit instead of drifting with float adds.
      collect() {
        this.reset();
        for (const { labels, sum } of costSums.values()) this.inc(labels, sum.value());
      },
    }),
    requests: new Counter({ name: 'promptcachelab_requests_total', help: 'Requests by outcome (ok, local, failed, aborted) and kind (send, agent-step, prewarm)', labelNames: ['outcome', 'model', 'prompt', 'kind'], registers }),
    ttft: new Histogram({ name: 'promptcachelab_ttft_seconds', help: 'Time to first token of answered requests', labelNames: ['model', 'prompt'], buckets: TTFT_BUCKETS, registers }),
    duration: new Histogram({ name: 'promptcachelab_request_duration_seconds', help: 'Total time of requests that reached a backend (failures included, local answers not)', labelNames: ['model', 'prompt'], buckets: DURATION_BUCKETS, registers }),
  };
}

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/i;

function handler(registry: Registry) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      res.end(body);
    };
    if (!LOOPBACK_HOST.test(req.headers.host ?? '')) return send(403, 'forbidden: the Host header must be 127.0.0.1 or localhost\n');
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') return send(404, 'not found: only GET /metrics\n');
    registry.metrics().then(
      (text) => send(200, text, registry.contentType),
      (err: unknown) => send(500, `metrics failed: ${String(err)}\n`),
    );
  };
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.close();
      const setting = 'pick another promptCacheLab.metrics.port';
      if (err.code === 'EADDRINUSE') reject(new Error(`port ${port} is in use (another window?); metrics are off in this window — ${setting}`));
      else if (err.code === 'EACCES') reject(new Error(`port ${port} needs privileges; metrics are off in this window — ${setting} (1024 or above)`));
      else reject(new Error(`cannot listen on 127.0.0.1:${port} (${err.message}); metrics are off in this window`));
    };
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

type Metrics = ReturnType<typeof createMetrics>;

function count(m: Metrics, costSums: CostSums, record: RequestRecord): void {
  const inc = metricIncrements(record);
  const who = { model: inc.model, prompt: inc.prompt };
  m.requests.inc({ ...who, outcome: inc.outcome, kind: inc.requestKind });
  for (const t of inc.tokens) m.tokens.inc(t.ttl ? { ...who, kind: t.kind, ttl: t.ttl } : { ...who, kind: t.kind }, t.tokens);
  if (inc.costUsd !== null) {
    const key = JSON.stringify([who.model, who.prompt]);
    let entry = costSums.get(key);
    if (!entry) costSums.set(key, (entry = { labels: who, sum: new UsdSum() }));
    entry.sum.add(inc.costUsd);
  }
  if (inc.ttftSeconds !== null) m.ttft.observe(who, inc.ttftSeconds);
  if (inc.durationSeconds !== null) m.duration.observe(who, inc.durationSeconds);
}

export async function startMetricsServer(opts: MetricsOptions): Promise<MetricsServer> {
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new Error(`promptCacheLab.metrics.port must be an integer from 1 to 65535, got ${opts.port}; metrics are off in this window`);
  }
  const registry = new Registry();
  registry.setDefaultLabels({ instance_id: opts.instance });
  const costSums: CostSums = new Map();
  const m = createMetrics(registry, costSums);
  const server = http.createServer(handler(registry));
  const port = await listen(server, opts.port);
  // Errors after listening (none expected on a bound loopback socket) must not crash the host.
  server.on('error', (err) => opts.onWarning?.(`metrics server: ${err.message}`));
  let warned = false;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    observe(record) {
      try {
        count(m, costSums, record);
      } catch (err) {
        if (!warned) opts.onWarning?.(`metrics: a request could not be counted (${err instanceof Error ? err.message : String(err)}); later ones still are`);
        warned = true;
      }
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
      registry.clear();
    }),
  };
}
