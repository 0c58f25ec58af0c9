// Charts over the conversation's requests, drawn with uPlot (canvas, CSP-clean): cumulative cost
// against no caching, cost per turn, hit ratio over turns. Colours come from the theme's
// --vscode-charts-* variables and the charts are rebuilt when the theme (body class) changes.
// The numbers are the host's per-request costs; only running sums are formed here.
import uPlot from 'uplot';
import type { ConversationView } from '../shared/panelViews';
import { el } from './dom';

export interface ChartSeries {
  x: number[];
  cumulative: number[];
  cumulativeNoCache: number[];
  perTurn: number[];
  hitRatio: Array<number | null>;
}

/** One point per turn: its requests' costs summed, its last answered request's hit ratio. */
export function seriesOf(c: ConversationView | undefined): ChartSeries {
  const out: ChartSeries = { x: [], cumulative: [], cumulativeNoCache: [], perTurn: [], hitRatio: [] };
  let sum = 0;
  let sumNo = 0;
  for (const t of c?.turns ?? []) {
    if (!t.requests.length) continue;
    const cost = t.requests.reduce((a, r) => a + (r.costUsd ?? 0), 0);
    sum += cost;
    sumNo += t.requests.reduce((a, r) => a + (r.noCacheUsd ?? 0), 0);
    const hits = t.requests.filter((r) => r.hitRatio !== undefined);
    out.x.push(t.turn);
    out.cumulative.push(sum);
    out.cumulativeNoCache.push(sumNo);
    out.perTurn.push(cost);
    out.hitRatio.push(hits.length ? (hits[hits.length - 1]?.hitRatio ?? null) : null);
  }
  return out;
}

function themeColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

interface ChartDef {
  title: string;
  series: Array<{ label: string; color: string; data: (s: ChartSeries) => Array<number | null>; bars?: boolean }>;
  y: (v: number) => string;
  /** A ratio stays within 0-100%; money starts at $0 so a single point does not fill the chart. */
  ratio?: boolean;
}

const money = (v: number) => `$${v.toFixed(v < 0.1 ? 4 : 2)}`;
const DEFS: ChartDef[] = [
  { title: 'Cumulative cost', y: money, series: [{ label: 'with caching', color: '--vscode-charts-blue', data: (s) => s.cumulative }, { label: 'no caching', color: '--vscode-charts-orange', data: (s) => s.cumulativeNoCache }] },
  { title: 'Cost per turn', y: money, series: [{ label: 'cost', color: '--vscode-charts-purple', data: (s) => s.perTurn, bars: true }] },
  { title: 'Hit ratio', ratio: true, y: (v) => `${Math.round(v * 100)}%`, series: [{ label: 'hit ratio', color: '--vscode-charts-green', data: (s) => s.hitRatio }] },
];

function options(def: ChartDef, width: number): uPlot.Options {
  const fg = themeColor('--vscode-foreground', '#ccc');
  const grid = themeColor('--vscode-editorWidget-border', '#555');
  const axis = { stroke: fg, grid: { stroke: grid, width: 0.5 }, ticks: { stroke: grid } };
  const bars = uPlot.paths.bars?.({ size: [0.6, 40] });
  return {
    title: def.title, width, height: 150, legend: { show: true, live: false }, cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false }, y: { range: def.ratio ? [0, 1] : (_u, _min, max) => [0, max > 0 ? max * 1.1 : 0.01] } },
    // Turns are whole numbers: no 1.25 ticks.
    axes: [{ ...axis, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }, { ...axis, size: 70, values: (_u, vals) => vals.map(def.y) }],
    series: [{ label: 'turn' }, ...def.series.map((s) => ({ label: s.label, stroke: themeColor(s.color, '#888'), width: 2, ...(s.bars && bars ? { paths: bars, fill: themeColor(s.color, '#888') } : {}) }))],
  };
}

export class ChartsPart {
  readonly root = el('section', { class: 'card charts', 'aria-label': 'Charts' }, el('h2', {}, 'Charts'));
  private readonly holders = DEFS.map(() => el('div', { class: 'chart', role: 'img' }));
  private plots: uPlot[] = [];
  private data: ChartSeries = seriesOf(undefined);
  private key = '';

  constructor() {
    this.root.append(...this.holders);
    new MutationObserver(() => this.rebuild()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    new ResizeObserver(() => this.resize()).observe(this.root);
  }

  private width(): number {
    return Math.max(200, this.root.clientWidth - 24);
  }

  update(c: ConversationView | undefined): void {
    // Streaming changes answers, not costs: redraw only when the requests changed.
    const key = (c?.turns ?? []).map((t) => t.requests.length).join(',') + (c?.id ?? '');
    if (key === this.key) return;
    this.key = key;
    this.data = seriesOf(c);
    if (!this.plots.length) return this.rebuild();
    this.plots.forEach((p, i) => p.setData(this.aligned(i)));
  }

  private aligned(i: number): uPlot.AlignedData {
    const def = DEFS[i] as ChartDef;
    return [this.data.x, ...def.series.map((s) => s.data(this.data))] as uPlot.AlignedData;
  }

  /** Rebuilt on a theme change: uPlot takes colours at creation. */
  rebuild(): void {
    for (const p of this.plots) p.destroy();
    const w = this.width();
    this.plots = DEFS.map((def, i) => new uPlot(options(def, w), this.aligned(i), this.holders[i] as HTMLElement));
    this.holders.forEach((h, i) => h.setAttribute('aria-label', `${DEFS[i]?.title}: ${this.data.x.length} turns`));
  }

  private resize(): void {
    const w = this.width();
    for (const p of this.plots) if (Math.abs(p.width - w) > 4) p.setSize({ width: w, height: 150 });
  }
}
