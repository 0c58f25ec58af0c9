// The session panel's views, built from what the product already computed: RequestRecords, the
// ledger's totals, transcripts. Nothing here prices or predicts; it only regroups numbers.
import { cacheTimeOf, type RequestRecord, type ShapeTier } from '../../core/ledger/record';
import { compareStrategies } from '../../core/ledger/analysis';
import type { Totals } from '../../core/ledger/reducers';
import type { ModelTable } from '../../core/models/types';
import { TTL_MS } from '../../core/cache/ttl';
import { requestViewOf } from '../../core/session/recordView';
import type { TranscriptTurn } from '../../node/transcriptStore';
import type { MapRowView, MapSegmentTier, MapStatus, SessionSummaryView, TimelineEntryView, TimelineView, TotalsView, TurnView } from '../../shared/panelViews';
import type { RequestView } from '../../shared/protocol';

/** A record's cost card: the RequestView plus dollars per bucket. */
export function cardOf(r: RequestRecord, extras: Parameters<typeof requestViewOf>[1] = {}): RequestView {
  const view = requestViewOf(r, extras);
  const c = r.cost;
  return c ? { ...view, bucketUsd: { input: c.input, cacheWrite5m: c.cacheWrite5m, cacheWrite1h: c.cacheWrite1h, cacheRead: c.cacheRead, output: c.output } } : view;
}

/** A finished turn's card: its last request, with the turn's answer and, unless it simply ended, why it stopped. */
export function turnCardOf(result: { records: readonly RequestRecord[]; answer: string; stop: { reason: string; message: string } }): RequestView | undefined {
  const last = result.records[result.records.length - 1];
  return last ? cardOf(last, { answer: result.answer, ...(result.stop.reason === 'end_turn' ? {} : { stop: result.stop.message }) }) : undefined;
}

export function turnViewOf(t: TranscriptTurn, records: ReadonlyMap<string, RequestRecord>): TurnView {
  return {
    turn: t.turn,
    mode: t.mode,
    user: t.user,
    answer: t.answer,
    ...(t.stop.reason !== 'end_turn' ? { stop: t.stop.message } : {}),
    ...(t.stop.canContinue ? { canContinue: true } : {}),
    toolRuns: t.toolRuns.map((r) => ({ name: r.name, input: r.input, output: r.output, isError: r.isError })),
    requests: t.recordIds.flatMap((id) => {
      const r = records.get(id);
      return r ? [cardOf(r)] : [];
    }),
  };
}

/**
 * Session totals as the header shows them; `models` adds what automatic caching (one breakpoint on
 * the last block) would have cost, replayed on the session's recorded request shapes (an estimate).
 */
export function totalsViewOf(t: Totals, records: readonly RequestRecord[], budgetUsd: number, models?: ModelTable): TotalsView {
  const auto = models ? compareStrategies(records, models, ['automatic']) : undefined;
  const autoUsd = auto?.strategies[0]?.totalUsd;
  return {
    ...(auto && autoUsd !== undefined && auto.actual.requests > 0 ? { savedVsAutoUsd: autoUsd - auto.actual.totalUsd } : {}),
    requests: t.requests,
    answered: t.answered,
    local: t.local,
    failed: t.failed,
    aborted: t.aborted,
    tokens: t.tokens,
    costUsd: t.costUsd,
    noCacheUsd: t.noCacheUsd,
    savedUsd: t.savedUsd,
    costExact: t.costExact,
    hitRatio: t.hitRatio,
    apiMs: records.reduce((ms, r) => ms + r.totalMs, 0),
    ...(budgetUsd > 0 ? { budgetUsd } : {}),
  };
}

const SEGMENT: Record<ShapeTier, MapSegmentTier> = { tools: 'tools', system: 'system', context: 'context', conversation: 'history' };

/** One breakpoint-map row: the shape's blocks in prefix order, merged into runs of one tier and status. */
export function mapRowOf(r: RequestRecord): MapRowView {
  const read = r.buckets.cacheRead;
  const written = read + r.buckets.cacheWrite5m + r.buckets.cacheWrite1h;
  const segments: MapRowView['segments'] = [];
  const breakpoints: MapRowView['breakpoints'] = [];
  const bpAt = new Map(r.shape.breakpoints.map((b) => [b.blockIndex, b.ttl]));
  let prefix = 0;
  r.shape.blocks.forEach((b, i) => {
    // Reported usage says how far the read and the write reached; blocks are classed by where they end.
    prefix += b.tokens;
    const status: MapStatus = prefix <= read * 1.0001 ? 'read' : prefix <= written * 1.0001 ? 'written' : 'uncached';
    // The conversation the cache already held is history; what it did not is this request's new part.
    const tier: MapSegmentTier = b.tier === 'conversation' && status !== 'read' ? 'new' : SEGMENT[b.tier];
    const last = segments[segments.length - 1];
    if (last && last.tier === tier && last.status === status && !bpAt.has(i - 1)) last.tokens += b.tokens;
    else segments.push({ tier, tokens: b.tokens, status });
    const ttl = bpAt.get(i);
    if (ttl) breakpoints.push({ segment: segments.length - 1, ttl });
  });
  return { turn: r.turn, step: r.step, segments, breakpoints };
}

/**
 * Each tier's entry as these records imply it: written or read at a request's start (breakpoints
 * the reported usage reached), alive for its TTL from then. Later records win; expired ones stay.
 * With `cacheScope`, only records that landed in that cache count.
 */
export function entryExpiries(records: readonly RequestRecord[], cacheScope?: string): TimelineEntryView[] {
  const entries = new Map<string, TimelineEntryView>();
  for (const r of records) {
    // Another cache (the other backend, or an emulator since restarted or reset) holds none of these.
    if (r.outcome !== 'ok' || (cacheScope !== undefined && r.backend.cacheScope !== cacheScope)) continue;
    let prefix = 0;
    const reached = r.buckets.cacheRead + r.buckets.cacheWrite5m + r.buckets.cacheWrite1h;
    r.shape.blocks.forEach((b, i) => {
      prefix += b.tokens;
      const bp = r.shape.breakpoints.find((x) => x.blockIndex === i);
      if (!bp || prefix > reached * 1.0001) return;
      entries.set(b.tier, { tier: b.tier, ttl: bp.ttl, warmUntilMs: cacheTimeOf(r) + TTL_MS[bp.ttl], tokens: prefix });
    });
  }
  return [...entries.values()];
}

/** The panel's cache timeline: the entries, cold once expired, and which the next request reads. */
export function timelineOf(records: readonly RequestRecord[], nowMs: number, cacheScope?: string): TimelineView {
  const list = entryExpiries(records, cacheScope).map((e) => ((e.warmUntilMs ?? 0) > nowMs ? e : { ...e, warmUntilMs: null }));
  const warm = list.filter((e) => e.warmUntilMs !== null);
  const next = warm[warm.length - 1]?.tier;
  return { entries: list, ...(next ? { nextRead: next } : {}), hostNowMs: nowMs };
}

export function sessionsViewOf(bySession: ReadonlyMap<string, Totals>, current: string | undefined): SessionSummaryView[] {
  return [...bySession.entries()]
    .map(([id, t]) => ({ id, startedMs: t.firstAtMs ?? 0, requests: t.requests, costUsd: t.costUsd, savedUsd: t.savedUsd, ...(id === current ? { current: true } : {}) }))
    .sort((a, b) => b.startedMs - a.startedMs)
    .slice(0, 50);
}
