// `prompt-cache-lab check <file|dir…> [--json]`: lints prompt files as CI would, with the same
// pipeline the extension runs (parse, files, model, plan, cache lint). The current directory is
// the workspace root. Exit 1 when any error is found, 0 otherwise, 2 for bad flags or input.
import { existsSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { createModelTable, DEFAULT_MODEL_ID } from '../core/models/table';
import type { ModelTable } from '../core/models/types';
import { buildPromptPlan } from '../core/plan/pipeline';
import { listFiles, nodeFiles } from '../node/nodeFiles';
import { duplicateIdDiagnostics, isPromptPath } from '../core/registry/promptFiles';
import type { FileAccess } from '../core/registry/resolve';
import { DEFAULT_MAX_FILE_BYTES, overLimitMessage, type SizeLimit } from '../core/registry/sizeLimit';
import type { Diagnostic, PromptSpec } from '../core/registry/types';
import { oneLine } from './errors';
import { loadPricesFile, readInputText } from './inputs';
import { CliError, parseFlags, printJson, type CliCommand, type CliIO } from './io';

/** At most this many prompt files per run: a bounded cost even on a huge or hostile tree. */
export const MAX_CHECK_FILES = 10_000;
/** Files listed per folder argument before filtering (listing stops there). */
const MAX_WALK_FILES = 200_000;
const USAGE = 'usage: check <file|dir…> [--json] [--prices f] [--max-file-bytes n]';

interface Checked {
  path: string;
  diagnostics: Diagnostic[];
  spec?: PromptSpec;
  unreadable?: boolean;
}

const toSlash = (p: string) => p.split(sep).join('/');

/** Workspace-relative paths of the prompt files an argument names; refused when it leaves the root. */
function expand(root: string, arg: string, notes: string[]): string[] {
  const abs = resolve(root, arg);
  const rel = toSlash(relative(root, abs));
  if (rel.startsWith('..') || resolve(rel) !== abs) throw new CliError(`${arg} is outside the workspace (the current directory ${root}); run check from the workspace root`);
  if (!existsSync(abs)) throw new CliError(`${arg} does not exist`);
  if (!statSync(abs).isDirectory()) return [rel];
  const listed = listFiles(root, MAX_WALK_FILES, rel === '' ? undefined : rel);
  if (listed.length >= MAX_WALK_FILES) notes.push(`${arg}: stopped listing after ${MAX_WALK_FILES.toLocaleString('en-US')} files; prompt files beyond them are not checked`);
  return listed.filter((p) => isPromptPath(p)).sort();
}

const LIMIT_FLAG = '--max-file-bytes';

/** The --max-file-bytes value: a positive whole number of bytes (default 2 MB, as the extension's setting). */
function limitOf(value: string | undefined): SizeLimit {
  if (value === undefined) return { maxBytes: DEFAULT_MAX_FILE_BYTES, raise: LIMIT_FLAG };
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new CliError(`${LIMIT_FLAG} must be a positive whole number of bytes, got '${value}'`);
  return { maxBytes: n, raise: LIMIT_FLAG };
}

async function checkOne(rel: string, root: string, files: FileAccess, models: ModelTable, limit: SizeLimit): Promise<Checked> {
  let text: string;
  const size = statSync(resolve(root, rel), { throwIfNoEntry: false })?.size;
  // Over the limit is a problem of the prompt (exit 1, as in the editor), not unreadable input.
  if (size !== undefined && size > limit.maxBytes) return { path: rel, diagnostics: [{ severity: 'error', code: 'file-too-large', line: 1, column: 1, message: `${overLimitMessage(rel, size, limit)}.` }] };
  try {
    text = await readInputText(resolve(root, rel), 'prompt file', limit.maxBytes);
  } catch (err) {
    const message = oneLine((err as Error).message);
    return { path: rel, unreadable: true, diagnostics: [{ severity: 'error', code: 'unreadable-file', line: 1, column: 1, message }] };
  }
  const outcome = await buildPromptPlan({ path: resolve(root, rel), text, files, models, defaultModel: DEFAULT_MODEL_ID, skipColdWarm: true });
  const diagnostics = [...outcome.diagnostics];
  // A model error that no diagnostic carries (e.g. an unknown default) still fails the check.
  if (!outcome.ok && outcome.stage === 'model' && !diagnostics.some((d) => d.code === 'unknown-model')) {
    diagnostics.push({ severity: 'error', code: 'unknown-model', line: outcome.spec?.keyLines.model ?? 1, column: 1, message: oneLine(outcome.error) });
  }
  return outcome.spec ? { path: rel, diagnostics, spec: outcome.spec } : { path: rel, diagnostics };
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return (a.file ?? '').localeCompare(b.file ?? '') || a.line - b.line || (a.column ?? 1) - (b.column ?? 1);
}

function textReport(results: Checked[], io: CliIO): void {
  for (const r of results) {
    for (const d of r.diagnostics) {
      io.stdout(`${d.file ?? r.path}:${d.line}:${d.column ?? 1} ${d.severity} ${d.message}${d.code ? ` [${d.code}]` : ''}\n`);
    }
  }
  const count = (s: Diagnostic['severity']) => results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === s).length, 0);
  io.stderr(`check: ${results.length} prompt file${results.length === 1 ? '' : 's'}, ${count('error')} errors, ${count('warning')} warnings, ${count('info')} notes\n`);
}

function jsonReport(results: Checked[], io: CliIO): void {
  const files = results.map((r) => ({
    path: r.path,
    diagnostics: r.diagnostics.map((d) => ({ severity: d.severity, line: d.line, column: d.column ?? 1, message: d.message, code: d.code ?? 'unknown', ...(d.endColumn ? { endColumn: d.endColumn } : {}), ...(d.file ? { file: d.file } : {}) })),
  }));
  printJson(io, { files });
}

export const checkCommand: CliCommand = async (argv, io) => {
  const { values, positionals } = parseFlags(argv, { json: { type: 'boolean' }, prices: { type: 'string' }, 'max-file-bytes': { type: 'string' } });
  const limit = limitOf(values['max-file-bytes']);
  if (positionals.length === 0) throw new CliError(USAGE);
  const root = process.cwd();
  const notes: string[] = [];
  const paths = [...new Set(positionals.flatMap((p) => expand(root, p, notes)))];
  if (paths.length > MAX_CHECK_FILES) notes.push(`${paths.length.toLocaleString('en-US')} prompt files found; checking the first ${MAX_CHECK_FILES.toLocaleString('en-US')}`);
  const models = createModelTable(values.prices ? await loadPricesFile(values.prices) : []);
  const files = nodeFiles(root, limit);
  const results: Checked[] = [];
  for (const rel of paths.slice(0, MAX_CHECK_FILES)) results.push(await checkOne(rel, root, files, models, limit));
  const dupes = duplicateIdDiagnostics(results.flatMap((r) => (r.spec ? [{ ...r.spec, path: r.path }] : [])));
  for (const r of results) {
    const d = dupes.get(r.path);
    if (d) r.diagnostics.push(d);
    r.diagnostics.sort(byPosition);
  }
  for (const n of notes) io.stderr(`check: ${n}\n`);
  if (values.json) jsonReport(results, io);
  else textReport(results, io);
  if (results.some((r) => r.unreadable)) return 2;
  return results.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
};
