// The Anthropic backend: the official SDK, streamed, cancellable, with exact usage and errors
// a user can act on. The same code talks to the offline emulator through `baseURL`.
import type AnthropicType from '@anthropic-ai/sdk';
import type { MessagesRequest, Usage } from '../../shared/anthropic';
import type { ModelTable } from '../../core/models/types';
import { costOf } from '../../core/cost/cost';
import { cacheWriteTokens } from '../../core/cost/usage';
import { mapError, redactError } from '../errors';
import { createRedactor, type Redactor } from '../redact';
import { BackendFailure, type Backend, type BackendError, type PrewarmResult, type SendHandlers, type SendResult } from '../types';
import { raceAbort, untilAborted } from './abortable';
import { StreamAccumulator } from './accumulator';
import { buildPrewarmRequest } from './prewarm';
import { createSdkClient, DEFAULT_BASE_URL } from './sdk';

export interface AnthropicBackendOptions {
  apiKey: string;
  baseURL?: string;
  maxRetries?: number;
  timeoutMs?: number;
  useEnvironment?: boolean;
  /** Send `diagnostics.previous_message_id` (spec §1.9) and return `cache_miss_reason`. */
  diagnostics?: boolean;
  /** When given, pre-warm results carry their cost. */
  models?: ModelTable;
  /** The fetch the SDK uses (a proxy's, or a test's); the global one by default. */
  fetch?: typeof fetch;
  log?: (line: string) => void;
  now?: () => number;
}

export interface AnthropicSendHandlers extends SendHandlers {
  /** The previous message of this conversation, for cache diagnostics; defaults to the last one this backend saw. */
  previousMessageId?: string | null;
}

type Params = Parameters<AnthropicType['messages']['create']>[0];

const NO_KEY: BackendError = { kind: 'auth', action: 'setApiKey', message: "No Anthropic API key is set. Run 'Prompt Cache: Set API Key'." };

export function createAnthropicBackend(opts: AnthropicBackendOptions): Backend & { send(r: MessagesRequest, h?: AnthropicSendHandlers): Promise<SendResult> } {
  const redact: Redactor = createRedactor([opts.apiKey]);
  const baseURL = opts.baseURL || DEFAULT_BASE_URL;
  const now = opts.now ?? (() => performance.now());
  const log = (line: string) => opts.log?.(redact(line));
  let client: AnthropicType | undefined;
  let lastMessageId: string | null = null;
  const getClient = () => (client ??= createSdkClient({ ...opts, redact, log }));
  const ctx = (request?: MessagesRequest) => ({ baseURL, redact, request, maxRetries: opts.maxRetries ?? 2 });
  const needKey = () => !opts.apiKey && !opts.useEnvironment;

  function withDiagnostics(request: MessagesRequest, handlers: AnthropicSendHandlers): MessagesRequest {
    if (!opts.diagnostics || request.diagnostics) return request;
    const prev = handlers.previousMessageId !== undefined ? handlers.previousMessageId : lastMessageId;
    return { ...request, diagnostics: { previous_message_id: prev } };
  }

  /** Streams one request into `acc`; returns the request id, the first-delta time and any error. */
  async function stream(request: MessagesRequest, handlers: AnthropicSendHandlers, acc: StreamAccumulator, t0: number) {
    const out: { requestId: string | null; ttftMs: number | null; error?: BackendError } = { requestId: null, ttftMs: null };
    const aborted = () => mapError({ name: 'AbortError' }, ctx());
    const body = { ...withDiagnostics(request, handlers), stream: true } as unknown as Params;
    const signal = handlers.signal;
    // The SDK's stream may not end after an abort (and a fetch may ignore the signal): each
    // step is raced against the signal, and the request is aborted when the race is lost.
    const release = (s: unknown) => (s as { controller?: AbortController } | undefined)?.controller?.abort();
    try {
      const { data, request_id } = await raceAbort(getClient().messages.create(body, { signal }).withResponse(), signal, (late) => release(late.data));
      out.requestId = request_id ?? null;
      for await (const event of untilAborted(data as AsyncIterable<unknown>, signal, () => release(data))) {
        if (out.ttftMs === null && (event as { type?: string }).type === 'content_block_delta') out.ttftMs = now() - t0;
        acc.push(event);
      }
      // The SDK ends the iteration silently on abort, so the signal is checked here.
      if (handlers.signal?.aborted) out.error = aborted();
      else if (!acc.stopped) out.error = { kind: 'stream', action: 'retry', message: `The stream from ${baseURL} ended before message_stop; the partial answer was kept.` };
    } catch (err) {
      out.error = handlers.signal?.aborted ? aborted() : mapError(err, ctx(request));
      if (acc.started && (out.error.kind === 'unknown' || out.error.kind === 'connection')) {
        const why = (err as Error)?.message ?? 'no detail';
        out.error = { kind: 'stream', action: 'retry', message: `The connection to ${baseURL} dropped mid-stream after ${acc.eventCount} events (${why}); the partial answer was kept.` };
      }
    }
    if (out.requestId && out.error && !out.error.requestId) out.error = { ...out.error, requestId: out.requestId };
    return out;
  }

  async function send(request: MessagesRequest, handlers: AnthropicSendHandlers = {}): Promise<SendResult> {
    const t0 = now();
    const acc = new StreamAccumulator({ onText: handlers.onText, onUsage: handlers.onUsage });
    const streamed = needKey() ? { requestId: null, ttftMs: null, error: NO_KEY } : await stream(request, handlers, acc, t0);
    const { requestId, ttftMs } = streamed;
    // Errors built here quote the base URL too: every one leaves through the redactor.
    const error = streamed.error && redactError(streamed.error, redact);
    if (acc.messageId) lastMessageId = acc.messageId;
    if (error) log(`send failed: ${error.kind}${error.status ? ` ${error.status}` : ''}: ${error.message}${requestId ? ` (request-id ${requestId})` : ''}`);
    return {
      content: acc.content(),
      text: acc.text,
      stopReason: acc.stopReason,
      usage: acc.usage ?? { input_tokens: 0, output_tokens: 0 },
      ttftMs,
      totalMs: now() - t0,
      requestId,
      ...(acc.diagnostics !== undefined ? { diagnostics: acc.diagnostics } : {}),
      messageId: acc.messageId,
      model: acc.model,
      partial: error !== undefined && acc.started,
      ...(error ? { error } : {}),
    };
  }

  async function countTokens(request: MessagesRequest, signal?: AbortSignal): Promise<number> {
    if (needKey()) throw new BackendFailure(NO_KEY);
    // count_tokens takes no max_tokens / stream / diagnostics (spec §5.1).
    const { max_tokens: _m, stream: _s, diagnostics: _d, stop_sequences: _q, metadata: _x, ...params } = request;
    try {
      const res = await raceAbort(getClient().messages.countTokens(params as never, { signal }), signal);
      return res.input_tokens;
    } catch (err) {
      throw new BackendFailure(mapError(err, ctx(request)));
    }
  }

  async function prewarm(request: MessagesRequest, signal?: AbortSignal): Promise<PrewarmResult> {
    if (needKey()) throw new BackendFailure(NO_KEY);
    const plan = buildPrewarmRequest(request);
    try {
      const { data, request_id } = await raceAbort(getClient().messages.create(plan.request as unknown as Params, { signal }).withResponse(), signal);
      const usage = (data as unknown as { usage: Usage }).usage;
      const model = opts.models?.tryResolve(request.model);
      const written = cacheWriteTokens(usage);
      log(`pre-warm ${request.model}: wrote ${written} tokens (${plan.ttl}) at ${plan.breakpoint}`);
      return { usage, requestId: request_id ?? null, sent: plan.request, ttl: plan.ttl, breakpoint: plan.breakpoint, stripped: plan.stripped, written, ...(model ? { cost: costOf(usage, model, { requestedTtl: plan.ttl }) } : {}) };
    } catch (err) {
      throw new BackendFailure(mapError(err, ctx(plan.request)));
    }
  }

  return { baseURL, send, countTokens, prewarm };
}
