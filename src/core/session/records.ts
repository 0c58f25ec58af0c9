// The one RequestRecord builder: every request the product makes (send, agent step, pre-warm)
// becomes a record here, and nothing downstream rebuilds one.
import type { Usage } from '../../shared/anthropic';
import { usageBuckets } from '../cost/usage';
import { RECORD_SCHEMA, type RequestKind, type RequestOutcome, type RequestRecord, type ToolCallRecord } from '../ledger/record';
import type { BackendError, BackendKind, CostView, PlannedRequest, RecordedRequest, RunMode, SendResult } from '../ports';

export interface RecordIds {
  id: string;
  sessionId: string;
  conversationId: string;
  turn: number;
  step: number;
}

export interface RecordInput {
  kind: RequestKind;
  mode: RunMode;
  ids: RecordIds;
  atMs: number;
  /** The start on the backend cache's clock, when it differs from `atMs` (the emulator's clock after an advance). */
  cacheAtMs?: number;
  planned: PlannedRequest;
  backend: { kind: BackendKind; cacheScope: string };
  /** The answer (for a local answer: the stored one); absent when the request never went out. */
  result?: SendResult;
  /** Present for answered requests only: a failure never reaches the cache model. */
  recorded?: RecordedRequest;
  /** Cost of whatever usage a failed request reported (priced apart from the cache model). */
  failureCost?: CostView;
  local?: boolean;
  error?: BackendError;
  toolCalls?: ToolCallRecord[];
  priceTable: string;
}

const ZERO: Usage = { input_tokens: 0, output_tokens: 0 };

function outcomeOf(input: RecordInput): RequestOutcome {
  if (input.local) return 'local';
  const kind = input.error?.kind ?? input.result?.error?.kind;
  if (kind === 'aborted') return 'aborted';
  return kind ? 'failed' : 'ok';
}

function reportedUsage(result: SendResult | undefined, local: boolean): Usage | undefined {
  if (!result || local) return undefined;
  const u = result.usage;
  const any = u.input_tokens + u.output_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) > 0;
  return any || !result.error ? u : undefined;
}

export function buildRecord(input: RecordInput): RequestRecord {
  const outcome = outcomeOf(input);
  const local = outcome === 'local';
  const usage = reportedUsage(input.result, local);
  const error = input.error ?? input.result?.error;
  const cost = outcome === 'ok' ? input.recorded?.cost : usage ? input.failureCost : undefined;
  const predicted = input.planned.predicted;
  const shape = input.recorded?.shape ?? input.planned.shape;
  // Writes reported without a 5m/1h split count at the TTL the last breakpoint asked for, as the cost does.
  const ttl = shape.breakpoints[shape.breakpoints.length - 1]?.ttl ?? '5m';
  return {
    v: RECORD_SCHEMA,
    ...input.ids,
    kind: input.kind,
    mode: input.mode,
    atMs: input.atMs,
    ...(input.cacheAtMs !== undefined && input.cacheAtMs !== input.atMs ? { cacheAtMs: input.cacheAtMs } : {}),
    ...(input.planned.bust ? { bust: true as const } : {}),
    prompt: input.planned.prompt,
    model: input.planned.model,
    backend: input.backend,
    outcome,
    ...(usage ? { usage } : {}),
    buckets: usageBuckets(usage ?? ZERO, ttl),
    ...(cost ? { cost: { ...cost, priceTable: input.priceTable } } : {}),
    ...(outcome === 'ok' && !cost && input.recorded?.costError ? { costError: input.recorded.costError } : {}),
    ...(predicted ? { predicted: { buckets: usageBuckets(predicted.usage, ttl), costUsd: predicted.costUsd } } : {}),
    // A failure is not a miss: only answered requests are explained.
    ...(outcome === 'ok' && input.recorded ? { explanation: input.recorded.explanation } : {}),
    ttftMs: local ? null : (input.result?.ttftMs ?? null),
    totalMs: local ? 0 : (input.result?.totalMs ?? 0),
    stopReason: input.result?.stopReason ?? null,
    toolCalls: input.toolCalls ?? [],
    ...(error ? { error: { kind: error.kind, ...(error.status !== undefined ? { status: error.status } : {}), message: error.message } } : {}),
    ...(input.result && !local ? { requestId: input.result.requestId, messageId: input.result.messageId } : {}),
    shape,
  };
}

/** A record of a request that went nowhere because planning or the backend failed before sending. */
export function unsentResult(error: BackendError): SendResult {
  return { content: [], text: '', stopReason: null, usage: { ...ZERO }, ttftMs: null, totalMs: 0, requestId: null, messageId: null, model: null, partial: false, error };
}
