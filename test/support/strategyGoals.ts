// The strategy-cost goals (design: performance budgets), computed once for the bench and the unit
// test: per trace, tiered ÷ clairvoyant lower bound ≤ 1.30 and never dearer than a peer; over a
// suite, the geometric mean of that ratio ≤ 1.15. Pure cost arithmetic on replays, no timing.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelTable } from '../../src/core/models/types';
import { replayTrace } from '../../src/core/strategies/replay';
import { STRATEGY_NAMES } from '../../src/core/strategies/strategies';
import { parseTrace, type TraceEntry } from '../../src/core/strategies/trace';
import type { NamedTrace } from '../fixtures/traces/traffic';

export const MAX_RATIO = 1.3;
export const GEOMEAN_GOAL = 1.15;
export const TRACE_DIR = join(__dirname, '..', 'fixtures', 'traces');

export interface TraceScore {
  trace: string;
  requests: number;
  lowerBoundUsd: number;
  usd: Record<string, number>;
  /** Each strategy's total ÷ the lower bound. */
  ratio: Record<string, number>;
  /** Peers strictly cheaper than tiered ('none' only counts when the trace has reuse to exploit). */
  beatenBy: string[];
}

export interface SuiteScore {
  traces: TraceScore[];
  geomean: number;
  worst: number;
  met: { maxRatio: boolean; geomean: boolean; neverDearer: boolean };
}

export function committedTraces(models: ModelTable, only?: (name: string) => boolean): Array<{ name: string; trace: TraceEntry[] }> {
  return readdirSync(TRACE_DIR)
    .filter((f) => f.endsWith('.jsonl') && (!only || only(f.replace(/\.jsonl$/, ''))))
    .sort()
    .map((f) => ({ name: f.replace(/\.jsonl$/, ''), trace: parseTrace(readFileSync(join(TRACE_DIR, f), 'utf8'), models) }));
}

/** Generated traces go through the same parser as the files, so both are checked alike. */
export function parsedTraces(named: NamedTrace[], models: ModelTable, suffix = ''): Array<{ name: string; trace: TraceEntry[] }> {
  return named.map((t) => ({ name: `${t.name}${suffix}`, trace: parseTrace(t.lines.map((l) => JSON.stringify(l)).join('\n'), models) }));
}

export function scoreTrace(name: string, trace: TraceEntry[], models: ModelTable): TraceScore {
  const usd: Record<string, number> = {};
  let lowerBoundUsd = NaN;
  for (const s of STRATEGY_NAMES) {
    const r = replayTrace(trace, s, models);
    usd[s] = r.totalUsd;
    lowerBoundUsd = r.lowerBoundUsd;
  }
  const tiered = usd.tiered as number;
  const reused = lowerBoundUsd < (usd.none as number) - 1e-12;
  const beatenBy = STRATEGY_NAMES.filter((s) => s !== 'tiered' && (s !== 'none' || reused) && (usd[s] as number) < tiered - 1e-12);
  const ratio = Object.fromEntries(STRATEGY_NAMES.map((s) => [s, (usd[s] as number) / lowerBoundUsd]));
  return { trace: name, requests: trace.length, lowerBoundUsd, usd, ratio, beatenBy };
}

export function scoreSuite(traces: Array<{ name: string; trace: TraceEntry[] }>, models: ModelTable): SuiteScore {
  const scored = traces.map((t) => scoreTrace(t.name, t.trace, models));
  const logs = scored.map((s) => Math.log(s.ratio.tiered as number));
  const geomean = Math.exp(logs.reduce((a, b) => a + b, 0) / Math.max(1, logs.length));
  const worst = Math.max(...scored.map((s) => s.ratio.tiered as number));
  return {
    traces: scored,
    geomean,
    worst,
    met: { maxRatio: worst <= MAX_RATIO, geomean: geomean <= GEOMEAN_GOAL, neverDearer: scored.every((s) => s.beatenBy.length === 0) },
  };
}
