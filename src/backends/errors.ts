// Turns whatever the SDK (or fetch) threw into a BackendError a user can act on.
// Duck-typed on the SDK's error fields so this module never loads the SDK.
import type { MessagesRequest } from '../shared/anthropic';
import type { BackendError } from './types';
import type { Redactor } from './redact';
import { requestHints } from './hints';

export interface ErrorContext {
  baseURL: string;
  redact: Redactor;
  request?: MessagesRequest;
  /** Retries the client was allowed (for "after N retries" wording). */
  maxRetries?: number;
}

interface SdkLikeError {
  name?: string;
  message?: string;
  status?: number;
  headers?: { get(name: string): string | null } | undefined;
  requestID?: string | null;
  apiMessage?: string | null;
  type?: string | null;
  cause?: unknown;
  error?: unknown;
}

function className(err: unknown): string {
  return (err as { constructor?: { name?: string } })?.constructor?.name ?? '';
}

/** `retry-after` in seconds (number or HTTP date); undefined when absent or unparseable. */
export function parseRetryAfter(headers: SdkLikeError['headers'], nowMs = Date.now()): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(parseFloat(ms))) return parseFloat(ms) / 1000;
  const v = headers?.get('retry-after');
  if (!v) return undefined;
  const s = parseFloat(v);
  if (Number.isFinite(s)) return s;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, (at - nowMs) / 1000) : undefined;
}

function causeText(err: SdkLikeError): string {
  const c = err.cause as { code?: string; message?: string; cause?: { code?: string; message?: string } } | undefined;
  return c?.cause?.code ?? c?.code ?? c?.cause?.message ?? c?.message ?? '';
}

/**
 * A copy of `error` whose user-facing text passed `redact`: the one exit every backend error
 * takes, so no message (the base URL it quotes included: gateways put keys in URLs) skips it.
 */
export function redactError(error: BackendError, redact: Redactor): BackendError {
  return { ...error, message: redact(error.message) };
}

export function mapError(err: unknown, ctx: ErrorContext): BackendError {
  return redactError(classify(err, ctx), ctx.redact);
}

function classify(err: unknown, ctx: ErrorContext): BackendError {
  const e = (err ?? {}) as SdkLikeError;
  const name = className(err) || e.name || '';
  const requestId = e.requestID ?? e.headers?.get('request-id') ?? undefined;
  const base = requestId ? { requestId } : {};
  if (name === 'APIUserAbortError' || e.name === 'AbortError') {
    return { kind: 'aborted', message: 'Request cancelled.' };
  }
  if (name === 'APIConnectionTimeoutError') {
    return { kind: 'timeout', message: `Anthropic did not answer in time (${ctx.baseURL}). Increase the timeout setting or try again.`, action: 'retry' };
  }
  if (name === 'APIConnectionError') {
    const why = causeText(e);
    return {
      kind: 'connection',
      message: `Could not connect to ${ctx.baseURL}${why ? ` (${why})` : ''}. Check the base URL setting and your network.`,
      action: 'openSettings',
    };
  }
  if (typeof e.status === 'number') return { ...base, ...statusError(e, ctx) };
  if (name === 'APIError' || e.type) {
    // An `event: error` inside a 200 stream (status undefined); not retried by the SDK.
    const msg = e.apiMessage ?? e.message ?? 'stream error';
    return { ...base, kind: e.type === 'overloaded_error' ? 'overloaded' : 'stream', apiErrorType: e.type ?? undefined, message: `Anthropic sent an error mid-stream (${e.type ?? 'error'}): ${msg}. The partial answer was kept.`, action: 'retry' };
  }
  return { ...base, kind: 'unknown', message: `Request failed: ${e.message ?? String(err)}` };
}

function statusError(e: SdkLikeError, ctx: ErrorContext): BackendError {
  const status = e.status as number;
  // Redacted already here: the hints below quote it too.
  const apiMsg = ctx.redact(e.apiMessage ?? e.message ?? `HTTP ${status}`);
  const apiErrorType = e.type ?? undefined;
  const retries = ctx.maxRetries ?? 2;
  const common = { status, apiErrorType };
  if (status === 401) return { ...common, kind: 'auth', action: 'setApiKey', message: "Anthropic rejected the API key (401). Run 'Prompt Cache: Set API Key'." };
  if (status === 403) return { ...common, kind: 'auth', action: 'setApiKey', message: `The API key is not allowed to do this (403): ${apiMsg}` };
  if (status === 402) return { ...common, kind: 'spend_cap', message: `Anthropic reports a billing problem (402): ${apiMsg}. Check billing in the Anthropic Console.` };
  if (status === 429) {
    const wait = parseRetryAfter(e.headers);
    if (wait === undefined) {
      return { ...common, kind: 'spend_cap', message: `Anthropic returned 429 without retry-after: most likely a spend cap, which keeps failing until the limit is raised or resets. ${apiMsg}` };
    }
    return { ...common, kind: 'rate_limit', action: 'retry', retryAfterS: wait, message: `Rate limited by Anthropic (429); retry after ${wait} s (the SDK already retried ${retries} time(s)). ${apiMsg}` };
  }
  if (status === 413) return { ...common, kind: 'too_large', message: `The request is too large for Anthropic (413; the Messages limit is 32 MB). Remove large documents or images. ${apiMsg}` };
  if (status === 529) return { ...common, kind: 'overloaded', action: 'retry', message: `Anthropic is overloaded (529) and still was after ${retries} retries. Try again in a moment.` };
  if (status >= 500) return { ...common, kind: 'server', action: 'retry', message: `Anthropic had a server error (${status}) after ${retries} retries: ${apiMsg}` };
  if (status === 404) return { ...common, kind: 'not_found', message: `Not found (404): ${apiMsg}. Check the model id and the base URL (${ctx.baseURL}).` };
  if (status === 400 && /credit balance|spend limit/i.test(apiMsg)) return { ...common, kind: 'spend_cap', message: `Anthropic refused the request: ${apiMsg}` };
  const hints = ctx.request ? requestHints(ctx.request, apiMsg) : [];
  const hint = hints.length ? ` Likely cause in our request: ${hints.join(' ')}` : '';
  return { ...common, kind: 'bad_request', message: `Anthropic rejected the request (${status}): ${apiMsg}.${hint}` };
}
