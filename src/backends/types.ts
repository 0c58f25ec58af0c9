// The contract between the host and a backend (the Anthropic SDK adapter, or the same adapter
// pointed at the offline emulator). Free of the SDK so the host can import it at activation.
import type { CacheTtl, MessagesRequest, Usage } from '../shared/anthropic';
import type { CostResult } from '../core/cost/cost';

import type { BackendError, SendHandlers, SendResult } from '../core/ports';

export type { BackendAction, BackendError, BackendErrorKind, SendHandlers, SendResult } from '../core/ports';

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
