// Show Cost Analysis: a Markdown report of a session (or every record of a prompt). What
// happened against no caching and against the other strategies replayed on its recorded shapes,
// savings per tier, break-even of 5m and 1h per model, a monthly projection and the TTL each tier
// should use. Numbers come from the ledger modules (analysis.ts, tierSavings.ts, ttlReview.ts);
// this file only arranges and words them. Every estimate carries ≈: replays, per-tier splits and
// projections always; recorded amounts only when their pricing rested on an assumption.
import type { ModelTable } from '../models/types';
import type { DeclaredTtls } from '../plan/tierTtls';
import { breakEven, compareStrategies, projectComparison, projectMonthly, type StrategyComparison } from './analysis';
import type { RequestRecord } from './record';
import { totalsOf, utcDay, type Totals } from './reducers';
import type { ReplayStrategy } from './shapeReplay';
import { tierSavings, type TierSavings } from './tierSavings';
import { reviewTtls, type PromptTtlReview } from './ttlReview';

export interface CostReportOptions {
  /** e.g. "session s-20261201T090000Z-k3x9" or "prompt support-agent". */
  title: string;
  models: ModelTable;
  /** The projection's rate; default: the records' own (requests per calendar day they span). */
  requestsPerDay?: number;
  days?: number;
  /** Per prompt id, the TTLs its file declares. */
  declared?: Record<string, DeclaredTtls>;
}

/** $1,234.56 above a dollar, $0.0136 above a cent, $0.00144 below. */
export function usd(x: number): string {
  const a = Math.abs(x);
  const text = a >= 1 ? a.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : a >= 0.01 || a === 0 ? a.toFixed(4) : a.toFixed(5);
  return `${x < 0 ? '-' : ''}$${text}`;
}
const signed = (x: number): string => (x > 0 ? `+${usd(x)}` : usd(x));
const approx = (s: string, exact: boolean): string => (exact ? s : `≈${s}`);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const int = (x: number): string => Math.round(x).toLocaleString('en-US');

const NAMES: Record<ReplayStrategy, string> = {
  recorded: 'The recorded breakpoints (replayed)',
  automatic: 'Automatic caching (replayed)',
  'system-only': 'System prompt only (replayed)',
  none: 'No caching (replayed)',
};

/** Requests per calendar day the records span (UTC): one day for a session, as a session is. */
export function ownRate(t: Pick<Totals, 'firstAtMs' | 'lastAtMs'>, requests: number): number {
  if (t.firstAtMs === null || t.lastAtMs === null) return 0;
  const days = (Date.parse(utcDay(t.lastAtMs)) - Date.parse(utcDay(t.firstAtMs))) / 86_400_000 + 1;
  return requests / days;
}

function header(t: Totals, records: readonly RequestRecord[], title: string): string[] {
  const models = [...new Set(records.map((r) => r.model))];
  const parts = [`${int(t.answered)} answered`, ...(['local', 'failed', 'aborted'] as const).filter((k) => t[k]).map((k) => `${int(t[k])} ${k}`)];
  const span = t.firstAtMs === null || t.lastAtMs === null ? '' : ` from ${new Date(t.firstAtMs).toISOString()} to ${new Date(t.lastAtMs).toISOString()}`;
  return [
    `# Cost analysis: ${title}`,
    '',
    `${int(t.requests)} request${t.requests === 1 ? '' : 's'} (${parts.join(', ')})${span}; model${models.length === 1 ? '' : 's'}: ${models.join(', ') || 'none'}.`,
    'Figures marked ≈ are estimates: replays of the recorded request shapes, splits by tier and projections.',
  ];
}

function strategyLines(c: StrategyComparison, t: Totals): string[] {
  const a = c.actual;
  const lines = ['', '## Against no caching and the other strategies', ''];
  if (a.requests === 0) return [...lines, 'No answered request with a known price: nothing to compare.'];
  const rows = [
    `| What happened | ${approx(usd(a.totalUsd), a.exact)} | — | ${pct(t.hitRatio)} |`,
    `| No caching | ${approx(usd(a.noCacheUsd), a.exact)} | ${approx(signed(a.noCacheUsd - a.totalUsd), a.exact)} | 0.0% |`,
    ...c.strategies.filter((s) => s.strategy !== 'none').map((s) => `| ${NAMES[s.strategy]} | ≈${usd(s.totalUsd)} | ≈${signed(s.totalUsd - a.totalUsd)} | ≈${pct(s.hitRatio)} |`),
  ];
  const share = a.noCacheUsd > 0 ? ` (${pct(a.savedUsd / a.noCacheUsd)} of the cost without caching)` : '';
  const cheaper = c.strategies.filter((s) => s.strategy !== 'recorded' && s.totalUsd < a.totalUsd - 1e-12);
  const verdict = cheaper.length
    ? `Replayed, ${cheaper.map((s) => NAMES[s.strategy].replace(' (replayed)', '').toLowerCase()).join(' and ')} would have cost less.`
    : 'No replayed strategy would have cost less than what happened.';
  return [
    ...lines,
    `| Strategy | Cost | Against what happened | Hit ratio |`,
    '|---|---:|---:|---:|',
    ...rows,
    '',
    `Caching saved ${approx(usd(a.savedUsd), a.exact)} against no caching${share}, over ${int(a.requests)} answered request${a.requests === 1 ? '' : 's'} with a known price. ${verdict}`,
  ];
}

function tierLines(s: TierSavings): string[] {
  if (s.requests === 0) return [];
  const gross = s.tiers.reduce((x, t) => x + t.savedUsd, 0);
  return [
    '', '## Savings per tier', '',
    'Tokens read from the cache × (input price − read price), split along each request’s shape.', '',
    '| Tier | Tokens read | Saved |', '|---|---:|---:|',
    ...s.tiers.map((t) => `| ${t.tier} | ≈${int(t.readTokens)} | ≈${usd(t.savedUsd)} |`),
    `| all reads | ≈${int(s.tiers.reduce((x, t) => x + t.readTokens, 0))} | ≈${usd(gross)} |`,
    '',
    `The cache writes cost ≈${usd(s.writePremiumUsd)} more than sending those tokens as input, so the net saving is ≈${usd(gross - s.writePremiumUsd)}.`,
  ];
}

function breakEvenLines(records: readonly RequestRecord[], models: ModelTable): string[] {
  const seen = [...new Set(records.map((r) => r.model))].map((id) => models.tryResolve(id)).filter((m) => m && !m.pricesUnknown);
  if (seen.length === 0) return [];
  const lines = ['', '## Break-even of 5m and 1h', ''];
  for (const m of seen) {
    if (!m) continue;
    const b = breakEven(m.prices);
    lines.push(`- **${m.id}**: ${b['5m'].sentence} ${b['1h'].sentence}`);
  }
  return lines;
}

function projectionLines(c: StrategyComparison, perDay: number, days: number, defaulted: boolean): string[] {
  if (c.actual.requests === 0) return [];
  const p = projectComparison(c, perDay, days);
  const why = defaulted ? ' (the rate of these records: requests per calendar day they span)' : '';
  const row = (name: string, x: { perRequestUsd: number; monthlyUsd: number; savedMonthlyUsd: number }) =>
    `| ${name} | ≈${usd(x.perRequestUsd)} | ≈${usd(x.monthlyUsd)} | ≈${usd(x.savedMonthlyUsd)} |`;
  const none = projectMonthly({ totalUsd: c.actual.noCacheUsd, requests: c.actual.requests }, perDay, days);
  return [
    '', `## Projection: ≈${int(perDay)} requests a day for ${days} days${why}`, '',
    `| Strategy | Per request | Per ${days} days | Saved against no caching |`, '|---|---:|---:|---:|',
    row('As recorded', p.actual),
    ...p.strategies.filter((s) => s.strategy !== 'recorded' && s.strategy !== 'none').map((s) => row(NAMES[s.strategy].replace(' (replayed)', ''), s)),
    row('No caching', { ...none, savedMonthlyUsd: 0 }),
  ];
}

function ttlLines(reviews: readonly PromptTtlReview[]): string[] {
  const lines = ['', '## TTL per tier, from the gaps observed'];
  for (const r of reviews) {
    lines.push('', `### ${r.promptId} (${r.gaps} gap${r.gaps === 1 ? '' : 's'} between uses)`, '', '| Tier | Used | Recommended | Why |', '|---|---|---|---|');
    for (const t of r.tiers) lines.push(`| ${t.tier} | ${t.used ?? 'no breakpoint'} | ${t.recommended}${t.used && t.used !== t.recommended ? ' (change)' : ''} | ${t.reason.replace(/\|/g, '\\|')} |`);
    if (r.skipConversation) lines.push('', `Conversation breakpoint: ${r.skipConversation}.`);
  }
  lines.push('', 'Tools share the system tier’s entry: they come first in the prefix.');
  return lines;
}

export function costReport(records: readonly RequestRecord[], opts: CostReportOptions): string {
  const t = totalsOf(records);
  const c = compareStrategies(records, opts.models);
  const perDay = opts.requestsPerDay ?? ownRate(t, c.actual.requests);
  const out = [
    ...header(t, records, opts.title),
    ...strategyLines(c, t),
    ...tierLines(tierSavings(records, opts.models)),
    ...breakEvenLines(records, opts.models),
    ...projectionLines(c, perDay, opts.days ?? 30, opts.requestsPerDay === undefined),
    ...(records.length ? ttlLines(reviewTtls(records, opts.models, opts.declared)) : []),
  ];
  return `${out.join('\n')}\n`;
}
