// What the panel shows, as plain data the host builds from RequestRecords, the ledger's reducers,
// transcripts and the forecast. Views never compute costs: every number here comes from the host.
import type { RequestView } from './protocol';

export type PanelMode = 'chat' | 'agent';

export interface BucketsView {
  input: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  output: number;
}

export interface PromptEntryView {
  id: string;
  /** Workspace-relative path of the prompt file. */
  path: string;
  model: string;
}

export interface AgentAvailability {
  /** False in an untrusted workspace (tools could touch files). */
  allowed: boolean;
  /** Why agent mode is off, shown beside the mode picker. */
  reason?: string;
}

export interface ToolRunView {
  name: string;
  /** The tool's JSON input as the model sent it. */
  input: unknown;
  output: string;
  isError: boolean;
}

/** A prompt-file tool the model called that waits for the user's answer (agent mode). */
export interface PendingToolView {
  toolUseId: string;
  name: string;
  input: unknown;
}

export interface TurnView {
  /** 1-based turn of the conversation; the key the deltas use. */
  turn: number;
  mode: PanelMode;
  user: string;
  /** The answer so far while streaming, the whole answer afterwards (Markdown, sanitised when shown). */
  answer: string;
  /** Why the turn ended, when it did not simply end (max_tokens, refusal, iteration limit). */
  stop?: string;
  /** max_tokens: the Continue button applies. */
  canContinue?: boolean;
  toolRuns: ToolRunView[];
  /** One cost card per request the turn made (agent turns make several). */
  requests: RequestView[];
  pendingTool?: PendingToolView;
  /** True while the turn's requests are in flight. */
  inFlight?: boolean;
  /** A past session's turn whose transcript is missing or unreadable: only its cost cards remain. */
  textUnavailable?: boolean;
}

export interface ConversationView {
  id: string;
  promptId: string;
  turns: TurnView[];
  /** Set when this is a reopened past session, shown read-only. */
  past?: PastSessionView;
}

export interface PastSessionView {
  sessionId: string;
  startedMs: number;
  /** Turns whose text is missing from the transcripts (their cost cards still show). */
  textMissing: number;
}

export type TtlTier = 'system' | 'context' | 'conversation';
/** 'default': what the prompt file (and the planner's TTL advice) chooses. */
export type TtlChoice = '5m' | '1h' | 'default';

/** A template input of the prompt (Prompty `sample:`), with the value the panel renders it with. */
export interface PromptInputView {
  name: string;
  value: string;
  /** The file's sample value, as text. */
  sample: string;
}

/** The overrides of the shown prompt's conversation: model, TTL per tier, template inputs. */
export interface OverridesView {
  /** Workspace-relative path of the prompt these belong to. */
  promptPath: string;
  /** The picked model id; absent: the prompt's own. */
  model?: string;
  /** The prompt's own model (`model:`, else the default), shown as the default choice. */
  promptModel: string;
  /** Known model ids, from the model table. */
  models: string[];
  ttl: Record<TtlTier, TtlChoice>;
  /** Present when the prompt has template inputs. */
  inputs?: PromptInputView[];
  /** Why the last change was refused, or why the template does not render (nothing is sent then). */
  error?: string;
  /** The planner's reasons where it changed a picked TTL. */
  notes?: string[];
  /** Anthropic was picked without an API key: the panel stays offline until one is set. */
  needsKey?: boolean;
}

/** Session totals, shaped like the ledger's `Totals` plus what the host adds (API time, budget). */
export interface TotalsView {
  requests: number;
  answered: number;
  local: number;
  failed: number;
  aborted: number;
  tokens: BucketsView;
  costUsd: number;
  noCacheUsd: number;
  savedUsd: number;
  /** Saved against what automatic caching (one breakpoint on the last block) would have cost, when replayed. */
  savedVsAutoUsd?: number;
  costExact: boolean;
  /** Token-weighted read / (input + writes + read). */
  hitRatio: number;
  /** Sum of the requests' total times. */
  apiMs: number;
  /** `promptCacheLab.budgetUsd`; 0 or absent: no budget. */
  budgetUsd?: number;
}

/** What the message being typed would read, write and cost (an estimate, always shown with ≈). */
export interface ForecastView {
  cacheRead: number;
  cacheWrite: number;
  input: number;
  costUsd?: number;
  /** e.g. "reads the system and context tiers; writes the conversation". */
  note?: string;
}

export type TimelineTier = 'tools' | 'system' | 'context' | 'conversation' | 'anchor';

export interface TimelineEntryView {
  tier: TimelineTier;
  ttl: '5m' | '1h';
  /** Epoch ms the entry expires (refreshed on each read); null: cold. */
  warmUntilMs: number | null;
  /** The prefix up to this tier's breakpoint, as the record's shape estimated it locally (shown with ≈). */
  tokens?: number;
}

export interface TimelineView {
  entries: TimelineEntryView[];
  /** The breakpoint the next request will read, if any is warm. */
  nextRead?: TimelineTier;
  /** The host's clock when it built this view, so the countdown survives a skewed webview clock. */
  hostNowMs: number;
}

export type MapSegmentTier = 'tools' | 'system' | 'context' | 'history' | 'new';
export type MapStatus = 'read' | 'written' | 'uncached';

export interface MapRowView {
  turn: number;
  step: number;
  /** The request's shape in prefix order, merged into runs of one tier and status. */
  segments: Array<{ tier: MapSegmentTier; tokens: number; status: MapStatus }>;
  /** Breakpoints by segment index (the breakpoint sits at the segment's end). */
  breakpoints: Array<{ segment: number; ttl: '5m' | '1h' }>;
}

export interface SessionSummaryView {
  id: string;
  startedMs: number;
  requests: number;
  costUsd: number;
  savedUsd: number;
  current?: boolean;
}
