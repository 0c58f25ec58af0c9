// One turn of a conversation: a loop of requests until the model stops. Chat mode is the same loop
// with tools never run. Each request: plan (through the forecaster, which places the rolling
// conversation breakpoint and the look-back anchor, so every step reads what the previous wrote) →
// a local answer when allowed → send (streaming, cancellable) → record. Only answered requests
// move the cache model; a failure is recorded as a failure and ends the turn.
import type { ContentBlock, MessageParam, ToolResultBlock, ToolUseBlock } from '../../shared/anthropic';
import type { RequestRecord, ToolCallRecord } from '../ledger/record';
import type { BackendError, BackendPort, PlannedRequest, RunMode, SendResult, ToolCall, ToolOutput } from '../ports';
import type { RunnerDeps } from './runnerDeps';
import { buildRecord, unsentResult } from './records';
import { abortedStop, failedStop, iterationLimitStop, stopOf, type TurnStop } from './stops';

export const DEFAULT_MAX_ITERATIONS = 10;

export type RunEvent =
  | { type: 'planned'; turn: number; step: number; planned: PlannedRequest }
  | { type: 'text'; turn: number; step: number; snapshot: string }
  | { type: 'tool-call'; turn: number; step: number; call: ToolCall }
  | { type: 'tool-result'; turn: number; step: number; call: ToolCall; output: ToolOutput }
  | { type: 'record'; record: RequestRecord };

export interface TurnOptions {
  mode: RunMode;
  /** Requests per turn at most (agent mode); default 10. */
  maxIterations?: number;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** false: never answer from the local response cache in this turn ("send for real"). */
  localAnswers?: boolean;
}

export interface ToolRun {
  step: number;
  call: ToolCall;
  output: ToolOutput;
}

export interface TurnResult {
  turn: number;
  records: RequestRecord[];
  stop: TurnStop;
  /** The text of the last answer (all answers of the turn, for a multi-step agent turn). */
  answer: string;
  toolRuns: ToolRun[];
  /** Whether the conversation kept this turn (failures and cancels roll it back). */
  kept: boolean;
}

/** The conversation state a turn works on; the runner owns it and applies the result. */
export interface TurnState {
  conversationId: string;
  turn: number;
  messages: MessageParam[];
  lastMessageId: string | null;
}

interface StepCtx {
  deps: RunnerDeps;
  opts: TurnOptions;
  state: TurnState;
  records: RequestRecord[];
  toolRuns: ToolRun[];
  answers: string[];
}

const isAborted = (signal?: AbortSignal) => signal?.aborted === true;
const abortError = (): BackendError => ({ kind: 'aborted', message: 'The request was cancelled.' });

function toBackendError(err: unknown): BackendError {
  const e = (err as { error?: BackendError }).error;
  if (e && typeof e.message === 'string') return e;
  return { kind: 'unknown', message: err instanceof Error ? err.message : String(err) };
}

/** Runs the loop; `messages` in `state` already end with the new user turn (or a cut answer to continue). */
export async function runTurn(deps: RunnerDeps, state: TurnState, opts: TurnOptions): Promise<TurnResult> {
  const ctx: StepCtx = { deps, opts, state, records: [], toolRuns: [], answers: [] };
  const limit = opts.mode === 'agent' ? Math.max(1, opts.maxIterations ?? DEFAULT_MAX_ITERATIONS) : 1;
  for (let step = 0; ; step++) {
    if (isAborted(opts.signal)) return finish(ctx, abortedStop(), false);
    const sent = await oneRequest(ctx, step);
    if (sent.error) return finish(ctx, sent.error.kind === 'aborted' ? abortedStop() : failedStop(sent.error.message), false);
    const result = sent.result as SendResult;
    appendAssistant(state.messages, result.content);
    const calls = toolCalls(result.content);
    if (result.stopReason === 'pause_turn' && step + 1 < limit) continue;
    if (result.stopReason !== 'tool_use' || calls.length === 0) {
      return finish(ctx, stopOf(result.stopReason, { maxTokens: sent.planned.request.max_tokens, toolNames: calls.map((c) => c.name) }), true);
    }
    if (opts.mode === 'chat' || step + 1 >= limit) {
      // Unrun tool calls still need results, or the next request would be refused.
      answerUnrun(state.messages, calls, opts.mode === 'chat' ? 'not run: tools run only in agent mode' : `not run: the iteration limit (${limit}) was reached`);
      if (opts.mode === 'agent') emit(ctx, ctx.records[ctx.records.length - 1] as RequestRecord);
      const names = calls.map((c) => c.name);
      return finish(ctx, opts.mode === 'chat' ? stopOf('tool_use', { toolNames: names }) : iterationLimitStop(limit, names), true);
    }
    const ran = await runTools(ctx, step, calls);
    if (!ran) return finish(ctx, abortedStop(), false);
  }
}

function finish(ctx: StepCtx, stop: TurnStop, kept: boolean): TurnResult {
  return { turn: ctx.state.turn, records: ctx.records, stop, answer: ctx.answers.filter(Boolean).join('\n\n'), toolRuns: ctx.toolRuns, kept };
}

interface Sent {
  planned: PlannedRequest;
  result?: SendResult;
  error?: BackendError;
}

async function oneRequest(ctx: StepCtx, step: number): Promise<Sent> {
  const { deps, opts, state } = ctx;
  let backend: BackendPort;
  try {
    backend = await deps.backend();
  } catch (err) {
    // No request could go out (no key, emulator failed to start): said as a failure, with no record.
    return { planned: undefined as unknown as PlannedRequest, error: toBackendError(err) };
  }
  const atMs = deps.clock.now();
  // TTLs run on the cache's clock (the emulator's may be advanced); the record keeps both times.
  const cacheAtMs = backend.now?.() ?? atMs;
  const extraTools = opts.mode === 'agent' ? deps.tools?.definitions() : undefined;
  const planned = await deps.forecaster.plan({ conversationId: state.conversationId, cacheScope: backend.cacheScope, messages: state.messages, atMs: cacheAtMs, ...(extraTools?.length ? { extraTools } : {}) });
  opts.onEvent?.({ type: 'planned', turn: state.turn, step, planned });
  // A bust must reach the server cache: never answered locally, and its one-off answer never stored.
  const useAnswers = opts.localAnswers !== false && deps.useAnswers?.(opts.mode) === true && !planned.bust;
  const stored = deps.answers && useAnswers ? await deps.answers.get(planned.request, opts.mode).catch(() => undefined) : undefined;
  const result: SendResult = stored
    ? { ...stored.result, ttftMs: null, totalMs: 0, requestId: null, partial: false }
    : isAborted(opts.signal)
      ? unsentResult(abortError())
      : await backend.send(planned.request, {
          signal: opts.signal,
          previousMessageId: state.lastMessageId,
          onText: (_delta, snapshot) => opts.onEvent?.({ type: 'text', turn: state.turn, step, snapshot }),
        });
  if (!stored && result.messageId) state.lastMessageId = result.messageId;
  const recorded = !stored && !result.error ? await deps.forecaster.record({ conversationId: state.conversationId, cacheScope: backend.cacheScope, request: planned.request, atMs: cacheAtMs, result, calibrate: backend.kind === 'anthropic', ...(planned.bust ? { bust: true } : {}) }) : undefined;
  if (!stored && !result.error && deps.answers && deps.useAnswers?.(opts.mode) && !planned.bust) await deps.answers.put(planned.request, opts.mode, result).catch(() => undefined);
  const failureCost = result.error ? deps.forecaster.price(planned.model, result.usage, planned.requestedTtl) : undefined;
  const record = buildRecord({
    kind: opts.mode === 'agent' ? 'agent-step' : 'send',
    mode: opts.mode,
    ids: { id: deps.newId(), sessionId: deps.sessionId(), conversationId: state.conversationId, turn: state.turn, step },
    atMs,
    cacheAtMs,
    planned,
    backend: { kind: backend.kind, cacheScope: backend.cacheScope },
    result,
    ...(recorded ? { recorded } : {}),
    ...(failureCost ? { failureCost } : {}),
    local: stored !== undefined,
    toolCalls: toolCalls(result.content).map(pendingCall),
    priceTable: deps.forecaster.priceTable,
  });
  ctx.records.push(record);
  if (result.text) ctx.answers.push(result.text);
  // Tool outcomes are filled in when the tools have run; the sink gets the record then.
  if (result.error || result.stopReason !== 'tool_use' || opts.mode !== 'agent') emit(ctx, record);
  return { planned, result, ...(result.error ? { error: result.error } : {}) };
}

function emit(ctx: StepCtx, record: RequestRecord): void {
  ctx.deps.ledger.append(record);
  ctx.opts.onEvent?.({ type: 'record', record });
}

const pendingCall = (c: ToolCall): ToolCallRecord => ({ name: c.name, isError: false, inputBytes: byteLength(JSON.stringify(c.input ?? null)), resultBytes: 0 });

function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

function toolCalls(content: ContentBlock[]): ToolCall[] {
  return content.filter((b): b is ToolUseBlock => b.type === 'tool_use').map((b) => ({ id: b.id, name: b.name, input: b.input }));
}

/** Runs the step's tool calls in order; false when cancelled (the turn is then rolled back). */
async function runTools(ctx: StepCtx, step: number, calls: ToolCall[]): Promise<boolean> {
  const { deps, opts, state } = ctx;
  const record = ctx.records[ctx.records.length - 1] as RequestRecord;
  const results: ToolResultBlock[] = [];
  for (const [i, call] of calls.entries()) {
    if (isAborted(opts.signal)) break;
    opts.onEvent?.({ type: 'tool-call', turn: state.turn, step, call });
    const output = await runOne(deps, call, opts.signal);
    ctx.toolRuns.push({ step, call, output });
    record.toolCalls[i] = { ...(record.toolCalls[i] as ToolCallRecord), isError: output.isError, resultBytes: byteLength(output.content) };
    opts.onEvent?.({ type: 'tool-result', turn: state.turn, step, call, output });
    results.push({ type: 'tool_result', tool_use_id: call.id, content: output.content, ...(output.isError ? { is_error: true } : {}) });
  }
  emit(ctx, record);
  if (isAborted(opts.signal)) return false;
  state.messages.push({ role: 'user', content: results });
  return true;
}

async function runOne(deps: RunnerDeps, call: ToolCall, signal?: AbortSignal): Promise<ToolOutput> {
  if (!deps.tools) return { content: `No tool executor is available for ${call.name}.`, isError: true };
  try {
    return await deps.tools.run(call, signal);
  } catch (err) {
    // Executors promise not to throw; one that does still gives the model an answer, not a crash.
    return { content: `The tool ${call.name} failed: ${err instanceof Error ? err.message : String(err)}`, isError: true };
  }
}

// Messages are never changed in place: a turn replaces the last one instead. The runner copies
// only the array, so the engine's block memo (keyed by object identity) keeps hitting.
function appendAssistant(messages: MessageParam[], content: ContentBlock[]): void {
  if (content.length === 0) return;
  const last = messages[messages.length - 1];
  // Continuing a cut answer: the API continues the last assistant message, so extend it.
  if (last?.role === 'assistant') {
    messages[messages.length - 1] = { ...last, content: [...asBlocks(last.content), ...content] };
    return;
  }
  messages.push({ role: 'assistant', content });
}

function answerUnrun(messages: MessageParam[], calls: ToolCall[], why: string): void {
  messages.push({ role: 'user', content: calls.map((c) => ({ type: 'tool_result', tool_use_id: c.id, content: why, is_error: true })) });
}

/** A new user message; merged into a trailing user message (tool results) so roles keep alternating. */
export function appendUser(messages: MessageParam[], content: string | ContentBlock[]): void {
  const last = messages[messages.length - 1];
  const blocks: ContentBlock[] = typeof content === 'string' ? [{ type: 'text', text: content }] : content;
  if (last?.role === 'user') {
    messages[messages.length - 1] = { ...last, content: [...asBlocks(last.content), ...blocks] };
    return;
  }
  messages.push({ role: 'user', content });
}

const asBlocks = (content: string | ContentBlock[]): ContentBlock[] => (typeof content === 'string' ? [{ type: 'text', text: content }] : content);
