// Prompt files → PromptSpec + diagnostics. Never throws: every problem is a Diagnostic on the
// line that causes it. A spec is returned exactly when there is no error-severity diagnostic;
// otherwise `partial` holds what could be read, so later stages (files, model) still report
// their problems and a user sees every mistake at once.
import { Lru } from '../tokens/lru';
import { createHash } from 'node:crypto';
import { isMap, type Node as YamlNode } from 'yaml';
import { entries, unknownKey, type Ctx } from './fields';
import { parseYaml, splitFrontMatter, type Split } from './frontMatter';
import { PROMPTY_EXTENSION_KEYS, PROMPTY_KEYS, PROMPTY_READ_KEYS, promptySystem, readPromptyModel } from './prompty';
import { COMMON_KEYS, readCommon, settleCopilotModel, type Draft } from './schema';
import { renderTemplate, unsetVariables, type TemplateInputs } from './template';
import { readInputDefaults } from './templateKeys';
import type { Diagnostic, PromptFormat, PromptSpec } from './types';

export type { Diagnostic, PromptSpec } from './types';

export interface ParseResult {
  spec?: PromptSpec;
  /** With errors: the spec as far as it could be read (body possibly empty), for further checks only; never send it. */
  partial?: PromptSpec;
  diagnostics: Diagnostic[];
}

export interface ParseOptions {
  /** Template inputs that replace the file's `sample:` (the panel's typed values). */
  inputs?: TemplateInputs;
}

export function formatOf(path: string): PromptFormat {
  return path.toLowerCase().endsWith('.prompty') ? 'prompty' : 'markdown';
}

/** File name without folder and without .prompt.md / .md / .prompty. */
export function defaultId(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  return base.replace(/(\.prompt)?\.(md|markdown|prompty)$/i, '') || base;
}

/** Every request of a conversation re-parses its prompt file; most are unchanged since the last. */
const recent = new Lru<string, ParseResult>(16);

/** Memoised by path, text and inputs; callers must not mutate the result. */
export function parsePromptFile(path: string, text: string, opts: ParseOptions = {}): ParseResult {
  const key = memoKey(path, text, opts);
  if (key === undefined) return parseUncached(path, text, opts);
  let r = recent.get(key);
  if (!r) recent.set(key, (r = parseUncached(path, text, opts)));
  return r;
}

/** Undefined when the inputs cannot be serialised (a cycle): such a parse is not memoised. */
function memoKey(path: string, text: string, opts: ParseOptions): string | undefined {
  try {
    return `${path}\0${text}\0${opts.inputs ? JSON.stringify(opts.inputs) : ''}`;
  } catch {
    return undefined;
  }
}

function parseUncached(path: string, text: string, opts: ParseOptions): ParseResult {
  const diagnostics: Diagnostic[] = [];
  try {
    return parseInner(path, text, diagnostics, opts);
  } catch (err) {
    // Defensive: a parser bug must surface as a diagnostic, never as an exception in the host.
    diagnostics.push({ severity: 'error', code: 'internal-error', message: `Internal error while reading this file: ${(err as Error).message}`, line: 1 });
    return { diagnostics };
  }
}

function parseInner(path: string, text: string, diagnostics: Diagnostic[], opts: ParseOptions): ParseResult {
  const format = formatOf(path);
  const split = splitFrontMatter(text);
  if ('severity' in split) return { diagnostics: [split] };
  const draft: Draft = { keyLines: {}, spans: {} };
  if (split.hasFrontMatter) {
    readFrontMatter(split, format, diagnostics, draft);
    settleCopilotModel(draft, diagnostics);
  } else diagnostics.push({ severity: 'info', code: 'no-front-matter', message: "No front matter: using id from the file name, model default, ttl 5m. Start the file with '---' to set them.", line: 1 });
  const body = bodyOf(split, format, diagnostics);
  const spec = specOf(path, text, format, draft, body ?? { text: '', startLine: split.bodyStartLine });
  if (body) renderBody(spec, draft, format, opts, diagnostics);
  return diagnostics.some((d) => d.severity === 'error') || !body ? { partial: spec, diagnostics } : { spec, diagnostics };
}

function specOf(path: string, text: string, format: PromptFormat, draft: Draft, body: { text: string; startLine: number }): PromptSpec {
  const ttl = draft.ttl ?? '5m';
  const spec: PromptSpec = {
    id: draft.id ?? defaultId(path),
    path,
    format,
    ttl,
    ttlExplicit: draft.ttl !== undefined,
    body: body.text,
    bodyStartLine: body.startLine,
    contentHash: createHash('sha256').update(text).digest('hex').slice(0, 16),
    keyLines: draft.keyLines,
    valueSpans: draft.spans,
  };
  copyOptional(draft, spec);
  // Context defaults to the tier-1 TTL so an undeclared context TTL never creates an order conflict.
  if (draft.context) spec.context = { ...draft.context, ttl: draft.context.ttl ?? ttl, ttlExplicit: draft.context.ttl !== undefined };
  return spec;
}

/**
 * Prompty bodies are Jinja2 templates unless `template:` says otherwise; Markdown bodies are
 * literal unless they opt in. The rendered text replaces `body`, so counting and sending agree.
 */
function renderBody(spec: PromptSpec, draft: Draft, format: PromptFormat, opts: ParseOptions, diagnostics: Diagnostic[]): void {
  const engine = draft.template ?? (format === 'prompty' ? 'jinja2' : 'none');
  if (engine === 'none') return;
  const inputs = opts.inputs ?? { ...draft.inputDefaults, ...draft.sample };
  const r = renderTemplate(engine, { text: spec.body, startLine: spec.bodyStartLine }, inputs);
  diagnostics.push(...r.diagnostics);
  spec.template = { engine, variables: r.variables, inputs, source: spec.body };
  if (draft.samplePath !== undefined) spec.template.samplePath = draft.samplePath;
  if (r.text !== undefined) spec.body = r.text.trimEnd();
  // A sample given as a file is loaded later (pipeline), and a sample that failed to read already
  // has its diagnostic: until then its variables are not "unset".
  if (!opts.inputs && (draft.samplePath !== undefined || (draft.keyLines.sample !== undefined && !draft.sample && !draft.inputDefaults))) return;
  for (const v of unsetVariables(r.variables, inputs)) {
    diagnostics.push({ severity: 'info', code: 'template-unset-variable', line: v.line, column: v.column, endColumn: v.endColumn, message: `'${v.name}' has no value in 'sample:' (or the inputs given): it renders empty.` });
  }
}

function copyOptional(d: Draft, spec: PromptSpec): void {
  if (d.model !== undefined) spec.model = d.model;
  if (d.tools !== undefined) spec.tools = d.tools;
  if (d.toolResults !== undefined) spec.toolResults = d.toolResults;
  if (d.max_tokens !== undefined) spec.max_tokens = d.max_tokens;
  if (d.temperature !== undefined) spec.temperature = d.temperature;
  if (d.top_p !== undefined) spec.top_p = d.top_p;
  if (d.top_k !== undefined) spec.top_k = d.top_k;
  if (d.stop_sequences !== undefined) spec.stop_sequences = d.stop_sequences;
}

function readFrontMatter(split: Split, format: PromptFormat, diagnostics: Diagnostic[], draft: Draft): void {
  // Nesting, size and key count are bounded before the parser runs (registry/limits.ts).
  const y = parseYaml(split, diagnostics);
  if (!y) return;
  const root = y.doc.contents as YamlNode | null;
  if (root === null) return;
  if (!isMap(root)) {
    const p = y.pos(root, split.yamlStartLine);
    diagnostics.push({ severity: 'error', code: 'bad-type', message: 'Front matter must be a mapping of keys (e.g. "id: my-prompt").', ...p });
    return;
  }
  const ctx: Ctx = { y, diags: diagnostics };
  const known: string[] = format === 'prompty' ? [...new Set<string>([...PROMPTY_KEYS, ...PROMPTY_EXTENSION_KEYS])] : [...COMMON_KEYS];
  for (const e of entries(root, ctx, '', split.yamlStartLine)) {
    if (format === 'prompty' && e.key === 'model') readPromptyModel(e, ctx, draft);
    else if (format === 'prompty' && e.key === 'inputs') readInputDefaults(e, ctx, draft);
    else if (format === 'prompty' && (PROMPTY_READ_KEYS as readonly string[]).includes(e.key)) readCommon(e, ctx, draft);
    else if (format === 'prompty' && !known.includes(e.key)) unknownKey(e, ctx, known);
    else if (format === 'prompty' && (PROMPTY_KEYS as readonly string[]).includes(e.key)) continue;
    else if (!readCommon(e, ctx, draft)) unknownKey(e, ctx, known);
  }
}

/** The system prompt with leading blank lines and trailing whitespace removed (stable bytes, stable cache). */
function bodyOf(split: Split, format: PromptFormat, diagnostics: Diagnostic[]): { text: string; startLine: number } | undefined {
  let section: { text: string; startLine: number } | undefined = { text: split.body, startLine: split.bodyStartLine };
  if (format === 'prompty') {
    const p = promptySystem(split.body, split.bodyStartLine);
    diagnostics.push(...p.diagnostics);
    section = p.system;
    if (!section) return undefined;
  }
  const lead = /^(?:[ \t]*\n)*/.exec(section.text)?.[0] ?? '';
  const text = section.text.slice(lead.length).trimEnd();
  if (text === '') {
    const line = format === 'prompty' && section.startLine > split.bodyStartLine ? section.startLine - 1 : split.hasFrontMatter ? split.closeLine : 1;
    diagnostics.push({ severity: 'error', code: 'empty-body', message: 'The system prompt is empty: write the instructions below the front matter (an empty block cannot be sent or cached).', line });
    return undefined;
  }
  return { text, startLine: section.startLine + lead.split('\n').length - 1 };
}
