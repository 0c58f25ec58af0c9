// What `run` prints: per request one line of numbers from its record, each turn's answer as plain
// text, and the total; `--json` gives the same in the documented shape.
import type { RequestRecord } from '../core/ledger/record';
import { UsdSum } from '../core/ledger/reducers';
import type { TurnResult } from '../core/session/agentLoop';
import { formatUsd } from './cost';
import type { CliIO } from './io';

const n = (x: number) => x.toLocaleString('en-US');

function money(r: RequestRecord): string {
  if (!r.cost) return r.outcome === 'local' ? '$0 (local answer)' : r.costError ? `no cost (${r.costError})` : 'no cost';
  return `${r.cost.exact ? '' : '≈'}${formatUsd(r.cost.total)}`;
}

function requestLine(r: RequestRecord): string {
  const b = r.buckets;
  const what = r.outcome === 'ok' ? `in ${n(b.input)} · write 5m ${n(b.cacheWrite5m)} · write 1h ${n(b.cacheWrite1h)} · read ${n(b.cacheRead)} · out ${n(b.output)}` : r.outcome;
  const tools = r.toolCalls.length ? ` · tools: ${r.toolCalls.map((t) => `${t.name}${t.isError ? ' (error)' : ''}`).join(', ')}` : '';
  const why = r.explanation ? `\n    ${r.explanation.sentence}` : r.error ? `\n    ${r.error.message}` : '';
  return `  turn ${r.turn} step ${r.step}: ${what} · ${money(r)}${tools}${why}`;
}

function total(turns: readonly TurnResult[]): { usd: number; exact: boolean } {
  const sum = new UsdSum();
  let exact = true;
  for (const r of turns.flatMap((t) => t.records)) {
    if (r.cost) sum.add(r.cost.total);
    exact &&= r.cost?.exact ?? true;
  }
  return { usd: sum.value(), exact };
}

export function printRun(io: CliIO, turns: readonly TurnResult[]): void {
  for (const t of turns) {
    io.stdout(`Turn ${t.turn}:\n`);
    for (const r of t.records) io.stdout(`${requestLine(r)}\n`);
    if (t.answer) io.stdout(`  answer: ${t.answer.replace(/\n/g, '\n          ')}\n`);
    if (t.stop.reason !== 'end_turn') io.stdout(`  stopped: ${t.stop.message}\n`);
  }
  const { usd, exact } = total(turns);
  io.stdout(`Total: ${exact ? '' : '≈'}${formatUsd(usd)} for ${turns.reduce((k, t) => k + t.records.length, 0)} request(s)\n`);
}

export function runJson(turns: readonly TurnResult[]) {
  const runs = new Map(turns.flatMap((t) => t.toolRuns.map((x) => [`${t.turn}:${x.step}:${x.call.id}`, x] as const)));
  return {
    requests: turns.flatMap((t) =>
      t.records.map((r) => ({
        turn: r.turn,
        step: r.step,
        outcome: r.outcome,
        usage: r.usage ?? null,
        cost_usd: r.cost?.total ?? null,
        cost_exact: r.cost?.exact ?? null,
        stop_reason: r.stopReason,
        explanation: r.explanation?.sentence ?? null,
        error: r.error?.message ?? null,
        tool_calls: [...runs.values()].filter((x) => x.step === r.step && t.turn === r.turn).map((x) => ({ name: x.call.name, input: x.call.input, is_error: x.output.isError })),
      })),
    ),
    turns: turns.map((t) => ({ turn: t.turn, answer: t.answer, stop: t.stop.reason, stop_message: t.stop.message })),
    total_usd: total(turns).usd,
  };
}
