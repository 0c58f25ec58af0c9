// The breakpoint map: one plain-SVG bar per request, the prefix in order (tools | system |
// context | history | new turn), coloured by read / written / uncached through classes (no
// style attribute under the CSP), breakpoints marked, token counts in <title> tooltips.
import type { MapRowView } from '../shared/panelViews';
import { el, int, setText, svg } from './dom';

/** Bars beyond this many are not drawn: the recent requests are the ones worth reading. */
export const MAP_ROWS = 100;
const WIDTH = 1000;
const HEIGHT = 14;

function bar(row: MapRowView, scale: number): SVGSVGElement {
  const total = row.segments.reduce((a, s) => a + s.tokens, 0);
  const node = svg('svg', { class: 'map-bar', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': `Turn ${row.turn}, ${int(total)} tokens` });
  let x = 0;
  const ends: number[] = [];
  for (const s of row.segments) {
    const w = s.tokens * scale;
    node.append(svg('rect', { class: `seg seg-${s.tier} st-${s.status}`, x: x.toFixed(2), y: 1, width: Math.max(w, 0.5).toFixed(2), height: HEIGHT - 2 }, svg('title', {}, `${s.tier} · ${int(s.tokens)} tokens · ${s.status}`)));
    x += w;
    ends.push(x);
  }
  for (const b of row.breakpoints) {
    const at = ends[b.segment];
    if (at === undefined) continue;
    node.append(svg('rect', { class: `bp bp-${b.ttl}`, x: Math.max(0, at - 2).toFixed(2), y: 0, width: 4, height: HEIGHT }, svg('title', {}, `breakpoint (${b.ttl}) after ${row.segments[b.segment]?.tier ?? ''}`)));
  }
  return node;
}

export class BreakpointMapPart {
  readonly root = el('section', { class: 'card map', 'aria-label': 'Breakpoint map' }, el('h2', {}, 'Breakpoint map'));
  private readonly legend = el('p', { class: 'legend muted' }, ...['read', 'written', 'uncached'].map((s) => el('span', { class: `key st-${s}` }, s)), el('span', { class: 'key bp-key' }, 'breakpoint'));
  private readonly rows = el('div', { class: 'map-rows' });
  private readonly note = el('p', { class: 'muted' });
  private view: MapRowView[] | undefined;
  private scale = 0;

  constructor() {
    this.root.append(this.legend, this.rows, this.note);
  }

  update(map: MapRowView[] | undefined): void {
    if (map === this.view) return;
    const prev = this.view ?? [];
    this.view = map;
    const shown = (map ?? []).slice(-MAP_ROWS);
    const scale = WIDTH / Math.max(1, ...shown.map((r) => r.segments.reduce((a, s) => a + s.tokens, 0)));
    // A new request only appends a bar, unless the scale changed or old bars must go.
    const appendOnly = scale === this.scale && map && map.length > prev.length && map.length <= MAP_ROWS && prev.every((r, i) => r === map[i]);
    this.scale = scale;
    const rowOf = (r: MapRowView) => el('div', { class: 'map-row' }, el('span', { class: 'map-label muted' }, `T${r.turn}${r.step ? `.${r.step + 1}` : ''}`), bar(r, scale));
    if (appendOnly) this.rows.append(...map.slice(prev.length).map(rowOf));
    else this.rows.replaceChildren(...shown.map(rowOf));
    const n = map?.length ?? 0;
    setText(this.note, n === 0 ? 'No requests yet.' : n > MAP_ROWS ? `The last ${MAP_ROWS} of ${n} requests.` : '');
  }
}
