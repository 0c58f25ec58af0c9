// One request's cost card: tokens and dollars per bucket, the prediction beside what happened,
// the explanation, timings and the local-answer badge. A failure is shown as a failure: no hit
// ratio and no explanation (a failed request is never a cache miss).
import type { RequestView } from '../shared/protocol';
import type { BucketsView } from '../shared/panelViews';
import { el, icon, int, msText, pct, usd } from './dom';

const BUCKETS: Array<[keyof BucketsView, string]> = [
  ['input', 'Input'],
  ['cacheWrite5m', 'Write 5m'],
  ['cacheWrite1h', 'Write 1h'],
  ['cacheRead', 'Read'],
  ['output', 'Output'],
];

const failedOf = (r: RequestView): boolean => r.outcome === 'failed' || r.outcome === 'aborted';

function bucketTable(r: RequestView): HTMLTableElement {
  const p = r.predicted;
  const money = (n: number | undefined) => (n === undefined ? '–' : `${r.costExact ? '' : '≈'}${usd(n)}`);
  const head = el('tr', {}, el('th', { scope: 'col' }, 'Bucket'), el('th', { scope: 'col', class: 'num' }, 'Tokens'), el('th', { scope: 'col', class: 'num' }, 'Predicted'), el('th', { scope: 'col', class: 'num' }, 'Cost'));
  const rows = BUCKETS.map(([k, label]) => {
    const predicted = k === 'output' || !p ? '–' : `≈${int(p[k])}`;
    return el('tr', { class: `bucket-${k}` }, el('th', { scope: 'row' }, label), el('td', { class: 'num' }, int(r.usage[k])), el('td', { class: 'num muted' }, predicted), el('td', { class: 'num' }, money(r.bucketUsd?.[k])));
  });
  return el('table', { class: 'buckets' }, el('thead', {}, head), el('tbody', {}, ...rows));
}

function costLine(r: RequestView): HTMLElement {
  const money = (n: number | undefined) => (n === undefined ? '–' : `${r.costExact ? '' : '≈'}${usd(n)}`);
  const parts = [`Cost ${money(r.costUsd)}`, `no cache ${money(r.noCacheUsd)}`];
  if (r.savedUsd !== undefined) parts.push(r.savedUsd >= 0 ? `saved ${money(r.savedUsd)}` : `write premium ${money(-r.savedUsd)} (later reads repay it)`);
  if (r.hitRatio !== undefined && !failedOf(r)) parts.push(`hit ${pct(r.hitRatio)}`);
  if (r.predicted?.costUsd !== undefined) parts.push(`predicted ≈${usd(r.predicted.costUsd)}`);
  return el('p', { class: 'cost-line' }, parts.join(' · '));
}

function title(r: RequestView): HTMLElement {
  const step = r.kind === 'agent-step' ? ` step ${(r.step ?? 0) + 1}` : '';
  const what = failedOf(r) ? (r.outcome === 'aborted' ? 'Cancelled' : 'Failed') : r.kind === 'prewarm' ? 'Pre-warm' : 'Request';
  const timing = r.totalMs === undefined ? '' : `${r.ttftMs == null ? '' : `TTFT ${msText(r.ttftMs)} · `}total ${msText(r.totalMs)}`;
  return el(
    'div',
    { class: 'card-title' },
    icon(failedOf(r) ? 'error' : r.localCache ? 'archive' : 'pulse'),
    el('span', {}, ` ${what}${step} · ${r.model}`),
    r.localCache ? el('span', { class: 'badge local-badge' }, 'local cache') : undefined,
    el('span', { class: 'muted timing' }, timing),
  );
}

export function costCard(r: RequestView): HTMLElement {
  const failed = failedOf(r);
  const card = el('div', { class: `cost-card outcome-${r.outcome}`, role: 'group', 'aria-label': `Cost of turn ${r.turn ?? ''}` }, title(r));
  if (r.error) card.append(el('p', { class: 'error failure' }, r.error));
  // A local answer sent nothing and was not billed: its summary says so, a table of zeros would not.
  if (r.outcome === 'local') {
    card.append(el('p', { class: 'explanation' }, r.summary));
    return card;
  }
  // Usage that arrived before a failure is still billed, so it is shown; a hit ratio is not.
  if (!failed || r.costUsd !== undefined) card.append(bucketTable(r), costLine(r));
  if (!failed && r.explanation) card.append(el('p', { class: 'explanation' }, r.explanation));
  else if (!failed && r.summary) card.append(el('p', { class: 'explanation muted' }, r.summary));
  if (failed) card.append(el('p', { class: 'muted' }, r.summary));
  return card;
}
