// The typed message protocol between the extension host and the panel webview. One union per
// direction (HostToWebview, PanelToHost); both sides handle them with exhaustive switches. The
// webview says `ready`, gets one full `state` snapshot, then deltas; every message from the host
// carries a sequence number, and a webview that sees a gap asks for `resync` and gets a snapshot.
import type {
  AgentAvailability, BucketsView, ConversationView, ForecastView, MapRowView, OverridesView, PanelMode, PendingToolView,
  PromptEntryView, SessionSummaryView, TimelineView, TtlChoice, TtlTier, ToolRunView, TotalsView, TurnView,
} from './panelViews';

export interface TokenCountView {
  /** Workspace-relative path or untitled name. */
  document: string;
  /** Calibrated estimate (always shown with ≈). */
  tokens: number;
  rawTokens: number;
  model: string;
  factor: number;
  /** Anthropic's count_tokens result (framing excluded), when exact counts are on and it answered. */
  exact?: number;
  /** Why no exact count is shown, when exact counts are on. */
  exactNote?: string;
}

export interface BreakpointView {
  tier: 'tools' | 'system' | 'context' | 'conversation' | 'anchor';
  ttl: '5m' | '1h';
  prefixTokens: number;
  placed: boolean;
  reason: string;
}

export interface DiagnosticView {
  severity: 'error' | 'warning' | 'info';
  message: string;
  line: number;
  column?: number;
  endColumn?: number;
  /** Workspace-relative file when the problem is in another file than the prompt (its tools JSON). */
  file?: string;
  code?: string;
  fixes?: Array<{ title: string; line: number; column: number; endColumn: number; replacement: string }>;
}

export interface PlanView {
  promptPath: string;
  promptId?: string;
  model: string;
  breakpoints: BreakpointView[];
  coldUsd?: number;
  warmUsd?: number;
  diagnostics: DiagnosticView[];
  /** Set when no plan could be made; says why and what to fix. */
  error?: string;
  /** Caveats the spec marks: unconfirmed prices, an assumed minimum cacheable length. */
  notes?: string[];
}

export interface BackendView {
  kind: 'offline' | 'anthropic';
  /** e.g. "offline emulator on 127.0.0.1:43123" or "api.anthropic.com". */
  detail: string;
  hasKey: boolean;
}

/** What the last request did, from its RequestRecord (views never compute costs themselves). */
export interface RequestView {
  kind: 'prewarm' | 'send' | 'agent-step';
  /** `failed` and `aborted` are failures, never cache misses: no explanation, no hit ratio. */
  outcome: 'ok' | 'local' | 'failed' | 'aborted';
  /** 0-based request within an agent turn. */
  step?: number;
  /** Why the turn ended, when this request ended it (e.g. max_tokens: "… Continue to let the model go on"). */
  stop?: string;
  /** The turn goes on after this request (it stopped for tool calls, or paused): still cancellable. */
  continues?: true;
  promptId?: string;
  model: string;
  /** Epoch ms when the request started. */
  at: number;
  backend: 'offline' | 'anthropic';
  usage: { input: number; cacheWrite5m: number; cacheWrite1h: number; cacheRead: number; output: number };
  costUsd?: number;
  noCacheUsd?: number;
  savedUsd?: number;
  hitRatio?: number;
  /** False when a cost rests on an assumption (shown with ≈). */
  costExact: boolean;
  /** A plain sentence: what was written or read, and why. */
  summary: string;
  /** Sends only: what the local cache model predicted before the send (estimates). */
  predicted?: { input: number; cacheWrite5m: number; cacheWrite1h: number; cacheRead: number; costUsd?: number };
  /** Sends only: why the cache hit or missed (the miss explainer's sentence). */
  explanation?: string;
  /** Sends only: the model's text answer; always rendered as text, never as HTML. */
  answer?: string;
  /** Answered from the local response cache: no API call, no cost. */
  localCache?: boolean;
  /** 1-based turn of the conversation with this prompt. */
  turn?: number;
  ttftMs?: number | null;
  totalMs?: number;
  /** Set when the request failed or the stream ended early (the partial answer is kept). */
  error?: string;
  /** Dollars per bucket, from the record's cost (absent when unpriced). */
  bucketUsd?: BucketsView;
}

export interface PanelState {
  backend: BackendView;
  tokens?: TokenCountView;
  plan?: PlanView;
  /** The last request of any kind (a pre-warm included), shown in its own card. */
  lastRequest?: RequestView;
  prompts?: PromptEntryView[];
  selectedPromptId?: string;
  mode?: PanelMode;
  agent?: AgentAvailability;
  conversation?: ConversationView;
  totals?: TotalsView;
  forecast?: ForecastView;
  timeline?: TimelineView;
  /** Breakpoint map rows, one per request, oldest first. */
  map?: MapRowView[];
  sessions?: SessionSummaryView[];
  overrides?: OverridesView;
  /** A message handed back to the composer (`id`: the message's seq, so each one applies once). */
  draft?: { text: string; id: number };
}

/**
 * The host's messages without their sequence number: what the host code posts. The panel
 * controller (src/webview/panelController.ts) numbers them and answers `resync` with a snapshot.
 */
export type HostDelta =
  | { type: 'tokens'; tokens: TokenCountView | undefined }
  | { type: 'plan'; plan: PlanView | undefined }
  | { type: 'backend'; backend: BackendView }
  /** A finished request: becomes `lastRequest`, and its turn's cost card when `turn` is set. */
  | { type: 'request'; request: RequestView }
  /** Streaming text of the request in flight (the answer so far, not an increment: idempotent). */
  | { type: 'streaming'; promptId: string; text: string; turn?: number }
  | { type: 'prompts'; prompts: PromptEntryView[]; selectedPromptId?: string }
  | { type: 'mode'; mode: PanelMode; agent: AgentAvailability }
  /** A whole conversation: a new one, a reopened session, or after a reload. */
  | { type: 'conversation'; conversation: ConversationView | undefined }
  /** A turn added or replaced (by its `turn` number). */
  | { type: 'turn'; turn: TurnView }
  | { type: 'toolRun'; turn: number; run: ToolRunView }
  | { type: 'toolPrompt'; turn: number; pending: PendingToolView | undefined }
  | { type: 'totals'; totals: TotalsView }
  | { type: 'forecast'; forecast: ForecastView | undefined }
  | { type: 'timeline'; timeline: TimelineView }
  /** One more breakpoint map row (a new request). */
  | { type: 'mapRow'; row: MapRowView }
  | { type: 'sessions'; sessions: SessionSummaryView[] }
  /** Every breakpoint map row at once (a reopened session, or back to the current one). */
  | { type: 'map'; rows: MapRowView[] }
  | { type: 'overrides'; overrides: OverridesView | undefined }
  /** A message the host did not send (its template does not render): back into an empty composer. */
  | { type: 'draft'; text: string };

type Sequenced<T> = T extends unknown ? T & { seq: number } : never;

/** What goes over the wire to the webview: a snapshot, or a delta, each with its sequence number. */
export type HostToWebview = { type: 'state'; seq: number; state: PanelState } | Sequenced<HostDelta>;

export type WebviewCommand = 'setApiKey' | 'refreshPlan' | 'prewarm' | 'send' | 'newConversation';
const WEBVIEW_COMMANDS: readonly WebviewCommand[] = ['setApiKey', 'refreshPlan', 'prewarm', 'send', 'newConversation'];

/** Everything the webview sends the host. */
export type PanelToHost =
  | { type: 'ready' }
  /** The webview saw a gap after `lastSeq` (or none yet: -1) and wants a snapshot. */
  | { type: 'resync'; lastSeq: number }
  | { type: 'send'; text: string; mode: PanelMode }
  | { type: 'cancel' }
  | { type: 'newConversation' }
  | { type: 'retryLast' }
  | { type: 'continue' }
  | { type: 'selectPrompt'; id: string }
  | { type: 'setMode'; mode: PanelMode }
  /** The composer's text, debounced in the webview, for the forecast. */
  | { type: 'typing'; text: string }
  | { type: 'openFile'; path: string; line: number }
  | { type: 'runCommand'; command: WebviewCommand }
  /** Agent mode: the user's result for a prompt tool the model called. */
  | { type: 'answerTool'; toolUseId: string; content: string; isError: boolean }
  | { type: 'openSession'; id: string }
  /** Leave a reopened past session for the current conversation. */
  | { type: 'backToCurrent' }
  /** '' : the prompt's own model. */
  | { type: 'setModel'; model: string }
  | { type: 'setBackend'; backend: 'offline' | 'anthropic' }
  | { type: 'setTtl'; tier: TtlTier; ttl: TtlChoice }
  /** Every template input's value (strings as typed). */
  | { type: 'setInputs'; inputs: Record<string, string> }
  | { type: 'exportStats' }
  | { type: 'clearCaches' };

/** @deprecated The subset host/app.ts handled before the conversation panel; wire PanelToHost instead. */
export type WebviewToHost = Extract<PanelToHost, { type: 'ready' | 'openFile' | 'runCommand' }>;

/** Longest text the webview may send (a message or a tool answer): 1 MiB of UTF-16. */
export const MAX_TEXT = 1 << 20;
const MAX_ID = 200;

const isText = (v: unknown, max = MAX_TEXT): v is string => typeof v === 'string' && v.length <= max;
const isMode = (v: unknown): boolean => v === 'chat' || v === 'agent';
const isSeq = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= -1;

/** Exactly these keys besides `type`: a message with extra or missing fields is refused. */
function keysAre(v: object, keys: readonly string[]): boolean {
  const own = Object.keys(v).filter((k) => k !== 'type');
  return own.length === keys.length && keys.every((k) => own.includes(k));
}

const bare = ['ready', 'cancel', 'newConversation', 'retryLast', 'continue', 'exportStats', 'clearCaches', 'backToCurrent'];
/** At most this many template inputs, each name a plain identifier. */
export const MAX_INPUTS = 50;
const INPUT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

function isInputs(v: unknown): boolean {
  if (!v || typeof v !== 'object' || Array.isArray(v) || Object.getPrototypeOf(v) !== Object.prototype) return false;
  const entries = Object.entries(v as Record<string, unknown>);
  return entries.length <= MAX_INPUTS && entries.every(([k, x]) => INPUT_NAME.test(k) && !RESERVED.has(k) && isText(x, 64 * 1024));
}

function fieldsValid(v: Record<string, unknown>): boolean {
  switch (v.type) {
    case 'resync':
      return keysAre(v, ['lastSeq']) && isSeq(v.lastSeq);
    case 'send':
      return keysAre(v, ['text', 'mode']) && isText(v.text) && isMode(v.mode);
    case 'selectPrompt':
    case 'openSession':
      return keysAre(v, ['id']) && isText(v.id, MAX_ID) && v.id !== '';
    case 'setMode':
      return keysAre(v, ['mode']) && isMode(v.mode);
    case 'setModel':
      return keysAre(v, ['model']) && isText(v.model, MAX_ID);
    case 'setBackend':
      return keysAre(v, ['backend']) && (v.backend === 'offline' || v.backend === 'anthropic');
    case 'setTtl':
      return keysAre(v, ['tier', 'ttl']) && ['system', 'context', 'conversation'].includes(v.tier as string) && ['5m', '1h', 'default'].includes(v.ttl as string);
    case 'setInputs':
      return keysAre(v, ['inputs']) && isInputs(v.inputs);
    case 'typing':
      return keysAre(v, ['text']) && isText(v.text);
    case 'openFile':
      return keysAre(v, ['path', 'line']) && isText(v.path, 4096) && Number.isInteger(v.line) && (v.line as number) >= 0;
    case 'runCommand':
      return keysAre(v, ['command']) && WEBVIEW_COMMANDS.includes(v.command as WebviewCommand);
    case 'answerTool':
      return keysAre(v, ['toolUseId', 'content', 'isError']) && isText(v.toolUseId, MAX_ID) && isText(v.content) && typeof v.isError === 'boolean';
    default:
      return typeof v.type === 'string' && bare.includes(v.type) && keysAre(v, []);
  }
}

/** Strict validation of what a webview posts: the webview is not trusted with anything unchecked. */
export function isWebviewToHost(value: unknown): value is PanelToHost {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  return fieldsValid(value as Record<string, unknown>);
}
