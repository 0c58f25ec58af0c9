// Faults the emulator injects on demand (tests, demos). Applied in order: each fault serves the
// next `count` matching requests, then the next fault takes over.

export interface EmulatorFault {
  /** Answer with this HTTP status and Anthropic's error JSON instead of a message. */
  status?: number;
  /** Overrides the error type derived from the status. */
  errorType?: string;
  message?: string;
  /** `retry-after` header in seconds. */
  retryAfterS?: number;
  /** `retry-after-ms` header (the SDK honours it before `retry-after`). */
  retryAfterMs?: number;
  /** Delay before the response starts (real time). */
  latencyMs?: number;
  /** Streaming: delay before the first content delta (real time). */
  ttftMs?: number;
  /** Streaming: delay between consecutive SSE events (real time). */
  eventDelayMs?: number;
  /** Streaming: destroy the socket after this many SSE events. */
  dropAfterEvents?: number;
  /** Streaming: send an `error` event after this many events, then end the stream. */
  errorAfterEvents?: number;
  /** How many requests this fault applies to (default 1). */
  count?: number;
  /** Which endpoint it applies to (default messages). */
  endpoint?: 'messages' | 'count_tokens' | 'any';
}

const KNOWN = new Set(['status', 'errorType', 'message', 'retryAfterS', 'retryAfterMs', 'latencyMs', 'ttftMs', 'eventDelayMs', 'dropAfterEvents', 'errorAfterEvents', 'count', 'endpoint']);
const NUMERIC = ['status', 'retryAfterS', 'retryAfterMs', 'latencyMs', 'ttftMs', 'eventDelayMs', 'dropAfterEvents', 'errorAfterEvents', 'count'] as const;

/** Validates faults from JSON; throws an Error naming the bad field. */
export function parseFaults(value: unknown): EmulatorFault[] {
  const list = value === null ? [] : Array.isArray(value) ? value : typeof value === 'object' && value && 'faults' in value ? (value as { faults: unknown }).faults : [value];
  if (!Array.isArray(list)) throw new Error('faults: expected a fault object, a list of them, or {"faults": [...]}');
  return list.map((f, i) => {
    if (!f || typeof f !== 'object' || Array.isArray(f)) throw new Error(`faults[${i}]: expected an object`);
    for (const k of Object.keys(f)) if (!KNOWN.has(k)) throw new Error(`faults[${i}].${k}: unknown field (known: ${[...KNOWN].join(', ')})`);
    for (const k of NUMERIC) {
      const v = (f as Record<string, unknown>)[k];
      if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) throw new Error(`faults[${i}].${k}: expected a non-negative number`);
    }
    const ep = (f as EmulatorFault).endpoint;
    if (ep !== undefined && !['messages', 'count_tokens', 'any'].includes(ep)) throw new Error(`faults[${i}].endpoint: expected messages, count_tokens or any`);
    return { ...(f as EmulatorFault) };
  });
}

export class FaultQueue {
  private queue: Array<EmulatorFault & { remaining: number }> = [];

  set(faults: EmulatorFault[]): void {
    this.queue = faults.map((f) => ({ ...f, remaining: f.count ?? 1 }));
  }

  /** Takes the fault for the next request on `endpoint`, if any. */
  take(endpoint: 'messages' | 'count_tokens'): EmulatorFault | undefined {
    const idx = this.queue.findIndex((f) => {
      const ep = f.endpoint ?? 'messages';
      return f.remaining > 0 && (ep === 'any' || ep === endpoint);
    });
    const fault = this.queue[idx];
    if (!fault) return undefined;
    fault.remaining--;
    if (fault.remaining <= 0) this.queue.splice(idx, 1);
    return fault;
  }

  pending(): number {
    return this.queue.reduce((n, f) => n + f.remaining, 0);
  }
}

export const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

export const DEFAULT_MESSAGES: Record<string, string> = {
  invalid_request_error: 'Invalid request.',
  authentication_error: 'invalid x-api-key',
  billing_error: 'Your credit balance is too low to access the Anthropic API.',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  not_found_error: 'The requested resource could not be found.',
  conflict_error: 'Conflict.',
  request_too_large: 'Request exceeds the maximum allowed number of bytes.',
  rate_limit_error: 'This request would exceed your rate limit. Please try again later.',
  api_error: 'Internal server error',
  timeout_error: 'Request timed out',
  overloaded_error: 'Overloaded',
};

export function errorTypeFor(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}
