// The contract between the host and a backend (the Anthropic SDK adapter, or the same adapter
// pointed at the offline emulator). Free of the SDK so the host can import it at activation.
import type { CacheTtl, ContentBlock, Diagnostics, MessagesRequest, Usage } from '../shared/anthropic';
import type { CostResult } from '../core/cost/cost';

export type BackendErrorKind =
  | 'auth'
  | 'rate_limit'
  | 'spend_cap'
  | 'overloaded'
  | 'server'
  | 'bad_request'
  | 'too_large'
  | 'not_found'
  | 'connection'
  | 'timeout'
  | 'aborted'
  | 'stream'
  | 'unknown';

export type BackendAction = 'setApiKey' | 'openSettings' | 'retry';

/** An error already made safe to show: actionable text, the API key redacted. */
export interface BackendError {
  kind: BackendErrorKind;
  status?: number;
  message: string;
  action?: BackendAction;
  /** Seconds to wait before retrying, from `retry-after`. */
  retryAfterS?: number;
  requestId?: string;
  /** Anthropic's `error.type`, when the API gave one. */
  apiErrorType?: string;
}

export interface SendHandlers {
  signal?: AbortSignal;
  onText?(delta: string, snapshot: string): void;
  onUsage?(usage: Usage): void;
}

export interface SendResult {
  content: ContentBlock[];
  text: string;
  stopReason: string | null;
  usage: Usage;
  /** Milliseconds from send to the first content delta; null when none arrived. */
  ttftMs: number | null;
  totalMs: number;
  requestId: string | null;
  /** From `message_start` (spec §1.9); undefined when not requested. */
  diagnostics?: Diagnostics | null;
  messageId: string | null;
  model: string | null;
  /** True when a started stream ended early (error event, dropped connection, abort); content and usage are what arrived. */
  partial: boolean;
  error?: BackendError;
}

export interface PrewarmResult {
  usage: Usage;
  requestId: string | null;
  /** The request actually sent (max_tokens 0, explicit breakpoint, forbidden fields stripped). */
  sent: MessagesRequest;
  /** TTL of the breakpoint placed on the last shared block. */
  ttl: CacheTtl;
  /** Where that breakpoint went, e.g. `system[0]`. */
  breakpoint: string;
  /** Fields removed because spec §1.8 rejects them with max_tokens 0. */
  stripped: string[];
  /** Tokens written: max(cache_creation_input_tokens, 5m + 1h), nulls as 0 (spec §4.1). */
  written: number;
  /** Present when the backend was given a model table. */
  cost?: CostResult;
}

export interface Backend {
  readonly baseURL: string;
  send(request: MessagesRequest, handlers?: SendHandlers): Promise<SendResult>;
  countTokens(request: MessagesRequest, signal?: AbortSignal): Promise<number>;
  prewarm(request: MessagesRequest, signal?: AbortSignal): Promise<PrewarmResult>;
}

/** Thrown by countTokens / prewarm (send never throws: it returns `error`). */
export class BackendFailure extends Error {
  constructor(readonly error: BackendError) {
    super(error.message);
    this.name = 'BackendFailure';
  }
}
