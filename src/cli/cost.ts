// `cost --model <id> --usage '<usage JSON>' [--prices f] [--ttl 5m|1h] [--json]`: the cost of one
// response's usage. Every input problem is a CliError (exit 2), never a crash or a guessed number.
import type { CacheTtl } from '../shared/anthropic';
import { costOf, type CostResult, type EstimatedAmount } from '../core/cost/cost';
import { parseUsage } from '../core/cost/usage';
import type { ModelOverride } from '../core/models/overrides';
import { createModelTable } from '../core/models/table';
import type { ModelInfo } from '../core/models/types';
import { INPUT_LIMITS, loadPricesFile, parseJsonInput, readStdinText } from './inputs';
import { CliError, parseFlags, printJson, type CliCommand, type CliIO } from './io';

const FLAGS = {
  model: { type: 'string' },
  usage: { type: 'string' },
  prices: { type: 'string' },
  ttl: { type: 'string' },
  json: { type: 'boolean' },
} as const;

async function readUsage(raw: string, io: CliIO): Promise<unknown> {
  const text = raw === '-' ? await readStdinText(io, INPUT_LIMITS.usage) : raw;
  return parseJsonInput(text, '--usage', `pass e.g. '{"input_tokens": 10, "output_tokens": 5}' or - for stdin`);
}

function parseTtl(value: string | undefined): CacheTtl | undefined {
  if (value === undefined || value === '5m' || value === '1h') return value;
  throw new CliError(`--ttl must be 5m or 1h, got "${value}"`);
}

export function formatUsd(n: number): string {
  const digits = Math.max(0, Math.min(14, 15 - Math.max(1, Math.floor(Math.log10(Math.abs(n) || 1)) + 1)));
  const text = n.toFixed(digits).replace(/(\.\d*?[1-9])0+$|\.0+$/, '$1');
  const withCents = /\.\d{2}/.test(text) ? text : text.includes('.') ? `${text}0` : `${text}.00`;
  return `${withCents.startsWith('-') ? '-' : ''}$${withCents.replace(/^-/, '')}`;
}

function humanTable(r: CostResult, model: ModelInfo): string {
  const est = new Set<EstimatedAmount>(r.estimated);
  const usd = (key: EstimatedAmount, n: number) => `${est.has(key) ? '≈' : ''}${formatUsd(n)}`;
  const row = (label: string, tokens: string, price: string, amount: string) =>
    `  ${label.padEnd(16)}${tokens.padStart(12)}${price.padStart(12)}  ${amount}`;
  const p = r.prices;
  const lines = [
    `${model.id} (${model.displayName})${r.band === 'long' ? ', long-context band' : ''}`,
    row('bucket', 'tokens', '$/MTok', 'USD'),
    row('input', String(r.tokens.input), String(p.input), usd('input', r.breakdown.input)),
    row('cache write 5m', String(r.tokens.cache_write_5m), String(p.write5m), usd('cache_write_5m', r.breakdown.cache_write_5m)),
    row('cache write 1h', String(r.tokens.cache_write_1h), String(p.write1h), usd('cache_write_1h', r.breakdown.cache_write_1h)),
    row('cache read', String(r.tokens.cache_read), String(p.read), usd('cache_read', r.breakdown.cache_read)),
    row('output', String(r.tokens.output), String(p.output), usd('output', r.breakdown.output)),
  ];
  if (r.tokens.web_search_requests > 0) {
    lines.push(row('web search', `${r.tokens.web_search_requests} req`, '$10/1000', formatUsd(r.breakdown.web_search)));
  }
  const mods = [r.modifiers.batch && 'batch x0.5', r.modifiers.usGeo && 'US geo x1.1', r.modifiers.fast && 'fast mode'].filter(Boolean);
  lines.push(
    `  ${'total'.padEnd(40)}  ${usd('total', r.total)}${mods.length ? `  (${mods.join(', ')})` : ''}`,
    `  ${'without caching'.padEnd(40)}  ${usd('noCache', r.noCache)}`,
    `  ${'saved'.padEnd(40)}  ${usd('saved', r.saved)}${r.saved < 0 ? '  (negative: caching cost more than no caching)' : ''}`,
    `  cache hit ratio ${(r.hitRatio * 100).toFixed(1)}%`,
    ...r.notes.map((n) => `  note: ${n}`),
    `  ${model.confirmed ? '' : 'UNCONFIRMED prices; '}source: ${r.priceSource}`,
  );
  return `${lines.join('\n')}\n`;
}

export const costCommand: CliCommand = async (argv, io) => {
  const { values } = parseFlags(argv, FLAGS, false);
  if (!values.model) throw new CliError('--model <id> is required, e.g. --model claude-sonnet-5');
  if (values.usage === undefined) throw new CliError(`--usage '<usage JSON>' is required, e.g. --usage '{"input_tokens": 10, "output_tokens": 5}'`);
  const requestedTtl = parseTtl(values.ttl);
  const rawUsage = await readUsage(values.usage, io);
  const prices = values.prices;
  // Engine input errors (unknown model, bad usage, bad prices) are mapped to exit 2 by cli/errors.
  const overrides: ModelOverride[] = prices ? await loadPricesFile(prices) : [];
  const model = createModelTable(overrides).resolve(values.model);
  const usage = parseUsage(rawUsage);
  const result = costOf(usage, model, requestedTtl ? { requestedTtl } : {});
  if (values.json) {
    printJson(io, {
      model: model.id,
      cost_usd: result.total,
      no_cache_usd: result.noCache,
      saved_usd: result.saved,
      hit_ratio: result.hitRatio,
      breakdown_usd: {
        input: result.breakdown.input,
        cache_write_5m: result.breakdown.cache_write_5m,
        cache_write_1h: result.breakdown.cache_write_1h,
        cache_read: result.breakdown.cache_read,
        output: result.breakdown.output,
      },
      price_source: result.priceSource,
    });
  } else {
    io.stdout(humanTable(result, model));
  }
  return 0;
};
