// The setup column: backend, token estimate, cache plan and the last request (a pre-warm
// included). Each section is rebuilt only when its own slice of the state changed.
import type { BackendView, PanelState, PanelToHost, PlanView, RequestView, TokenCountView } from '../shared/protocol';
import { el, icon, int, usd } from './dom';

export type Send = (m: PanelToHost) => void;

function button(id: string, codicon: string, label: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', { type: 'button', id }, icon(codicon), ` ${label}`);
  b.addEventListener('click', onClick);
  return b;
}

function backendSection(b: BackendView, send: Send): HTMLElement {
  const label = b.kind === 'offline' ? 'Offline emulator' : 'Anthropic API';
  const btn = button('set-key', 'key', b.hasKey ? 'Replace API key' : 'Set API key', () => send({ type: 'runCommand', command: 'setApiKey' }));
  return el(
    'section',
    { class: 'card', id: 'backend' },
    el('h2', {}, icon(b.kind === 'offline' ? 'plug' : 'cloud'), ` Backend: ${label}`),
    el('p', { class: 'muted' }, b.detail),
    btn,
  );
}

function tokensSection(t: TokenCountView | undefined): HTMLElement {
  if (!t) {
    return el('section', { class: 'card', id: 'tokens' }, el('h2', {}, icon('symbol-number'), ' Tokens'), el('p', { class: 'muted' }, 'Open a prompt, Markdown or text file to see its token estimate.'));
  }
  const estimate = `estimate for ${t.model} (o200k ${int(t.rawTokens)} × ${t.factor.toFixed(2)})`;
  return el(
    'section',
    { class: 'card', id: 'tokens' },
    el('h2', {}, icon('symbol-number'), ' Tokens'),
    el('p', { class: 'big', id: 'token-count' }, t.exact === undefined ? `≈${int(t.tokens)}` : int(t.exact)),
    el('p', { class: 'muted' }, t.exact === undefined ? `${t.document} · ${estimate}` : `${t.document} · Anthropic count_tokens (local ${estimate}: ≈${int(t.tokens)})`),
    t.exactNote ? el('p', { class: 'muted' }, t.exactNote) : undefined,
  );
}

function planTable(plan: PlanView): HTMLElement {
  const head = el('tr', {}, ...['Tier', 'TTL', 'Prefix tokens', 'Placed', 'Why'].map((h) => el('th', { scope: 'col' }, h)));
  const rows = plan.breakpoints.map((b) =>
    el(
      'tr',
      { class: b.placed ? 'placed' : 'skipped' },
      el('td', {}, b.tier),
      el('td', {}, b.ttl),
      el('td', { class: 'num' }, b.prefixTokens > 0 ? `≈${int(b.prefixTokens)}` : '–'),
      el('td', {}, b.placed ? 'yes' : 'no'),
      el('td', {}, b.reason),
    ),
  );
  return el('table', { class: 'plan' }, el('thead', {}, head), el('tbody', {}, ...rows));
}

function planSection(plan: PlanView | undefined, send: Send): HTMLElement {
  const section = el(
    'section',
    { class: 'card', id: 'plan' },
    el('h2', {}, icon('layers'), ' Cache plan'),
    el(
      'div',
      { class: 'actions' },
      button('refresh-plan', 'refresh', 'Refresh', () => send({ type: 'runCommand', command: 'refreshPlan' })),
      button('prewarm', 'flame', 'Pre-warm cache', () => send({ type: 'runCommand', command: 'prewarm' })),
    ),
  );
  if (!plan) {
    section.append(el('p', { class: 'muted' }, 'Open a prompt file (*.prompt.md, .prompts/**/*.md, *.prompty) to see where the cache breakpoints go.'));
    return section;
  }
  section.append(el('p', { class: 'muted' }, `${plan.promptId ?? plan.promptPath} · ${plan.model}`));
  for (const note of plan.notes ?? []) section.append(el('p', { class: 'note' }, icon('info'), ` ${note}`));
  if (plan.error) section.append(el('p', { class: 'error' }, plan.error));
  if (plan.breakpoints.length) section.append(planTable(plan));
  if (plan.coldUsd !== undefined && plan.warmUsd !== undefined) {
    section.append(
      el('p', { id: 'predicted' }, `Predicted input cost: first send ≈${usd(plan.coldUsd)}, repeat within TTL ≈${usd(plan.warmUsd)}`),
    );
  }
  for (const d of plan.diagnostics) {
    const link = el('a', { href: '#', class: `diag ${d.severity}` }, `line ${d.line}: ${d.message}`);
    link.addEventListener('click', (e) => {
      e.preventDefault();
      send({ type: 'openFile', path: plan.promptPath, line: d.line });
    });
    section.append(el('p', {}, link));
  }
  return section;
}

/** A negative saving is normal for a first write: the premium is repaid by later reads. */
function savedText(r: RequestView, money: (n: number | undefined) => string): string {
  if (r.savedUsd === undefined || r.savedUsd >= 0) return `saved ${money(r.savedUsd)}`;
  return `caching cost ${money(-r.savedUsd)} more this time (the write premium; later reads repay it)`;
}

function usageTable(r: RequestView): HTMLElement {
  const p = r.predicted;
  const rows: Array<[string, number, number | undefined]> = [
    ['Input (uncached)', r.usage.input, p?.input],
    ['Cache write 5m', r.usage.cacheWrite5m, p?.cacheWrite5m],
    ['Cache write 1h', r.usage.cacheWrite1h, p?.cacheWrite1h],
    ['Cache read', r.usage.cacheRead, p?.cacheRead],
    ['Output', r.usage.output, undefined],
  ];
  const head = el('tr', {}, el('th', { scope: 'col' }, 'Tokens'), el('th', { scope: 'col', class: 'num' }, 'Actual'), p ? el('th', { scope: 'col', class: 'num' }, 'Predicted') : undefined);
  const body = rows.map(([k, actual, predicted]) =>
    el('tr', {}, el('th', { scope: 'row' }, k), el('td', { class: 'num' }, int(actual)), p ? el('td', { class: 'num muted' }, predicted === undefined ? '–' : `≈${int(predicted)}`) : undefined),
  );
  return el('table', { class: 'usage' }, el('thead', {}, head), el('tbody', {}, ...body));
}

function requestSection(r: RequestView): HTMLElement {
  const money = (n: number | undefined) => (n === undefined ? '–' : `${r.costExact ? '' : '≈'}${usd(n)}`);
  const failed = r.outcome === 'failed' || r.outcome === 'aborted';
  const which = r.kind === 'prewarm' ? 'Last pre-warm' : `Last request${r.turn ? ` (turn ${Math.ceil(r.turn)}${r.kind === 'agent-step' ? `, step ${(r.step ?? 0) + 1}` : ''})` : ''}`;
  const title = failed ? `${which}: ${r.outcome === 'aborted' ? 'cancelled' : 'failed'}` : which;
  const when = new Date(r.at).toLocaleTimeString();
  const timing = r.totalMs === undefined ? '' : ` · ${r.ttftMs == null ? '' : `first token ${Math.round(r.ttftMs)} ms, `}${Math.round(r.totalMs)} ms in all`;
  const section = el(
    'section',
    { class: 'card', id: 'last-request' },
    el('h2', {}, icon(failed ? 'error' : r.kind === 'prewarm' ? 'flame' : 'send'), ` ${title}`, r.localCache ? el('span', { class: 'badge', id: 'local-cache' }, 'local cache') : undefined),
    el('p', { class: 'muted' }, `${r.promptId ?? ''} · ${r.model} · ${r.backend === 'offline' ? 'offline emulator' : 'Anthropic API'} · ${when}${timing}`),
    el('p', { id: 'request-summary' }, r.summary),
  );
  if (r.error) section.append(el('p', { class: 'error', id: 'request-error' }, r.error));
  if (r.stop) section.append(el('p', { class: 'muted', id: 'request-stop' }, r.stop));
  if (r.answer !== undefined) section.append(el('div', { class: 'answer', id: 'answer' }, r.answer));
  // A failure is not a miss: no usage table or cost line unless usage arrived before it failed.
  if (failed && r.costUsd === undefined) return section;
  section.append(
    usageTable(r),
    el(
      'p',
      { id: 'request-cost' },
      `Cost ${money(r.costUsd)} · without caching ${money(r.noCacheUsd)} · ${savedText(r, money)}` +
        (r.hitRatio === undefined ? '' : ` · hit ratio ${(r.hitRatio * 100).toFixed(1)}%`) +
        (r.predicted?.costUsd === undefined ? '' : ` · predicted ≈${usd(r.predicted.costUsd)} before output`),
    ),
  );
  return section;
}

type Slice = 'backend' | 'tokens' | 'plan' | 'lastRequest';

export class SetupPart {
  readonly root = el('div', { class: 'setup' });
  private readonly nodes = new Map<Slice, Element>();
  private last: Partial<Record<Slice, unknown>> = {};

  constructor(private readonly send: Send) {}

  update(state: PanelState): void {
    this.patch('backend', state.backend, () => backendSection(state.backend, this.send));
    this.patch('tokens', state.tokens, () => tokensSection(state.tokens));
    this.patch('plan', state.plan, () => planSection(state.plan, this.send));
    this.patch('lastRequest', state.lastRequest, () => (state.lastRequest ? requestSection(state.lastRequest) : el('span', { class: 'hidden' })));
  }

  private patch(slice: Slice, value: unknown, make: () => Element): void {
    if (this.nodes.has(slice) && this.last[slice] === value) return;
    this.last[slice] = value;
    const next = make();
    const old = this.nodes.get(slice);
    if (old) old.replaceWith(next);
    else this.root.append(next);
    this.nodes.set(slice, next);
  }
}
