// The conversation: user messages and answers in order, tool runs and cost cards per turn.
// Turns are keyed by number and patched: a streaming delta re-renders one answer node only, so
// the composer and the rest of the page are never touched.
import type { PanelToHost } from '../shared/protocol';
import type { ConversationView, ToolRunView, TurnView } from '../shared/panelViews';
import { costCard } from './costCard';
import { button, el, icon, setText, toggle } from './dom';
import { renderMarkdown } from './markdown';

type Post = (m: PanelToHost) => void;

interface TurnNode {
  /** The latest view of this turn. */
  view: TurnView;
  /** The view its answer, tools and cards show; undefined until it scrolls near the viewport. */
  shown: TurnView | undefined;
  live: boolean;
  /** The answer text the DOM shows, and when it was rendered (for coalescing a stream). */
  answerShown: string | undefined;
  answerAt: number;
  answerTimer: ReturnType<typeof setTimeout> | undefined;
  root: HTMLElement;
  user: HTMLElement;
  tools: HTMLElement;
  pending: HTMLElement;
  answer: HTMLElement;
  stop: HTMLElement;
  cards: HTMLElement;
}

function toolRun(run: ToolRunView): HTMLElement {
  return el(
    'details',
    { class: `tool-run${run.isError ? ' tool-error' : ''}` },
    el('summary', {}, icon(run.isError ? 'error' : 'tools'), ` ${run.name}${run.isError ? ' (error)' : ''}`),
    el('pre', { class: 'tool-input' }, JSON.stringify(run.input, null, 2) ?? 'null'),
    el('pre', { class: 'tool-output' }, run.output),
  );
}

/** The model called one of the prompt's own tools: the user types its result. */
function pendingForm(t: TurnView, post: Post): HTMLElement | undefined {
  const p = t.pendingTool;
  if (!p) return undefined;
  const id = `tool-answer-${t.turn}`;
  const area = el('textarea', { id, class: 'tool-answer', rows: '3' });
  const answer = (isError: boolean) => post({ type: 'answerTool', toolUseId: p.toolUseId, content: area.value, isError });
  return el(
    'div',
    { class: 'pending-tool' },
    el('label', { for: id }, `The model called ${p.name} with ${JSON.stringify(p.input)}. Its result:`),
    area,
    el('div', { class: 'actions' }, button('Answer', 'reply', () => answer(false), { class: 'answer-tool' }), button('Answer as error', 'error', () => answer(true), { class: 'answer-tool-error secondary' })),
  );
}

function createTurn(): TurnNode {
  const n = {
    user: el('div', { class: 'user-text' }),
    tools: el('div', { class: 'tools' }),
    pending: el('div', { class: 'pending' }),
    answer: el('div', { class: 'answer markdown' }),
    stop: el('p', { class: 'stop note' }),
    cards: el('div', { class: 'cards' }),
  };
  const root = el('article', { class: 'turn' }, el('div', { class: 'user' }, el('span', { class: 'who' }, 'You'), n.user), n.tools, n.pending, el('div', { class: 'assistant' }, el('span', { class: 'who' }, 'Claude'), n.answer, n.stop), n.cards);
  return { ...n, root, view: undefined as unknown as TurnView, shown: undefined, live: false, answerShown: undefined, answerAt: 0, answerTimer: undefined };
}

/**
 * The host posts the answer on every streamed token, and a long answer costs a Markdown parse
 * each time: while streaming, render at most every STREAM_RENDER_MS and once more at the end of
 * a burst. A finished answer renders at once.
 */
export const STREAM_RENDER_MS = 40;

function renderAnswer(n: TurnNode): void {
  clearTimeout(n.answerTimer);
  n.answerTimer = undefined;
  const text = n.view.answer;
  if (n.answerShown === text) return;
  n.answer.replaceChildren(renderMarkdown(text));
  n.answerShown = text;
  n.answerAt = performance.now();
}

function patchAnswer(n: TurnNode, t: TurnView): void {
  if (n.answerShown === t.answer) return;
  const wait = n.answerAt + STREAM_RENDER_MS - performance.now();
  if (!t.inFlight || wait <= 0) return renderAnswer(n);
  n.answerTimer ??= setTimeout(() => renderAnswer(n), wait);
}

/** The cheap part (user text, state classes) always; Markdown, tools and cards only once live. */
function patchTurn(n: TurnNode, t: TurnView, post: Post): void {
  n.view = t;
  n.root.dataset.turn = String(t.turn);
  toggle(n.root, 'in-flight', !!t.inFlight);
  toggle(n.root, 'agent', t.mode === 'agent');
  toggle(n.root, 'lazy', !n.live);
  toggle(n.root, 'no-answer', !t.answer && !t.inFlight && !t.stop);
  setText(n.user, t.textUnavailable ? 'Text unavailable: the transcript of this turn is missing or unreadable; its cost cards remain.' : t.user);
  toggle(n.root, 'text-unavailable', !!t.textUnavailable);
  if (!n.live) return;
  const old = n.shown;
  patchAnswer(n, t);
  setText(n.stop, t.stop ?? '');
  if (old?.toolRuns !== t.toolRuns) n.tools.replaceChildren(...t.toolRuns.map(toolRun));
  if (old?.pendingTool !== t.pendingTool) n.pending.replaceChildren(pendingForm(t, post) ?? '');
  if (old?.requests !== t.requests) n.cards.replaceChildren(...t.requests.map(costCard));
  n.shown = t;
}

/** The last turns render at once (the one streaming among them); older ones when scrolled near. */
const EAGER_TURNS = 3;

export class ConversationPart {
  readonly root = el('section', { class: 'conversation', 'aria-label': 'Conversation' });
  private readonly list = el('div', { class: 'turns', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions text' });
  private readonly empty = el('p', { class: 'muted empty' }, 'No messages yet. Type below and press Ctrl+Enter.');
  private readonly nodes = new Map<number, TurnNode>();
  private readonly byElement = new WeakMap<Element, TurnNode>();
  private view: ConversationView | undefined;
  private shownPast = '';
  // A long session's snapshot would otherwise parse hundreds of answers nobody is looking at.
  private readonly observer = new IntersectionObserver((entries) => this.reveal(entries), { root: this.root, rootMargin: '800px 0px' });

  private readonly pastBanner = el('div', { class: 'past-banner hidden', id: 'past-session', role: 'status' });
  private readonly pastText = el('span', {});

  constructor(private readonly post: Post) {
    this.pastBanner.append(this.pastText, button('Back to current session', 'arrow-left', () => post({ type: 'backToCurrent' }), { id: 'back-to-current', class: 'secondary' }));
    this.root.append(this.pastBanner, this.empty, this.list);
  }

  private patchPast(c: ConversationView | undefined): void {
    const past = c?.past;
    toggle(this.pastBanner, 'hidden', !past);
    toggle(this.root, 'read-only', !!past);
    if (!past) return;
    const when = new Date(past.startedMs).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    setText(this.pastText, `Past session of ${when}, read-only${past.textMissing ? ` · text unavailable for ${past.textMissing} turn(s)` : ''}. `);
  }

  private reveal(entries: IntersectionObserverEntry[]): void {
    for (const e of entries) {
      const n = e.isIntersecting ? this.byElement.get(e.target) : undefined;
      if (n) this.goLive(n);
    }
  }

  private goLive(n: TurnNode): void {
    if (n.live) return;
    n.live = true;
    this.observer.unobserve(n.root);
    patchTurn(n, n.view, this.post);
  }

  update(c: ConversationView | undefined): void {
    if (c === this.view) return;
    this.view = c;
    // Follow the answer while the reader is at the end; leave them where they are when they scrolled up.
    const follow = this.root.scrollHeight - this.root.scrollTop - this.root.clientHeight < 40;
    this.patchPast(c);
    // Past and current conversations share turn numbers: a switch starts the list afresh.
    if ((c?.past?.sessionId ?? '') !== this.shownPast) {
      this.shownPast = c?.past?.sessionId ?? '';
      this.place([]);
    }
    this.place(c?.turns ?? []);
    if (follow) this.root.scrollTop = this.root.scrollHeight;
  }

  private place(turns: TurnView[]): void {
    toggle(this.empty, 'hidden', turns.length > 0);
    const seen = new Set<number>();
    let before: ChildNode | null = this.list.firstChild;
    turns.forEach((t, i) => {
      seen.add(t.turn);
      let n = this.nodes.get(t.turn);
      if (!n) n = this.create(t.turn, i >= turns.length - EAGER_TURNS || !!t.inFlight);
      if (n.view !== t) patchTurn(n, t, this.post);
      if (n.root !== before) this.list.insertBefore(n.root, before);
      before = n.root.nextSibling;
    });
    for (const [k, n] of this.nodes) {
      if (seen.has(k)) continue;
      this.observer.unobserve(n.root);
      n.root.remove();
      this.nodes.delete(k);
    }
  }

  private create(turn: number, eager: boolean): TurnNode {
    const n = createTurn();
    n.live = eager;
    this.nodes.set(turn, n);
    this.byElement.set(n.root, n);
    if (!eager) this.observer.observe(n.root);
    return n;
  }
}
