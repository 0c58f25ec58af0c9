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

/** Delays stay under the SDK's default 10-minute timeout (and far under setTimeout's 2^31 ms). */
const MAX_DELAY_MS = 600_000;
const MAX_FAULTS = 1000;

/** [min, max, integer?] for each numeric field; each is refused outside its range. */
const NUMERIC: Record<string, [number, number, boolean]> = {
  // An error answer: a 4xx or 5xx. 0, 200 or 99999 would make no sense to any client.
  status: [400, 599, true],
  retryAfterS: [0, 86_400, false],
  retryAfterMs: [0, MAX_DELAY_MS, false],
  latencyMs: [0, MAX_DELAY_MS, false],
  ttftMs: [0, MAX_DELAY_MS, false],
  eventDelayMs: [0, MAX_DELAY_MS, false],
  dropAfterEvents: [0, 1_000_000, true],
  errorAfterEvents: [0, 1_000_000, true],
  count: [1, 1_000_000, true],
};

function checkNumber(where: string, v: unknown, [min, max, integer]: [number, number, boolean]): void {
  const ok = typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v));
  if (!ok) throw new Error(`${where}: expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(v) ?? String(v)}`);
}

function checkText(where: string, v: unknown, pattern: RegExp, what: string): void {
  if (v !== undefined && (typeof v !== 'string' || !pattern.test(v))) throw new Error(`${where}: expected ${what}`);
}

function parseFault(f: unknown, i: number): EmulatorFault {
  if (!f || typeof f !== 'object' || Array.isArray(f)) throw new Error(`faults[${i}]: expected an object`);
  const o = f as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) throw new Error(`faults[${i}].${k}: unknown field (known: ${[...KNOWN].join(', ')})`);
  for (const [k, range] of Object.entries(NUMERIC)) if (o[k] !== undefined) checkNumber(`faults[${i}].${k}`, o[k], range);
  checkText(`faults[${i}].errorType`, o.errorType, /^[a-z][a-z0-9_]{0,63}$/, 'an error type such as overloaded_error');
  checkText(`faults[${i}].message`, o.message, /^[\s\S]{0,2000}$/, 'a string of at most 2000 characters');
  if (o.endpoint !== undefined && !['messages', 'count_tokens', 'any'].includes(o.endpoint as string)) throw new Error(`faults[${i}].endpoint: expected messages, count_tokens or any`);
  return { ...(o as EmulatorFault) };
}

/** Validates faults from JSON; throws an Error naming the bad field. */
export function parseFaults(value: unknown): EmulatorFault[] {
  const list = value === null ? [] : Array.isArray(value) ? value : typeof value === 'object' && value && 'faults' in value ? (value as { faults: unknown }).faults : [value];
  if (!Array.isArray(list)) throw new Error('faults: expected a fault object, a list of them, or {"faults": [...]}');
  if (list.length > MAX_FAULTS) throw new Error(`faults: at most ${MAX_FAULTS} faults, got ${list.length}`);
  return list.map(parseFault);
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
