// A RequestRecord as the panel shows it. Numbers are the record's; only words are added here.
import type { RequestRecord } from '../ledger/record';
import type { RequestView } from '../../shared/protocol';

export interface ViewExtras {
  /** The answer's text (records hold no text). */
  answer?: string;
  /** Why the turn ended, when this request ended it. */
  stop?: string;
  /** When a local answer was stored. */
  storedAtMs?: number;
  /** Overrides the default summary (a pre-warm says what it wrote). */
  summary?: string;
}

function summaryOf(r: RequestRecord, extras: ViewExtras): string {
  if (extras.summary) return extras.summary;
  switch (r.outcome) {
    case 'local':
      return `Answered from the local response cache${extras.storedAtMs ? ` (stored ${new Date(extras.storedAtMs).toLocaleString()})` : ''}: no request was sent, nothing was billed, and the prompt cache was not used. Send it for real to see the cache at work.`;
    case 'failed':
      return `The request failed: ${r.error?.message ?? 'no detail'} It is counted as a failure, not as a cache miss.`;
    case 'aborted':
      return 'The request was cancelled. It is counted as a failure, not as a cache miss.';
    default:
      return r.explanation?.sentence ?? 'Answered.';
  }
}

export function requestViewOf(r: RequestRecord, extras: ViewExtras = {}): RequestView {
  const failed = r.outcome === 'failed' || r.outcome === 'aborted';
  const p = r.predicted;
  return {
    kind: r.kind,
    outcome: r.outcome,
    promptId: r.prompt.id,
    model: r.model,
    at: r.atMs,
    backend: r.backend.kind,
    usage: r.buckets,
    costUsd: r.cost?.total,
    noCacheUsd: r.cost?.noCache,
    savedUsd: r.cost?.saved,
    ...(failed || !r.cost ? {} : { hitRatio: r.cost.hitRatio }),
    costExact: r.cost?.exact ?? false,
    summary: summaryOf(r, extras),
    ...(p ? { predicted: { input: p.buckets.input, cacheWrite5m: p.buckets.cacheWrite5m, cacheWrite1h: p.buckets.cacheWrite1h, cacheRead: p.buckets.cacheRead, costUsd: p.costUsd } } : {}),
    ...(r.explanation && !failed ? { explanation: r.explanation.sentence } : {}),
    ...(extras.answer !== undefined ? { answer: extras.answer } : {}),
    ...(r.outcome === 'local' ? { localCache: true } : {}),
    turn: r.turn,
    step: r.step,
    ttftMs: r.ttftMs,
    totalMs: r.totalMs,
    ...(r.error ? { error: r.error.message } : {}),
    ...(extras.stop ? { stop: extras.stop } : {}),
    ...(r.outcome === 'ok' && r.kind !== 'prewarm' && (r.stopReason === 'tool_use' || r.stopReason === 'pause_turn') && !extras.stop ? { continues: true as const } : {}),
  };
}

