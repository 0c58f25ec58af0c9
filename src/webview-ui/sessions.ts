// Past sessions with their totals; each one reopens (the host loads its transcript and records).
import type { PanelToHost } from '../shared/protocol';
import type { SessionSummaryView } from '../shared/panelViews';
import { el, icon, usd } from './dom';

export class SessionsPart {
  readonly root = el('section', { class: 'card sessions', 'aria-label': 'Sessions' }, el('h2', {}, 'Sessions'));
  private readonly list = el('ul', { class: 'session-list' });
  private view: SessionSummaryView[] | undefined;

  constructor(private readonly post: (m: PanelToHost) => void) {
    this.root.append(this.list);
  }

  update(sessions: SessionSummaryView[] | undefined): void {
    if (sessions === this.view) return;
    this.view = sessions;
    const items = (sessions ?? []).map((s) => {
      const when = new Date(s.startedMs).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
      const b = el('button', { type: 'button', class: `link session${s.current ? ' current' : ''}`, 'data-session': s.id }, icon('history'), ` ${when} · ${s.requests} requests · ${usd(s.costUsd)} · saved ${usd(s.savedUsd)}${s.current ? ' (current)' : ''}`);
      b.addEventListener('click', () => this.post({ type: 'openSession', id: s.id }));
      return el('li', {}, b);
    });
    this.list.replaceChildren(...(items.length ? items : [el('li', { class: 'muted' }, 'No earlier sessions.')]));
  }
}
