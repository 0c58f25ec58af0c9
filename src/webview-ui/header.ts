// Session totals, like Claude Code's /cost and more: cost, tokens by bucket, token-weighted hit
// ratio, saved against no caching and against automatic caching, API time, and a budget bar.
import type { TotalsView } from '../shared/panelViews';
import { el, int, msText, pct, setText, toggle, usd } from './dom';

export class HeaderPart {
  readonly root = el('section', { class: 'session-header', 'aria-label': 'Session totals' });
  private readonly figures = el('dl', { class: 'figures' });
  private readonly tokens = el('p', { class: 'muted tokens-line' });
  private readonly budget = el('progress', { class: 'budget', max: '1', value: '0', 'aria-label': 'Budget used' });
  private readonly budgetText = el('span', { class: 'muted budget-text' });
  private readonly budgetRow = el('div', { class: 'budget-row' }, this.budget, this.budgetText);
  private view: TotalsView | undefined;

  constructor() {
    this.root.append(this.figures, this.tokens, this.budgetRow);
    this.update(undefined);
  }

  update(t: TotalsView | undefined): void {
    if (t === this.view && this.figures.childElementCount) return;
    this.view = t;
    if (!t) {
      this.figures.replaceChildren(el('dt', {}, 'Session'), el('dd', {}, 'no requests yet'));
      setText(this.tokens, '');
      toggle(this.budgetRow, 'hidden', true);
      return;
    }
    const approx = t.costExact ? '' : '≈';
    const pairs: Array<[string, string]> = [
      ['Cost', `${approx}${usd(t.costUsd)}`],
      ['Without caching', `${approx}${usd(t.noCacheUsd)}`],
      ['Saved', `${approx}${usd(t.savedUsd)}`],
      ...(t.savedVsAutoUsd === undefined ? [] : ([['vs automatic caching', `${approx}${usd(t.savedVsAutoUsd)}`]] as Array<[string, string]>)),
      ['Hit ratio', pct(t.hitRatio)],
      ['API time', msText(t.apiMs)],
      ['Requests', `${t.answered} answered${t.local ? ` · ${t.local} local` : ''}${t.failed ? ` · ${t.failed} failed` : ''}${t.aborted ? ` · ${t.aborted} cancelled` : ''}`],
    ];
    this.figures.replaceChildren(...pairs.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
    const b = t.tokens;
    setText(this.tokens, `Tokens: input ${int(b.input)} · write 5m ${int(b.cacheWrite5m)} · write 1h ${int(b.cacheWrite1h)} · read ${int(b.cacheRead)} · output ${int(b.output)}`);
    this.updateBudget(t);
  }

  private updateBudget(t: TotalsView): void {
    const budget = t.budgetUsd ?? 0;
    toggle(this.budgetRow, 'hidden', budget <= 0);
    if (budget <= 0) return;
    this.budget.max = budget;
    this.budget.value = Math.min(t.costUsd, budget);
    toggle(this.budgetRow, 'over', t.costUsd > budget);
    setText(this.budgetText, `${usd(t.costUsd)} of ${usd(budget)} budget${t.costUsd > budget ? ' (over)' : ''}`);
  }
}
