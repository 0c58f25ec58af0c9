// `report <ledger.jsonl> [--by session|prompt|version|model|day] [--json] [--csv]`: what a ledger
// cost, saved and hit, in total and per group, with the same reducers the extension uses. The
// ledger streams through once (flat memory); bad lines are skipped and counted, never fatal.
// Input problems (flags, a missing or unreadable file, a directory) are one line on stderr, exit 2.
import { comparisonSentence, createComparison, type StrategyComparison } from '../core/ledger/analysis';
import { describeSkips, type SkipCounts } from '../core/ledger/codec';
import { totalsCsv, totalsJson } from '../core/ledger/export';
import { GROUP_BYS, createGrouped, createTotals, type GroupBy, type Totals } from '../core/ledger/reducers';
import { createModelTable } from '../core/models/table';
import { loadLedger } from '../node/ledgerLoad';
import { formatUsd } from './cost';
import { CliError, parseFlags, printJson, type CliCommand, type CliIO } from './io';

const FLAGS = {
  by: { type: 'string' },
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
} as const;

interface Report {
  path: string;
  files: number;
  by: GroupBy;
  totals: Totals;
  groups: Array<{ key: string; totals: Totals }>;
  skipped: SkipCounts;
  replay: StrategyComparison;
}

function parseBy(value: string | undefined): GroupBy {
  if (value === undefined) return 'session';
  if ((GROUP_BYS as readonly string[]).includes(value)) return value as GroupBy;
  throw new CliError(`--by must be one of ${GROUP_BYS.join(', ')}, got "${value}"`);
}

async function build(path: string, by: GroupBy): Promise<Report> {
  const totals = createTotals();
  const grouped = createGrouped(by);
  const replay = createComparison(createModelTable());
  let result;
  try {
    result = await loadLedger(path, (r) => {
      totals.add(r);
      grouped.add(r);
      replay.add(r);
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const known = ['ENOENT', 'EISDIR', 'EACCES', 'EPERM', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG'];
    if (e.code && known.includes(e.code)) throw new CliError(`cannot read the ledger ${path}: ${e.message}`);
    throw err;
  }
  return { path, files: result.files.length, by, totals: totals.result(), groups: grouped.result(), skipped: result.skipped, replay: replay.result() };
}

function toJson(r: Report) {
  return {
    ledger: r.path,
    files: r.files,
    by: r.by,
    ...totalsJson(r.totals),
    skipped_lines: r.skipped.total,
    skipped_by_reason: r.skipped.byReason,
    replay: {
      requests: r.replay.actual.requests,
      cheapest: r.replay.cheapest,
      strategies: r.replay.strategies.map((s) => ({ strategy: s.strategy, total_usd: s.totalUsd, no_cache_usd: s.noCacheUsd, saved_usd: s.savedUsd, hit_ratio: s.hitRatio })),
    },
    groups: r.groups.map((g) => ({ key: g.key, ...totalsJson(g.totals) })),
  };
}

const int = (n: number): string => n.toLocaleString('en-US');
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const money = (n: number, exact: boolean): string => `${exact ? '' : '≈'}${formatUsd(n)}`;
const ms = (x: number | null): string => (x === null ? '-' : `${int(Math.round(x))} ms`);

function headline(r: Report): string {
  const t = r.totals;
  const parts = [`${int(t.answered)} answered`];
  if (t.local) parts.push(`${int(t.local)} local`);
  if (t.failed) parts.push(`${int(t.failed)} failed`);
  if (t.aborted) parts.push(`${int(t.aborted)} aborted`);
  const files = r.files > 1 ? ` in ${r.files} files` : '';
  return `${r.path}${files}: ${int(t.requests)} request${t.requests === 1 ? '' : 's'} (${parts.join(', ')})`;
}

function summaryLines(r: Report): string[] {
  const t = r.totals;
  const tk = t.tokens;
  const lines = [
    headline(r),
    `  cost             ${money(t.costUsd, t.costExact)}`,
    `  without caching  ${money(t.noCacheUsd, t.costExact)}`,
    `  saved            ${money(t.savedUsd, t.costExact)}${t.savedUsd < 0 ? '  (negative: caching cost more than no caching)' : ''}`,
    `  cache hit ratio  ${pct(t.hitRatio)} of input-side tokens (answered requests)`,
    `  tokens           input ${int(tk.input)} · write 5m ${int(tk.cacheWrite5m)} · write 1h ${int(tk.cacheWrite1h)} · read ${int(tk.cacheRead)} · output ${int(tk.output)}`,
    `  TTFT median      cached ${ms(t.ttft.cachedMedianMs)} (${int(t.ttft.cached)}) · uncached ${ms(t.ttft.uncachedMedianMs)} (${int(t.ttft.uncached)})`,
  ];
  const p = t.prediction;
  if (p.requests) lines.push(`  prediction       input-side error ${pct(p.relativeError)} over ${int(p.requests)} requests; reads off by ${int(p.readAbsErrorTokens)} tokens in all`);
  if (t.unpriced) lines.push(`  unpriced         ${int(t.unpriced)} requests have no known prices: their tokens count, their cost does not`);
  if (r.replay.actual.requests) lines.push(`  replay           ${comparisonSentence(r.replay, formatUsd)}`);
  const skipped = describeSkips(r.skipped);
  if (skipped) lines.push(`  note: ${skipped}`);
  return lines;
}

function groupLines(r: Report): string[] {
  if (r.groups.length === 0) return [];
  const width = Math.min(48, Math.max(r.by.length, ...r.groups.map((g) => g.key.length)));
  const cell = (s: string) => s.padStart(12);
  const row = (key: string, cells: string[]) => `  ${key.padEnd(width)}${cells.map(cell).join('')}`;
  const lines = ['', `By ${r.by}:`, row(r.by, ['requests', 'cost', 'no cache', 'saved', 'hit ratio'])];
  for (const { key, totals: t } of r.groups) {
    const shown = key.length > width ? `${key.slice(0, width - 1)}…` : key;
    lines.push(row(shown, [int(t.requests), money(t.costUsd, t.costExact), money(t.noCacheUsd, t.costExact), money(t.savedUsd, t.costExact), pct(t.hitRatio)]));
  }
  return lines;
}

function printText(io: CliIO, r: Report): void {
  io.stdout(`${[...summaryLines(r), ...groupLines(r)].join('\n')}\n`);
}

export const reportCommand: CliCommand = async (argv, io) => {
  const { values, positionals } = parseFlags(argv, FLAGS);
  if (positionals.length !== 1) throw new CliError(`expected one ledger file (e.g. ledger.jsonl), got ${positionals.length}`);
  if (values.json && values.csv) throw new CliError('--json and --csv cannot be combined; choose one');
  const report = await build(positionals[0] as string, parseBy(values.by));
  if (values.json) printJson(io, toJson(report));
  else if (values.csv) {
    io.stdout(totalsCsv(report.by, report.groups));
    // stdout stays pure CSV; the skip count goes to stderr.
    const skipped = describeSkips(report.skipped);
    if (skipped) io.stderr(`prompt-cache-lab report: ${skipped}\n`);
  } else printText(io, report);
  return 0;
};
