// The cache timeline: each tier's entry, warm (with its TTL counting down) or cold, and which
// breakpoint the next request will read. The 1 s timer runs only while an entry is warm.
import type { TimelineView } from '../shared/panelViews';
import { el, int, setText, toggle } from './dom';

export function remaining(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export class TimelinePart {
  readonly root = el('section', { class: 'card timeline', 'aria-label': 'Cache timeline' }, el('h2', {}, 'Cache timeline'));
  private readonly list = el('ul', { class: 'timeline-list' });
  private readonly next = el('p', { class: 'muted next-read' });
  private view: TimelineView | undefined;
  private skewMs = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private counters: Array<{ node: HTMLElement; row: HTMLElement; until: number }> = [];

  constructor() {
    this.root.append(this.list, this.next);
  }

  /** Whether the countdown timer is running (tests look at it: no timer when all is cold). */
  get ticking(): boolean {
    return this.timer !== undefined;
  }

  update(t: TimelineView | undefined): void {
    if (t === this.view) return;
    this.view = t;
    this.skewMs = t ? t.hostNowMs - Date.now() : 0;
    this.counters = [];
    const rows = (t?.entries ?? []).map((e) => {
      const count = el('span', { class: 'countdown' });
      const row = el('li', { class: `tier tier-${e.tier}${t?.nextRead === e.tier ? ' next' : ''}` }, el('span', { class: 'tier-name' }, `${e.tier} (${e.ttl})`), count, el('span', { class: 'muted' }, e.tokens ? ` · ≈${int(e.tokens)} tokens` : ''));
      if (e.warmUntilMs !== null) this.counters.push({ node: count, row, until: e.warmUntilMs });
      else {
        row.classList.add('cold');
        setText(count, ' cold');
      }
      return row;
    });
    this.list.replaceChildren(...(rows.length ? rows : [el('li', { class: 'muted' }, 'Nothing cached yet.')]));
    setText(this.next, t?.nextRead ? `The next request reads up to the ${t.nextRead} breakpoint.` : 'The next request reads nothing from the cache.');
    this.tick();
  }

  private tick(): void {
    const now = Date.now() + this.skewMs;
    let warm = 0;
    for (const c of this.counters) {
      const left = c.until - now;
      toggle(c.row, 'warm', left > 0);
      toggle(c.row, 'cold', left <= 0);
      setText(c.node, left > 0 ? ` warm · ${remaining(left)} left` : ' cold (expired)');
      if (left > 0) warm++;
    }
    if (warm && !this.timer) this.timer = setInterval(() => this.tick(), 1000);
    if (!warm && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    this.root.dataset.ticking = String(this.ticking);
  }
}
