// The typed message protocol between the extension host and the panel webview. One union per
// direction; both sides handle them with exhaustive switches. The webview says `ready`, gets one
// full `state` snapshot, then deltas.

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
}

export interface PanelState {
  backend: BackendView;
  tokens?: TokenCountView;
  plan?: PlanView;
  lastRequest?: RequestView;
}

export type HostToWebview =
  | { type: 'state'; state: PanelState }
  | { type: 'tokens'; tokens: TokenCountView | undefined }
  | { type: 'plan'; plan: PlanView | undefined }
  | { type: 'backend'; backend: BackendView }
  | { type: 'request'; request: RequestView }
  /** Streaming text of the request in flight (the snapshot so far). */
  | { type: 'streaming'; promptId: string; text: string };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'openFile'; path: string; line: number }
  | { type: 'runCommand'; command: WebviewCommand };

export type WebviewCommand = 'setApiKey' | 'refreshPlan' | 'prewarm' | 'send' | 'newConversation';
const WEBVIEW_COMMANDS: readonly WebviewCommand[] = ['setApiKey', 'refreshPlan', 'prewarm', 'send', 'newConversation'];

export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (!value || typeof value !== 'object') return false;
  const v = value as { type?: unknown; path?: unknown; line?: unknown; command?: unknown };
  switch (v.type) {
    case 'ready':
      return true;
    case 'openFile':
      return typeof v.path === 'string' && typeof v.line === 'number';
    case 'runCommand':
      return WEBVIEW_COMMANDS.includes(v.command as WebviewCommand);
    default:
      return false;
  }
}
