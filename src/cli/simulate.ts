// `simulate --trace <file> --strategy <name> [--prices f] [--json] [--emit-requests]`: replays a
// JSONL trace through the cache simulator under one breakpoint strategy. Input problems (unknown
// strategy, missing trace, a broken trace line) are one-line errors with exit 2.
import { createModelTable } from '../core/models/table';
import { replayTrace, type ReplayResult } from '../core/strategies/replay';
import { STRATEGY_NAMES } from '../core/strategies/strategies';
import { parseTrace } from '../core/strategies/trace';
import { INPUT_LIMITS, loadPricesFile, readInputText, readStdinText } from './inputs';
import { CliError, parseFlags, printJson, type CliCommand, type CliIO } from './io';

const FLAGS = {
  trace: { type: 'string' },
  strategy: { type: 'string' },
  prices: { type: 'string' },
  json: { type: 'boolean' },
  'emit-requests': { type: 'boolean' },
} as const;


const round = (x: number) => Math.round(x * 1e10) / 1e10;

function toJson(r: ReplayResult, emitRequests: boolean): unknown {
  return {
    strategy: r.strategy,
    requests: r.requests.map((q) => ({
      index: q.index,
      usage: q.usage,
      cost_usd: round(q.cost.total),
      explanation: q.explanation.sentence,
      ...(emitRequests ? { request: q.request } : {}),
    })),
    total_usd: round(r.totalUsd),
    no_cache_usd: round(r.noCacheUsd),
    lower_bound_usd: round(r.lowerBoundUsd),
  };
}

function human(r: ReplayResult, io: CliIO): void {
  const row = (...cols: string[]) => cols.map((c, i) => (i === cols.length - 1 ? c : c.padStart(i === 0 ? 4 : 10))).join(' ');
  io.stdout(`${row('#', 'at', 'input', 'read', 'write5m', 'write1h', 'USD', 'explanation')}\n`);
  for (const q of r.requests) {
    const u = q.usage;
    const cc = u.cache_creation;
    io.stdout(
      `${row(String(q.index), `${q.atS}s`, String(u.input_tokens), String(u.cache_read_input_tokens ?? 0), String(cc?.ephemeral_5m_input_tokens ?? 0), String(cc?.ephemeral_1h_input_tokens ?? 0), q.cost.total.toFixed(5), q.explanation.sentence)}\n`,
    );
  }
  const ratio = r.lowerBoundUsd > 0 ? (r.totalUsd / r.lowerBoundUsd).toFixed(3) : 'n/a';
  io.stdout(
    `strategy ${r.strategy}: total $${r.totalUsd.toFixed(5)}, without caching $${r.noCacheUsd.toFixed(5)}, lower bound $${r.lowerBoundUsd.toFixed(5)} (×${ratio})\n`,
  );
}

export const simulateCommand: CliCommand = async (argv, io) => {
  const { values } = parseFlags(argv, FLAGS, false);
  if (!values.trace) throw new CliError('--trace <file|-> is required (JSONL: one {"at_s", "request", "output_tokens"} per line)');
  const strategy = values.strategy;
  if (!strategy) throw new CliError(`--strategy is required: one of ${STRATEGY_NAMES.join(', ')}`);
  if (!(STRATEGY_NAMES as readonly string[]).includes(strategy)) {
    throw new CliError(`unknown strategy '${strategy}'; choose one of: ${STRATEGY_NAMES.join(', ')}`);
  }
  const text = values.trace === '-' ? await readStdinText(io, INPUT_LIMITS.trace) : await readInputText(values.trace, '--trace', INPUT_LIMITS.trace);
  // TraceError, PricesFileError, unknown models and misplaced cache_control map to exit 2 in cli/errors.
  const models = createModelTable(values.prices ? await loadPricesFile(values.prices) : []);
  const result = replayTrace(parseTrace(text, models), strategy, models);
  if (values.json) printJson(io, toJson(result, values['emit-requests'] === true));
  else human(result, io);
  return 0;
};
