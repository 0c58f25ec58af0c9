// `simulate --trace <file> --strategy <name> [--prices f] [--json] [--emit-requests]`: replays a
// JSONL trace through the cache simulator under one breakpoint strategy. Input problems (unknown
// strategy, missing trace, a broken trace line) are one-line errors with exit 2.
import { readFileSync } from 'node:fs';
import { UnknownModelError, UnpricedModelError, createModelTable } from '../core/models/table';
import { PricesFileError, loadPricesFile } from '../core/models/overrides';
import { replayTrace, type ReplayResult } from '../core/strategies/replay';
import { STRATEGY_NAMES } from '../core/strategies/strategies';
import { TraceError, parseTrace } from '../core/strategies/trace';
import { CacheControlError } from '../core/cache/simulator';
import { CliError, parseFlags, printJson, type CliCommand, type CliIO } from './io';

const FLAGS = {
  trace: { type: 'string' },
  strategy: { type: 'string' },
  prices: { type: 'string' },
  json: { type: 'boolean' },
  'emit-requests': { type: 'boolean' },
} as const;

function asCliError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const known = [TraceError, UnknownModelError, UnpricedModelError, PricesFileError, CacheControlError];
    if (known.some((k) => err instanceof k)) throw new CliError((err as Error).message.replace(/\s*\n\s*/g, ' '));
    throw err;
  }
}

function readTrace(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `trace file not found: ${path}` : `cannot read trace ${path}: ${(err as Error).message}`);
  }
}

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
  if (!values.trace) throw new CliError('--trace <file> is required (JSONL: one {"at_s", "request", "output_tokens"} per line)');
  const strategy = values.strategy;
  if (!strategy) throw new CliError(`--strategy is required: one of ${STRATEGY_NAMES.join(', ')}`);
  if (!(STRATEGY_NAMES as readonly string[]).includes(strategy)) {
    throw new CliError(`unknown strategy '${strategy}'; choose one of: ${STRATEGY_NAMES.join(', ')}`);
  }
  const text = readTrace(values.trace);
  const result = asCliError(() => {
    const models = createModelTable(values.prices ? loadPricesFile(values.prices) : []);
    return replayTrace(parseTrace(text, models), strategy, models);
  });
  if (values.json) printJson(io, toJson(result, values['emit-requests'] === true));
  else human(result, io);
  return 0;
};
