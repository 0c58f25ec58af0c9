// Strategy cost on the trace suite: each strategy's cost per trace, its ratio to tiered and to the
// clairvoyant lower bound; then the geometric mean of tiered / lower bound (goal ≤ 1.15).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createModelTable } from '../../src/core/models/table';
import { replayTrace } from '../../src/core/strategies/replay';
import { STRATEGY_NAMES } from '../../src/core/strategies/strategies';
import { parseTrace } from '../../src/core/strategies/trace';

const TRACES = join(__dirname, '..', 'fixtures', 'traces');
const round = (x: number) => Math.round(x * 1e8) / 1e8;

export async function run(): Promise<Array<Record<string, unknown>>> {
  const models = createModelTable();
  const out: Array<Record<string, unknown>> = [];
  let logSum = 0;
  let neverWorse = true;
  const files = readdirSync(TRACES).filter((f) => f.endsWith('.jsonl')).sort();
  for (const f of files) {
    const trace = parseTrace(readFileSync(join(TRACES, f), 'utf8'), models);
    const costs = Object.fromEntries(STRATEGY_NAMES.map((s) => [s, replayTrace(trace, s, models)]));
    const tiered = costs.tiered?.totalUsd ?? NaN;
    const lower = costs.tiered?.lowerBoundUsd ?? NaN;
    const peers = STRATEGY_NAMES.filter((s) => s !== 'tiered').map((s) => costs[s]?.totalUsd ?? NaN);
    const reused = lower < (costs.none?.totalUsd ?? 0);
    const beatenBy = STRATEGY_NAMES.filter((s) => s !== 'tiered' && (s !== 'none' || reused) && (costs[s]?.totalUsd ?? Infinity) < tiered - 1e-12);
    if (beatenBy.length) neverWorse = false;
    logSum += Math.log(tiered / lower);
    const record: Record<string, unknown> = { name: 'strategies', trace: f.replace(/\.jsonl$/, ''), requests: trace.length };
    for (const s of STRATEGY_NAMES) record[`${s.replace(/-/g, '_')}_usd`] = round(costs[s]?.totalUsd ?? NaN);
    record.lower_bound_usd = round(lower);
    for (const s of STRATEGY_NAMES) if (s !== 'tiered') record[`${s.replace(/-/g, '_')}_vs_tiered`] = round((costs[s]?.totalUsd ?? NaN) / tiered);
    record.tiered_vs_lower_bound = round(tiered / lower);
    record.worst_peer_vs_tiered = round(Math.max(...peers) / tiered);
    record.best_peer_vs_tiered = round(Math.min(...peers) / tiered);
    if (beatenBy.length) record.tiered_beaten_by = beatenBy;
    out.push(record);
  }
  out.push({
    name: 'strategies',
    summary: true,
    traces: files.length,
    tiered_vs_lower_bound_geomean: round(Math.exp(logSum / files.length)),
    goal: 1.15,
    tiered_never_worse: neverWorse,
  });
  return out;
}
