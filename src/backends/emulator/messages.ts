// POST /v1/messages and /v1/messages/count_tokens of the emulator. Usage comes from the shared
// cache simulator, committed at the START of the request on the virtual clock (spec §1.5: the
// lifetime starts when the request starts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MessagesRequest, Usage } from '../../shared/anthropic';
import type { CacheSimulator } from '../../core/cache/types';
import type { ModelTable } from '../../core/models/types';
import { checkAuth, checkRequest, parseBody, type ApiFailure } from './checks';
import { DiagnosticsMemory } from './diagnostics';
import { DEFAULT_MESSAGES, errorTypeFor, type EmulatorFault, type FaultQueue } from './faults';
import { planTurn, type EmulatorScript } from './script';
import { formatSse, messageJson, streamEvents, type MessageMeta, type SseEvent } from './sse';

export interface EmulatorCore {
  models: ModelTable;
  sim: CacheSimulator;
  faults: FaultQueue;
  diagnostics: DiagnosticsMemory;
  nowMs(): number;
  nextId(prefix: 'msg' | 'toolu'): string;
  script: { value?: EmulatorScript; cursor: number };
  sleep(ms: number): Promise<void>;
}

export function sendError(res: ServerResponse, requestId: string, f: ApiFailure, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ type: 'error', error: { type: f.type, message: f.message }, request_id: requestId });
  res.writeHead(f.status, { 'content-type': 'application/json', 'request-id': requestId, ...headers });
  res.end(body);
}

function faultFailure(f: EmulatorFault): { failure: ApiFailure; headers: Record<string, string> } | undefined {
  if (f.status === undefined) return undefined;
  const type = f.errorType ?? errorTypeFor(f.status);
  const headers: Record<string, string> = {};
  if (f.retryAfterS !== undefined) headers['retry-after'] = String(f.retryAfterS);
  if (f.retryAfterMs !== undefined) headers['retry-after-ms'] = String(f.retryAfterMs);
  return { failure: { status: f.status, type, message: f.message ?? DEFAULT_MESSAGES[type] ?? 'Error' }, headers };
}

function withServiceFields(usage: Usage, req: MessagesRequest, outputTokens: number): Usage {
  return {
    ...usage,
    cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
    cache_creation: usage.cache_creation ?? { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokens,
    service_tier: 'standard',
    inference_geo: req.inference_geo ?? 'global',
  };
}

/** Common front: fault latency, auth, JSON, validation. Returns the request or undefined when answered. */
async function admit(core: EmulatorCore, req: IncomingMessage, res: ServerResponse, raw: string, requestId: string, kind: 'create' | 'count') {
  const fault = core.faults.take(kind === 'create' ? 'messages' : 'count_tokens');
  if (fault?.latencyMs) await core.sleep(fault.latencyMs);
  const auth = checkAuth(req.headers);
  if (auth) return sendError(res, requestId, auth);
  const ff = fault && faultFailure(fault);
  if (ff) return sendError(res, requestId, ff.failure, ff.headers);
  const parsed = parseBody(raw);
  if (parsed.failure || !parsed.body) return sendError(res, requestId, parsed.failure as ApiFailure);
  const version = req.headers['anthropic-version'];
  const failure = checkRequest({ ...parsed, body: parsed.body }, kind, Array.isArray(version) ? version[0] : version, core.models);
  if (failure) return sendError(res, requestId, failure);
  return { request: parsed.body as unknown as MessagesRequest, fault };
}

export async function handleCountTokens(core: EmulatorCore, req: IncomingMessage, res: ServerResponse, raw: string, requestId: string): Promise<void> {
  const admitted = await admit(core, req, res, raw, requestId, 'count');
  if (!admitted) return;
  // count_tokens ignores caching (spec §5.1): predict() changes nothing; only the total is used.
  // That total includes the tool-use system prompt overhead (§3.2), as count_tokens does.
  const total = core.sim.predict(admitted.request, core.nowMs()).totalInputTokens;
  res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
  res.end(JSON.stringify({ input_tokens: total }));
}

/** The API refuses a prompt longer than the model's context window (a 400 before any caching). */
function promptTooLong(core: EmulatorCore, request: MessagesRequest): ApiFailure | null {
  const window = core.models.resolve(request.model).contextWindow;
  const total = core.sim.predict(request, core.nowMs()).totalInputTokens;
  return total > window ? { status: 400, type: 'invalid_request_error', message: `prompt is too long: ${total} tokens > ${window} maximum` } : null;
}

export async function handleMessages(core: EmulatorCore, req: IncomingMessage, res: ServerResponse, raw: string, requestId: string): Promise<void> {
  const admitted = await admit(core, req, res, raw, requestId, 'create');
  if (!admitted) return;
  const { request, fault } = admitted;
  const tooLong = promptTooLong(core, request);
  if (tooLong) return sendError(res, requestId, tooLong);
  const model = core.models.resolve(request.model);
  const outcome = core.sim.commit(request, core.nowMs());
  const scripted = request.max_tokens === 0 ? undefined : core.script.value?.turns[core.script.cursor];
  if (scripted) core.script.cursor++;
  const turn = request.max_tokens === 0 ? { content: [], outputTokens: 0, stopReason: 'max_tokens' } : planTurn(request, scripted, () => core.nextId('toolu'));
  const meta: MessageMeta = {
    id: core.nextId('msg'),
    model: model.id,
    usage: withServiceFields(outcome.usage, request, 0),
    diagnostics: core.diagnostics.diagnose(request, model.id, outcome.usage.cache_read_input_tokens ?? 0),
  };
  core.diagnostics.remember(meta.id, { ...request, model: model.id }, outcome.totalInputTokens);
  if (!request.stream) {
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
    res.end(JSON.stringify(messageJson(meta, turn)));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'request-id': requestId });
  await streamTurn(core, res, streamEvents(meta, turn), fault, turn.eventDelayMs);
}

/** Writes one event and waits for the flush, so a later drop fault cuts after these bytes. */
function writeFlushed(res: ServerResponse, event: SseEvent): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('close', done);
      resolve();
    };
    res.once('close', done); // a write to a closed socket may never call back
    res.write(formatSse(event), () => done());
  });
}

/** `scriptedDelayMs`: the script turn's own pace; a fault's eventDelayMs takes precedence. */
async function streamTurn(core: EmulatorCore, res: ServerResponse, events: SseEvent[], fault: EmulatorFault | undefined, scriptedDelayMs?: number): Promise<void> {
  const eventDelayMs = fault?.eventDelayMs ?? scriptedDelayMs;
  let sent = 0;
  let firstDelta = true;
  for (const event of events) {
    if (fault?.dropAfterEvents !== undefined && sent >= fault.dropAfterEvents) {
      res.socket?.destroy();
      return;
    }
    if (fault?.errorAfterEvents !== undefined && sent >= fault.errorAfterEvents) {
      const type = fault.errorType ?? 'overloaded_error';
      res.end(formatSse({ event: 'error', data: { type: 'error', error: { type, message: fault.message ?? DEFAULT_MESSAGES[type] ?? 'Error' } } }));
      return;
    }
    if (firstDelta && event.event === 'content_block_delta' && fault?.ttftMs) {
      firstDelta = false;
      await core.sleep(fault.ttftMs);
    }
    if (eventDelayMs && sent > 0) await core.sleep(eventDelayMs);
    if (res.destroyed || res.socket?.destroyed) return; // the client went away (abort)
    await writeFlushed(res, event);
    sent++;
  }
  res.end();
}
