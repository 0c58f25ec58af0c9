// The seams of the engine. Core defines them; backends/, node/ and host/ implement them, so the
// session runner runs the same code in the extension and in the CLI.
import type { CacheTtl, ContentBlock, Diagnostics, MessageParam, MessagesRequest, ToolDefinition, Usage } from '../shared/anthropic';
import type { RequestRecord, RequestShape } from './ledger/record';

export type BackendKind = 'offline' | 'anthropic';

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
  /** The previous answer of this conversation, for cache diagnostics (`diagnostics.previous_message_id`). */
  previousMessageId?: string | null;
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

/** Where requests go. `cacheScope` names the server-side cache they land in (one cache model each). */
export interface BackendPort {
  readonly kind: BackendKind;
  readonly cacheScope: string;
  /**
   * The clock that cache's TTLs run on (epoch ms): the offline emulator's virtual clock, which may
   * run ahead of the wall clock; absent: the wall clock (the runner's `clock`).
   */
  now?(): number;
  /** Never throws: a failure comes back as `error`. An aborted send ends promptly as `aborted`. */
  send(request: MessagesRequest, handlers?: SendHandlers): Promise<SendResult>;
}

export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
}

export interface ToolOutput {
  /** Text sent back as the tool_result content. */
  content: string;
  isError: boolean;
}

/** Answers the model's tool calls: the built-in workspace tools, a mock-results file, or the user. */
export interface ToolExecutor {
  /** Tool definitions this executor adds to the request (the built-in tools); [] when it only answers the prompt's own. */
  definitions(): ToolDefinition[];
  /** Never throws for bad input: a refused or failed call is `isError: true` with a clear message. */
  run(call: ToolCall, signal?: AbortSignal): Promise<ToolOutput>;
}

/** Receives every record as it is made. Never throws; persisting happens off the caller's path. */
export interface LedgerSink {
  append(record: RequestRecord): void;
}

export type RunMode = 'chat' | 'agent';

/** A whole answer as stored: tool calls included, so an agent step can be replayed exactly. */
export interface StoredAnswer {
  result: Pick<SendResult, 'content' | 'text' | 'stopReason' | 'usage' | 'model' | 'messageId'>;
  storedAtMs: number;
}

/** The local response cache: an identical request in the same mode gets the stored answer. */
export interface AnswerCache {
  get(request: MessagesRequest, mode: RunMode): Promise<StoredAnswer | undefined>;
  put(request: MessagesRequest, mode: RunMode, result: SendResult): Promise<void>;
}

/** What the prompt contributes to a record: who it is and which version (a content hash per tier). */
export interface PromptIdentity {
  id: string;
  /** Workspace-relative path of the prompt file. */
  path: string;
  version: { tools: string; system: string; context: string };
}

/** One planned request of a conversation, with the forecast made just before sending it. */
export interface PlannedRequest {
  /** The exact body to send, breakpoints included. */
  request: MessagesRequest;
  model: string;
  prompt: PromptIdentity;
  /** What the cache model expects Anthropic to report (output 0); absent when the model has no prices. */
  predicted?: { usage: Usage; costUsd?: number; costExact: boolean; sentence: string };
  shape: RequestShape;
  /** TTL of the last breakpoint: what unsplit writes in the reported usage were asked for. */
  requestedTtl?: CacheTtl;
  /** The request carries a one-off cache-bust nonce (core/plan/bust.ts): it reads nothing and is never answered locally. */
  bust?: { nonce: string };
}

/** A prompt that cannot be planned: the message says why and where (file and line). */
export class PlanError extends Error {
  constructor(
    message: string,
    readonly at?: { path: string; line: number },
  ) {
    super(message);
    this.name = 'PlanError';
  }
}

export interface CostView {
  input: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  output: number;
  total: number;
  noCache: number;
  saved: number;
  hitRatio: number;
  /** False when an amount rests on an assumption (shown with ≈). */
  exact: boolean;
}

/** What the forecast learned from a completed request: its cost and why it hit or missed. */
export interface RecordedRequest {
  explanation: { kind: string; sentence: string; tokensMissed?: number };
  cost?: CostView;
  costError?: string;
  /** The shape of the request as sent, when it differs from the plan's (a pre-warm moves its breakpoint). */
  shape?: RequestShape;
}

/**
 * Plans and forecasts requests and keeps the cache model per cache scope (the extension: the
 * engine worker; the CLI: in process). Only successful requests move the cache model.
 */
export interface Forecaster {
  /** `atMs` is on the backend cache's clock (BackendPort.now). A forecaster may add a pending cache bust (PlannedRequest.bust). */
  plan(input: { conversationId: string; cacheScope: string; messages: MessageParam[]; atMs: number; extraTools?: ToolDefinition[] }): Promise<PlannedRequest>;
  /**
   * `calibrate`: the usage is Anthropic's, so the estimator may learn from it. `bust`: the request
   * carried the plan's bust nonce; recording it (an answered request) uses the bust up.
   */
  record(input: { conversationId: string; cacheScope: string; request: MessagesRequest; atMs: number; result: SendResult; calibrate?: boolean; bust?: boolean }): Promise<RecordedRequest>;
  /** The cost of usage that arrived with a failed request (a dropped stream is billed); never moves the cache model. */
  price(model: string, usage: Usage, requestedTtl?: CacheTtl): CostView | undefined;
  /** The price table's version, stamped on every record. */
  readonly priceTable: string;
}

export interface Clock {
  now(): number;
}
