// Strategy cost: per trace, tiered ÷ the clairvoyant lower bound and each peer's ratio to it, then
// per suite the geometric mean and whether the goals are met (each trace ≤ 1.30, geometric mean
// ≤ 1.15, tiered never dearer than a peer). Two suites: the committed fixtures, and held-out
// traffic of the same shapes from seeds the fixtures do not use (no rule can be tuned to a file).
// Smoke mode: the short variants of the generated shapes and two fixture files, same code path.
import { createModelTable } from '../../src/core/models/table';
import type { ModelTable } from '../../src/core/models/types';
import { STRATEGY_NAMES } from '../../src/core/strategies/strategies';
import type { TraceEntry } from '../../src/core/strategies/trace';
import { GEOMEAN_GOAL, MAX_RATIO, committedTraces, parsedTraces, scoreSuite, type SuiteScore } from '../support/strategyGoals';
import { trafficSuite } from '../fixtures/traces/traffic';
import type { BenchOptions } from './index';

/** Seeds of the held-out traffic; the committed fixtures are seed 0. */
export const HELD_OUT_SEEDS = [1, 2, 3, 4, 5];
const SMOKE_FILES = new Set(['agent-fanout', 'under-minimum']);
const round = (x: number) => Math.round(x * 1e4) / 1e4;
const key = (s: string) => s.replace(/-/g, '_');

function rows(suite: string, score: SuiteScore): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = score.traces.map((t) => {
    const r: Record<string, unknown> = { name: 'strategies', suite, trace: t.trace, requests: t.requests, tiered_vs_lower_bound: round(t.ratio.tiered as number) };
    for (const s of STRATEGY_NAMES) if (s !== 'tiered') r[`${key(s)}_vs_lower_bound`] = round(t.ratio[s] as number);
    r.lower_bound_usd = round(t.lowerBoundUsd * 1e4) / 1e4;
    r.met = (t.ratio.tiered as number) <= MAX_RATIO && t.beatenBy.length === 0;
    if (t.beatenBy.length) r.tiered_beaten_by = t.beatenBy;
    return r;
  });
  out.push({
    name: 'strategies', suite, summary: true, traces: score.traces.length,
    tiered_vs_lower_bound_geomean: round(score.geomean), worst_trace_ratio: round(score.worst),
    goal_geomean: GEOMEAN_GOAL, goal_max: MAX_RATIO,
    met_geomean: score.met.geomean, met_max: score.met.maxRatio, met_never_dearer: score.met.neverDearer,
  });
  return out;
}

function heldOut(models: ModelTable, smoke: boolean): Array<{ name: string; trace: TraceEntry[] }> {
  const seeds = smoke ? HELD_OUT_SEEDS.slice(0, 1) : HELD_OUT_SEEDS;
  return seeds.flatMap((seed) => parsedTraces(trafficSuite(seed, smoke), models, `@seed${seed}`));
}

export async function run(opts: BenchOptions = { smoke: false }): Promise<Array<Record<string, unknown>>> {
  const models = createModelTable();
  const committed = opts.smoke
    ? [...committedTraces(models, (n) => SMOKE_FILES.has(n)), ...parsedTraces(trafficSuite(0, true), models, '@small')]
    : committedTraces(models);
  return [...rows('committed', scoreSuite(committed, models)), ...rows('held-out', scoreSuite(heldOut(models, opts.smoke), models))];
}
