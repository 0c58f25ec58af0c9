// Pure rendering of the panel state into DOM nodes.
import type { BackendView, PanelState, PlanView, TokenCountView } from '../shared/protocol';
import { el, icon, int, usd } from './dom';

export type Send = (m: { type: 'runCommand'; command: 'setApiKey' | 'refreshPlan' } | { type: 'openFile'; path: string; line: number }) => void;

function backendSection(b: BackendView, send: Send): HTMLElement {
  const label = b.kind === 'offline' ? 'Offline emulator' : 'Anthropic API';
  const btn = el('button', { type: 'button', id: 'set-key' }, icon('key'), b.hasKey ? ' Replace API key' : ' Set API key');
  btn.addEventListener('click', () => send({ type: 'runCommand', command: 'setApiKey' }));
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
  return el(
    'section',
    { class: 'card', id: 'tokens' },
    el('h2', {}, icon('symbol-number'), ' Tokens'),
    el('p', { class: 'big', id: 'token-count' }, `≈${int(t.tokens)}`),
    el('p', { class: 'muted' }, `${t.document} · estimate for ${t.model} (o200k ${int(t.rawTokens)} × ${t.factor.toFixed(2)})`),
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
      el('td', { class: 'num' }, `≈${int(b.prefixTokens)}`),
      el('td', {}, b.placed ? 'yes' : 'no'),
      el('td', {}, b.reason),
    ),
  );
  return el('table', { class: 'plan' }, el('thead', {}, head), el('tbody', {}, ...rows));
}

function planSection(plan: PlanView | undefined, send: Send): HTMLElement {
  const refresh = el('button', { type: 'button', id: 'refresh-plan' }, icon('refresh'), ' Refresh');
  refresh.addEventListener('click', () => send({ type: 'runCommand', command: 'refreshPlan' }));
  const section = el('section', { class: 'card', id: 'plan' }, el('h2', {}, icon('layers'), ' Cache plan'), refresh);
  if (!plan) {
    section.append(el('p', { class: 'muted' }, 'Open a prompt file (*.prompt.md, .prompts/**/*.md, *.prompty) to see where the cache breakpoints go.'));
    return section;
  }
  section.append(el('p', { class: 'muted' }, `${plan.promptId ?? plan.promptPath} · ${plan.model}`));
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

export function render(root: HTMLElement, state: PanelState, send: Send): void {
  root.replaceChildren(
    el('h1', {}, 'Prompt Cache Lab'),
    backendSection(state.backend, send),
    tokensSection(state.tokens),
    planSection(state.plan, send),
  );
}
