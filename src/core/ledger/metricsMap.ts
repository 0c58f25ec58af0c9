// What one RequestRecord adds to the Prometheus metrics (src/node/metrics.ts), kept pure so the
// rules can be tested without a server. The rules are the ledger reducers' (reducers.ts), so a
// scrape agrees with the panel and `report` to the cent:
// - tokens and cost count only billed requests (answered, or failed/aborted with usage: a stream
//   cut short is still billed); a local answer adds a request and nothing else;
// - cost is the record's own, priced when it happened, never re-priced;
// - TTFT is observed for answered requests only (as the reducers' medians); the duration for
//   every request that reached a backend (failures included: a timeout is worth seeing), not for
//   local answers, whose near-zero times would hide the real latency.
import type { CacheTtl } from '../../shared/anthropic';
import type { RequestKind, RequestOutcome, RequestRecord } from './record';
import { billed } from './reducers';

export type TokenKind = 'input' | 'cache_write' | 'cache_read' | 'output';

/** `ttl` is set only on cache writes (`""` otherwise: the series then has no ttl label). */
export interface TokenIncrement {
  kind: TokenKind;
  ttl: CacheTtl | '';
  tokens: number;
}

export interface MetricIncrements {
  model: string;
  prompt: string;
  outcome: RequestOutcome;
  requestKind: RequestKind;
  /** Non-zero buckets only, so an idle bucket creates no series. */
  tokens: TokenIncrement[];
  /** USD to add; null when nothing is billed or the record has no price (unknown model). */
  costUsd: number | null;
  ttftSeconds: number | null;
  durationSeconds: number | null;
}

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;

function tokenIncrements(r: RequestRecord): TokenIncrement[] {
  const b = r.buckets;
  const all: TokenIncrement[] = [
    { kind: 'input', ttl: '', tokens: b.input },
    { kind: 'cache_write', ttl: '5m', tokens: b.cacheWrite5m },
    { kind: 'cache_write', ttl: '1h', tokens: b.cacheWrite1h },
    { kind: 'cache_read', ttl: '', tokens: b.cacheRead },
    { kind: 'output', ttl: '', tokens: b.output },
  ];
  return all.filter((t) => finite(t.tokens) && t.tokens > 0);
}

export function metricIncrements(r: RequestRecord): MetricIncrements {
  const isBilled = billed(r);
  const cost = isBilled && r.cost && finite(r.cost.total) ? r.cost.total : null;
  return {
    model: r.model,
    prompt: r.prompt.id,
    outcome: r.outcome,
    requestKind: r.kind,
    tokens: isBilled ? tokenIncrements(r) : [],
    costUsd: cost,
    ttftSeconds: r.outcome === 'ok' && finite(r.ttftMs) ? r.ttftMs / 1000 : null,
    durationSeconds: r.outcome !== 'local' && finite(r.totalMs) ? r.totalMs / 1000 : null,
  };
}
