// RequestRecord v1: what one request did and what was expected of it. Every request the product
// makes (send, agent step, pre-warm) ends as one record, built in core/session/records.ts; the
// panel, status bar, ledger, metrics and reports all read records and never rebuild them.
// A record holds numbers and hashes only, never prompt or answer text (that lives in transcripts),
// so deleting text never loses numbers and a ledger can be shared.
import type { CacheTtl, Usage } from '../../shared/anthropic';
import type { BackendErrorKind, BackendKind, CostView, RunMode } from '../ports';

export const RECORD_SCHEMA = 1;

export type RequestKind = 'send' | 'agent-step' | 'prewarm';

/**
 * `ok`: answered by the API (or emulator); `local`: answered by the local response cache (no
 * request, no cost); `failed`: no usable answer (never a cache miss); `aborted`: cancelled.
 */
export type RequestOutcome = 'ok' | 'local' | 'failed' | 'aborted';

export type ShapeTier = 'tools' | 'system' | 'context' | 'conversation';

/** Usage per bucket; writes without a 5m/1h split count at the requested TTL, as the cost does. */
export interface UsageBucketsView {
  input: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  output: number;
}

/** One block of the request in prefix order (tools, system, messages): enough to replay it under another strategy. */
export interface ShapeBlock {
  tier: ShapeTier;
  /** Estimated tokens of this block (o200k, calibrated). */
  tokens: number;
  /** Hash of the prefix up to and including this block (same prefix, same hash). */
  prefixHash: string;
}

export interface ShapeBreakpoint {
  blockIndex: number;
  ttl: CacheTtl;
}

export interface RequestShape {
  blocks: ShapeBlock[];
  breakpoints: ShapeBreakpoint[];
}

export interface ToolCallRecord {
  name: string;
  isError: boolean;
  /** Bytes of the JSON input and of the result text (no text itself). */
  inputBytes: number;
  resultBytes: number;
}

export interface RequestRecord {
  v: typeof RECORD_SCHEMA;
  /** Unique id of this record. */
  id: string;
  kind: RequestKind;
  mode: RunMode;
  sessionId: string;
  conversationId: string;
  /** 1-based user turn of the conversation (pre-warm: 0). */
  turn: number;
  /** 0-based request within the turn (an agent loop's step; chat: 0). */
  step: number;
  /** Epoch ms the request started (wall clock). */
  atMs: number;
  /**
   * The start on the clock of the backend's cache, when that differs from `atMs`: the offline
   * emulator's virtual clock after "advance the clock". Cache expiries count from it.
   */
  cacheAtMs?: number;
  /** The request carried a one-off cache-bust nonce (Clear Caches…): its miss was asked for. */
  bust?: true;
  prompt: { id: string; path: string; version: { tools: string; system: string; context: string } };
  model: string;
  backend: { kind: BackendKind; cacheScope: string };
  outcome: RequestOutcome;
  /** Usage exactly as returned (absent when the request failed before any usage arrived). */
  usage?: Usage;
  buckets: UsageBucketsView;
  /** Cost per bucket and in total, with the price table's version; absent when not priced (`costError`). */
  cost?: CostView & { priceTable: string };
  costError?: string;
  predicted?: { buckets: UsageBucketsView; costUsd?: number };
  /** Why it hit or missed (absent for failures: a failure is not a miss). */
  explanation?: { kind: string; sentence: string; tokensMissed?: number };
  ttftMs: number | null;
  totalMs: number;
  stopReason: string | null;
  toolCalls: ToolCallRecord[];
  error?: { kind: BackendErrorKind | 'plan'; status?: number; message: string };
  requestId?: string | null;
  messageId?: string | null;
  shape: RequestShape;
}

/** When the request reached the cache, on the cache's own clock (see `cacheAtMs`). */
export const cacheTimeOf = (r: Pick<RequestRecord, 'atMs' | 'cacheAtMs'>): number => r.cacheAtMs ?? r.atMs;
