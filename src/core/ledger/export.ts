// The one writer of ledger figures as CSV and JSON: `prompt-cache-lab report --json/--csv` and the
// extension's Export Stats both call it, so a file exported from the panel and a report of the
// same ledger agree column for column. Pure: records and totals in, text out.
//
// Columns (units: tokens, USD, ms; booleans `true`/`false`; empty cell = unknown):
// - totals CSV (one row per group, first column named after the grouping): requests, answered,
//   local, failed, aborted, input_tokens, cache_write_5m_tokens, cache_write_1h_tokens,
//   cache_read_tokens, output_tokens, total_usd, no_cache_usd, saved_usd, hit_ratio (token-weighted
//   read / (input + writes + read), answered requests), exact (false: some amount is an estimate),
//   ttft_cached_median_ms, ttft_uncached_median_ms;
// - requests CSV (one row per record, REQUEST_COLUMNS): see requestRow.
// Text cells that a spreadsheet would run as a formula (=, +, -, @ first) are prefixed with '.
import { stringify } from 'csv-stringify/sync';
import type { RequestRecord } from './record';
import { createGrouped, totalsOf, type GroupBy, type GroupTotals, type Totals } from './reducers';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Totals as JSON fields (snake_case, the report's and the export's). */
export function totalsJson(t: Totals) {
  return {
    requests: t.requests,
    answered: t.answered,
    local: t.local,
    failed: t.failed,
    aborted: t.aborted,
    total_usd: t.costUsd,
    no_cache_usd: t.noCacheUsd,
    saved_usd: t.savedUsd,
    hit_ratio: t.hitRatio,
    exact: t.costExact,
    unpriced: t.unpriced,
    tokens: { input: t.tokens.input, cache_write_5m: t.tokens.cacheWrite5m, cache_write_1h: t.tokens.cacheWrite1h, cache_read: t.tokens.cacheRead, output: t.tokens.output },
    ttft_median_ms: { cached: t.ttft.cachedMedianMs, uncached: t.ttft.uncachedMedianMs },
    prediction: {
      requests: t.prediction.requests,
      abs_error_tokens: t.prediction.absErrorTokens,
      relative_error: t.prediction.relativeError,
      read_abs_error_tokens: t.prediction.readAbsErrorTokens,
    },
    first_at: iso(t.firstAtMs),
    last_at: iso(t.lastAtMs),
  };
}

export const TOTALS_COLUMNS = [
  'requests', 'answered', 'local', 'failed', 'aborted', 'input_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens',
  'cache_read_tokens', 'output_tokens', 'total_usd', 'no_cache_usd', 'saved_usd', 'hit_ratio', 'exact',
  'ttft_cached_median_ms', 'ttft_uncached_median_ms',
] as const;

const CSV_OPTIONS = { cast: { boolean: (b: boolean) => String(b) }, escape_formulas: true } as const;

/** One row per group, headed by the grouping (`session`, `prompt`, …): what `report --csv` prints. */
export function totalsCsv(by: GroupBy, groups: readonly GroupTotals[]): string {
  const rows = groups.map(({ key, totals: t }) => [
    key, t.requests, t.answered, t.local, t.failed, t.aborted, t.tokens.input, t.tokens.cacheWrite5m, t.tokens.cacheWrite1h,
    t.tokens.cacheRead, t.tokens.output, t.costUsd, t.noCacheUsd, t.savedUsd, t.hitRatio, t.costExact,
    t.ttft.cachedMedianMs ?? '', t.ttft.uncachedMedianMs ?? '',
  ]);
  return stringify([[by, ...TOTALS_COLUMNS], ...rows], CSV_OPTIONS);
}

export const REQUEST_COLUMNS = [
  'id', 'session_id', 'conversation_id', 'turn', 'step', 'kind', 'mode', 'started_at', 'prompt_id', 'prompt_path', 'model',
  'backend', 'outcome', 'input_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens', 'cache_read_tokens', 'output_tokens',
  'total_usd', 'no_cache_usd', 'saved_usd', 'exact', 'ttft_ms', 'total_ms', 'stop_reason', 'explanation', 'error', 'request_id',
] as const;

export type RequestRow = Record<(typeof REQUEST_COLUMNS)[number], string | number | boolean | null>;

/**
 * One record as a flat row. Money is the record's own (null when unpriced: its tokens still
 * count); `explanation` is the hit/miss kind, `error` the failure kind; no prompt or answer text.
 */
export function requestRow(r: RequestRecord): RequestRow {
  const b = r.buckets;
  return {
    id: r.id, session_id: r.sessionId, conversation_id: r.conversationId, turn: r.turn, step: r.step, kind: r.kind, mode: r.mode,
    started_at: new Date(r.atMs).toISOString(), prompt_id: r.prompt.id, prompt_path: r.prompt.path, model: r.model,
    backend: r.backend.kind, outcome: r.outcome, input_tokens: b.input, cache_write_5m_tokens: b.cacheWrite5m,
    cache_write_1h_tokens: b.cacheWrite1h, cache_read_tokens: b.cacheRead, output_tokens: b.output,
    total_usd: r.cost?.total ?? null, no_cache_usd: r.cost?.noCache ?? null, saved_usd: r.cost?.saved ?? null,
    exact: r.cost ? r.cost.exact : null, ttft_ms: r.ttftMs, total_ms: r.totalMs, stop_reason: r.stopReason,
    explanation: r.explanation?.kind ?? null, error: r.error?.kind ?? null, request_id: r.requestId ?? null,
  };
}

export function requestsCsv(records: Iterable<RequestRecord>): string {
  const rows: Array<Array<string | number | boolean>> = [];
  for (const r of records) {
    const row = requestRow(r);
    rows.push(REQUEST_COLUMNS.map((c) => row[c] ?? ''));
  }
  return stringify([[...REQUEST_COLUMNS], ...rows], CSV_OPTIONS);
}

export interface ExportInput {
  /** What was exported, e.g. `{ session: 's-…' }` or `{ all: true }`; copied into the JSON. */
  scope: { session: string } | { all: true };
  exportedAtMs: number;
  totals: Totals;
  /** Per-session totals (an export of everything); omitted for one session. */
  groups?: readonly GroupTotals[];
  records: readonly RequestRecord[];
}

/** Export Stats as JSON: the totals (as `report --json`), the groups, then one row per request. */
export function exportJson(input: ExportInput): string {
  const doc = {
    scope: input.scope,
    exported_at: new Date(input.exportedAtMs).toISOString(),
    ...totalsJson(input.totals),
    ...(input.groups ? { groups: input.groups.map((g) => ({ key: g.key, ...totalsJson(g.totals) })) } : {}),
    request_rows: input.records.map(requestRow),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export interface ExportFiles {
  json: string;
  /** One row per session (`session` first column), as `report --csv --by session`. */
  totalsCsv: string;
  /** One row per request. */
  requestsCsv: string;
}

/** Export Stats in one call: the host filters the records (one session, or all) and saves the files. */
export function exportStats(records: readonly RequestRecord[], scope: ExportInput['scope'], exportedAtMs: number): ExportFiles {
  const grouped = createGrouped('session');
  for (const r of records) grouped.add(r);
  const groups = grouped.result();
  const totals = totalsOf(records);
  return {
    json: exportJson({ scope, exportedAtMs, totals, ...('all' in scope ? { groups } : {}), records }),
    totalsCsv: totalsCsv('session', groups),
    requestsCsv: requestsCsv(records),
  };
}
