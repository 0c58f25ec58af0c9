// The panel's state and the one pure reducer over the host's messages (no DOM). Updates are
// immutable and structural: an unchanged part keeps its object, so a component compares
// references to know whether it must patch anything.
import type { HostDelta, HostToWebview, PanelState, RequestView } from '../shared/protocol';
import type { ConversationView, TurnView } from '../shared/panelViews';

export interface UiState {
  /** Sequence number of the last message applied; -1 before the first snapshot. */
  seq: number;
  /** A gap was seen: deltas are dropped until the next snapshot. */
  awaitingResync: boolean;
  panel: PanelState;
}

export const initialState = (restored?: PanelState): UiState => ({
  seq: -1,
  awaitingResync: false,
  panel: restored ?? { backend: { kind: 'offline', detail: '', hasKey: false } },
});

export function reduce(s: UiState, m: HostToWebview): UiState {
  if (m.type === 'state') return { seq: m.seq, awaitingResync: false, panel: m.state };
  // Before the first snapshot a delta has nothing to apply to; the snapshot follows `ready`.
  if (s.seq < 0 || s.awaitingResync || m.seq <= s.seq) return s;
  if (m.seq !== s.seq + 1) return { ...s, awaitingResync: true };
  return { ...s, seq: m.seq, panel: m.type === 'draft' ? { ...s.panel, draft: { text: m.text, id: m.seq } } : applyDelta(s.panel, m) };
}

/** True when this reduction is the one that found the gap: post `resync` exactly once. */
export const startedResync = (prev: UiState, next: UiState): boolean => next.awaitingResync && !prev.awaitingResync;

function applyDelta(p: PanelState, m: Exclude<HostDelta, { type: 'draft' }>): PanelState {
  switch (m.type) {
    case 'tokens':
      return { ...p, tokens: m.tokens };
    case 'plan':
      return { ...p, plan: m.plan };
    case 'backend':
      return { ...p, backend: m.backend };
    case 'request':
      return withRequest(p, m.request);
    case 'streaming':
      return withStreaming(p, m.text, m.turn);
    case 'prompts':
      return { ...p, prompts: m.prompts, selectedPromptId: m.selectedPromptId ?? p.selectedPromptId };
    case 'mode':
      return { ...p, mode: m.mode, agent: m.agent };
    case 'conversation':
      return { ...p, conversation: m.conversation };
    case 'turn':
      return { ...p, conversation: putTurn(conversationOf(p), m.turn) };
    case 'toolRun':
      return mapTurn(p, m.turn, (t) => ({ ...t, toolRuns: [...t.toolRuns, m.run] }));
    case 'toolPrompt':
      return mapTurn(p, m.turn, (t) => ({ ...t, pendingTool: m.pending }));
    case 'totals':
      return { ...p, totals: m.totals };
    case 'forecast':
      return { ...p, forecast: m.forecast };
    case 'timeline':
      return { ...p, timeline: m.timeline };
    case 'mapRow':
      return { ...p, map: [...(p.map ?? []), m.row] };
    case 'sessions':
      return { ...p, sessions: m.sessions };
    case 'map':
      return { ...p, map: m.rows };
    case 'overrides':
      return { ...p, overrides: m.overrides };
    default: {
      const never: never = m;
      return never;
    }
  }
}

const conversationOf = (p: PanelState): ConversationView => p.conversation ?? { id: 'current', promptId: p.selectedPromptId ?? '', turns: [] };

/** Adds or replaces a turn by number, keeping turns in order. */
export function putTurn(c: ConversationView, turn: TurnView): ConversationView {
  const i = c.turns.findIndex((t) => t.turn === turn.turn);
  if (i >= 0) return { ...c, turns: c.turns.map((t, j) => (j === i ? turn : t)) };
  const turns = [...c.turns, turn];
  if (turns.length > 1 && (turns[turns.length - 2] as TurnView).turn > turn.turn) turns.sort((a, b) => a.turn - b.turn);
  return { ...c, turns };
}

function mapTurn(p: PanelState, turn: number, f: (t: TurnView) => TurnView): PanelState {
  const c = p.conversation;
  const i = c ? c.turns.findIndex((t) => t.turn === turn) : -1;
  if (!c || i < 0) return p;
  return { ...p, conversation: { ...c, turns: c.turns.map((t, j) => (j === i ? f(t) : t)) } };
}

const emptyTurn = (turn: number, answer = ''): TurnView => ({ turn, mode: 'chat', user: '', answer, toolRuns: [], requests: [] });

/**
 * The streamed answer goes to its turn, or the turn in flight, replacing the text so far. A host
 * that names no turn and announced none starts a new one: a stream never overwrites a finished answer.
 */
function withStreaming(p: PanelState, text: string, turn?: number): PanelState {
  const c = conversationOf(p);
  const last = c.turns[c.turns.length - 1];
  const target = turn ?? [...c.turns].reverse().find((t) => t.inFlight)?.turn ?? (last ? last.turn + 1 : 1);
  const existing = c.turns.find((t) => t.turn === target);
  if (existing?.answer === text) return p;
  const next = existing ? { ...existing, answer: text, inFlight: true } : { ...emptyTurn(target, text), inFlight: true };
  return { ...p, conversation: putTurn(c, next) };
}

/**
 * The turn a finished request belongs to: its own, or the in-flight turn a stream started without
 * a number (taken out of the list here, put back under the request's number).
 */
function turnFor(c: ConversationView, n: number): { c: ConversationView; t: TurnView } {
  const own = c.turns.find((x) => x.turn === n);
  if (own) return { c, t: own };
  const started = c.turns.find((x) => x.inFlight && x.requests.length === 0 && !x.user);
  if (!started) return { c, t: emptyTurn(n) };
  return { c: { ...c, turns: c.turns.filter((x) => x !== started) }, t: { ...started, turn: n } };
}

/** A finished request is the last request, and a cost card of its turn (pre-warms have no turn). */
function withRequest(p: PanelState, r: RequestView): PanelState {
  const next = { ...p, lastRequest: r };
  if (r.kind === 'prewarm' || !r.turn) return next;
  const { c, t } = turnFor(conversationOf(p), r.turn);
  const same = (x: RequestView) => x.at === r.at && (x.step ?? 0) === (r.step ?? 0);
  const requests = t.requests.some(same) ? t.requests.map((x) => (same(x) ? r : x)) : [...t.requests, r];
  const answer = r.answer ?? t.answer;
  // An agent step that stopped for tools (or a paused turn) goes on: the turn stays cancellable
  // until the host's end-of-turn conversation arrives.
  return { ...next, conversation: putTurn(c, { ...t, requests, answer, ...(r.stop ? { stop: r.stop } : {}), inFlight: r.continues === true }) };
}
