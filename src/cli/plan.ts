// `prompt-cache-lab plan <prompt-file> [--model id] [--prices f] [--json]`: parse a prompt file,
// compose it with one placeholder user turn, plan its breakpoints and predict cold/warm cost.
import { dirname, relative, resolve } from 'node:path';
import { createModelTable, DEFAULT_MODEL_ID } from '../core/models/table';
import type { ModelInfo } from '../core/models/types';
import { buildPromptPlan } from '../core/plan/pipeline';
import type { ColdWarm } from '../core/plan/predict';
import type { PlanResult } from '../core/plan/types';
import { nodeFiles, workspaceRoot } from '../node/nodeFiles';
import type { Diagnostic, PromptSpec } from '../core/registry/types';
import { INPUT_LIMITS, loadPricesFile, readInputText } from './inputs';
import { CliError, parseFlags, printJson, type CliCommand } from './io';

function formatDiagnostics(file: string, diags: Diagnostic[]): string {
  return diags.map((d) => `${d.file ?? file}:${d.line}${d.column ? `:${d.column}` : ''}: ${d.severity}: ${d.message}\n`).join('');
}


export const planCommand: CliCommand = async (argv, io) => {
  const { values, positionals } = parseFlags(argv, { model: { type: 'string' }, prices: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new CliError('usage: plan <prompt-file> [--model id] [--prices f] [--json]');
  const abs = resolve(positionals[0] as string);
  const shown = relative(process.cwd(), abs) || (positionals[0] as string);
  const text = await readInputText(abs, 'prompt file', INPUT_LIMITS.prompt);
  const table = createModelTable(values.prices ? await loadPricesFile(values.prices) : []);
  const root = workspaceRoot(dirname(abs));
  const outcome = await buildPromptPlan({ path: abs, text, files: nodeFiles(root), models: table, defaultModel: DEFAULT_MODEL_ID, model: values.model });
  if (outcome.diagnostics.length > 0) io.stderr(formatDiagnostics(shown, outcome.diagnostics));
  if (!outcome.ok) {
    const what = outcome.stage === 'parse' ? 'has front-matter errors (see above)' : outcome.stage === 'files' ? `${outcome.error} (see above)` : outcome.error;
    throw new CliError(`${shown} ${what}`);
  }
  const { spec, model, plan, predicted } = outcome;
  if (!predicted) throw new CliError(outcome.predictionError ?? 'no prediction');
  if (values.json) {
    printJson(io, {
      model: model.id,
      breakpoints: plan.breakpoints.map((b) => ({ tier: b.tier, ttl: b.ttl, prefix_tokens: b.prefix_tokens, placed: b.placed, reason: b.reason })),
      request: plan.request,
      predicted: { cold_usd: predicted.cold_usd, warm_usd: predicted.warm_usd },
    });
  } else io.stdout(humanTable(shown, spec, model, plan, predicted));
  return 0;
};

function humanTable(shown: string, spec: PromptSpec, model: ModelInfo, plan: PlanResult, p: ColdWarm): string {
  const rows = plan.breakpoints.map((b) => [b.tier, b.ttl, b.prefix_tokens ? `≈ ${b.prefix_tokens.toLocaleString('en-US')}` : '-', b.placed ? 'yes' : 'no', b.reason]);
  const head = ['tier', 'ttl', 'prefix tokens', 'placed', 'reason'];
  const widths = head.slice(0, 4).map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (r: string[]) => `${r.slice(0, 4).map((c, i) => c.padEnd(widths[i] as number)).join('  ')}  ${r[4]}\n`;
  const usd = (n: number) => `≈ $${n.toFixed(6)}`;
  return (
    `${spec.id} (${shown}) on ${model.id}; conversation = one placeholder user turn\n\n` +
    line(head) +
    rows.map(line).join('') +
    `\npredicted input cost (output excluded): cold ${usd(p.cold_usd)} (first send, empty cache), warm ${usd(p.warm_usd)} (identical send within the TTL)\n` +
    `≈ marks local estimates; Anthropic's usage gives the exact numbers.\n`
  );
}
