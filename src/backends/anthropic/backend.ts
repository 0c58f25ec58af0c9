// The Anthropic backend: the official SDK, streamed, cancellable, with exact usage and errors
// a user can act on. The same code talks to the offline emulator through `baseURL`.
import type AnthropicType from '@anthropic-ai/sdk';
import type { MessagesRequest, Usage } from '../../shared/anthropic';
import type { ModelTable } from '../../core/models/types';
import { costOf } from '../../core/cost/cost';
import { mapError } from '../errors';
import { createRedactor, type Redactor } from '../redact';
import { BackendFailure, type Backend, type BackendError, type PrewarmResult, type SendHandlers, type SendResult } from '../types';
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

  async function send(request: MessagesRequest, handlers: AnthropicSendHandlers = {}): Promise<SendResult> {
    const t0 = now();
    let ttftMs: number | null = null;
    const acc = new StreamAccumulator({ onText: handlers.onText, onUsage: handlers.onUsage });
    let requestId: string | null = null;
    let error: BackendError | undefined;
    const body = { ...withDiagnostics(request, handlers), stream: true } as unknown as Params;
    if (needKey()) error = NO_KEY;
    else {
      try {
        const { data, request_id } = await getClient().messages.create(body, { signal: handlers.signal }).withResponse();
        requestId = request_id ?? null;
        for await (const event of data as AsyncIterable<unknown>) {
          if (ttftMs === null && (event as { type?: string }).type === 'content_block_delta') ttftMs = now() - t0;
          acc.push(event);
        }
        if (handlers.signal?.aborted) error = mapError({ name: 'AbortError' }, ctx());
        else if (!acc.stopped) error = { kind: 'stream', message: `The stream from ${baseURL} ended before message_stop; the partial answer was kept.`, action: 'retry' };
      } catch (err) {
        error = handlers.signal?.aborted ? mapError({ name: 'AbortError' }, ctx()) : mapError(err, ctx(request));
        if (acc.started && (error.kind === 'unknown' || error.kind === 'connection')) {
          error = { kind: 'stream', action: 'retry', message: redact(`The connection to ${baseURL} dropped mid-stream after ${acc.eventCount} events (${(err as Error)?.message ?? 'no detail'}); the partial answer was kept.`) };
        }
      }
    }
    if (requestId && error && !error.requestId) error = { ...error, requestId };
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
      partial: error !== undefined,
      ...(error ? { error } : {}),
    };
  }

  async function countTokens(request: MessagesRequest, signal?: AbortSignal): Promise<number> {
    if (needKey()) throw new BackendFailure(NO_KEY);
    // count_tokens takes no max_tokens / stream / diagnostics (spec §5.1).
    const { max_tokens: _m, stream: _s, diagnostics: _d, stop_sequences: _q, metadata: _x, ...params } = request;
    try {
      const res = await getClient().messages.countTokens(params as never, { signal });
      return res.input_tokens;
    } catch (err) {
      throw new BackendFailure(mapError(err, ctx(request)));
    }
  }

  async function prewarm(request: MessagesRequest, signal?: AbortSignal): Promise<PrewarmResult> {
    if (needKey()) throw new BackendFailure(NO_KEY);
    const plan = buildPrewarmRequest(request);
    try {
      const { data, request_id } = await getClient().messages.create(plan.request as unknown as Params, { signal }).withResponse();
      const usage = (data as unknown as { usage: Usage }).usage;
      const model = opts.models?.tryResolve(request.model);
      const written = Math.max(usage.cache_creation_input_tokens ?? 0, (usage.cache_creation?.ephemeral_5m_input_tokens ?? 0) + (usage.cache_creation?.ephemeral_1h_input_tokens ?? 0));
      log(`pre-warm ${request.model}: wrote ${written} tokens (${plan.ttl}) at ${plan.breakpoint}`);
      return { usage, requestId: request_id ?? null, sent: plan.request, ttl: plan.ttl, breakpoint: plan.breakpoint, stripped: plan.stripped, written, ...(model ? { cost: costOf(usage, model, { requestedTtl: plan.ttl }) } : {}) };
    } catch (err) {
      throw new BackendFailure(mapError(err, ctx(plan.request)));
    }
  }

  return { baseURL, send, countTokens, prewarm };
}
