// Prompt files → PromptSpec + diagnostics. Never throws: every problem is a Diagnostic on the
// line that causes it. A spec is returned exactly when there is no error-severity diagnostic.
import { Lru } from '../tokens/lru';
import { createHash } from 'node:crypto';
import { isMap, type Node as YamlNode } from 'yaml';
import { entries, unknownKey, type Ctx } from './fields';
import { parseYaml, splitFrontMatter, type Split } from './frontMatter';
import { PROMPTY_EXTENSION_KEYS, PROMPTY_KEYS, promptySystem, readPromptyModel } from './prompty';
import { COMMON_KEYS, readCommon, type Draft } from './schema';
import type { Diagnostic, PromptFormat, PromptSpec } from './types';

export type { Diagnostic, PromptSpec } from './types';

export interface ParseResult {
  spec?: PromptSpec;
  diagnostics: Diagnostic[];
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

/** Memoised by path and text; callers must not mutate the result. */
export function parsePromptFile(path: string, text: string): ParseResult {
  const key = `${path}\0${text}`;
  let r = recent.get(key);
  if (!r) recent.set(key, (r = parseUncached(path, text)));
  return r;
}

function parseUncached(path: string, text: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  try {
    return parseInner(path, text, diagnostics);
  } catch (err) {
    // Defensive: a parser bug must surface as a diagnostic, never as an exception in the host.
    diagnostics.push({ severity: 'error', message: `Internal error while reading this file: ${(err as Error).message}`, line: 1 });
    return { diagnostics };
  }
}

function parseInner(path: string, text: string, diagnostics: Diagnostic[]): ParseResult {
  const format = formatOf(path);
  const split = splitFrontMatter(text);
  if ('severity' in split) return { diagnostics: [split] };
  const draft: Draft = { keyLines: {} };
  if (split.hasFrontMatter) readFrontMatter(split, format, diagnostics, draft);
  else diagnostics.push({ severity: 'info', message: "No front matter: using id from the file name, model default, ttl 5m. Start the file with '---' to set them.", line: 1 });
  const body = bodyOf(split, format, diagnostics);
  if (diagnostics.some((d) => d.severity === 'error') || !body) return { diagnostics };
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
  };
  copyOptional(draft, spec);
  // Context defaults to the tier-1 TTL so an undeclared context TTL never creates an order conflict.
  if (draft.context) spec.context = { files: draft.context.files, fileLines: draft.context.fileLines, ttl: draft.context.ttl ?? ttl, ttlExplicit: draft.context.ttl !== undefined };
  return { spec, diagnostics };
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
    diagnostics.push({ severity: 'error', message: 'Front matter must be a mapping of keys (e.g. "id: my-prompt").', ...p });
    return;
  }
  const ctx: Ctx = { y, diags: diagnostics };
  const known: string[] = format === 'prompty' ? [...new Set<string>([...PROMPTY_KEYS, ...PROMPTY_EXTENSION_KEYS])] : [...COMMON_KEYS];
  for (const e of entries(root, ctx, '', split.yamlStartLine)) {
    if (format === 'prompty' && e.key === 'model') readPromptyModel(e, ctx, draft);
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
    const vars = /\{\{\s*([\w.]+)\s*\}\}/.exec(section.text);
    if (vars) diagnostics.push({ severity: 'info', message: `Template variables such as {{${vars[1]}}} are sent literally: Prompt Cache Lab does not render Prompty templates.`, line: section.startLine + section.text.slice(0, vars.index).split('\n').length - 1 });
  }
  const lead = /^(?:[ \t]*\n)*/.exec(section.text)?.[0] ?? '';
  const text = section.text.slice(lead.length).trimEnd();
  if (text === '') {
    const line = format === 'prompty' && section.startLine > split.bodyStartLine ? section.startLine - 1 : split.hasFrontMatter ? split.closeLine : 1;
    diagnostics.push({ severity: 'error', message: 'The system prompt is empty: write the instructions below the front matter (an empty block cannot be sent or cached).', line });
    return undefined;
  }
  return { text, startLine: section.startLine + lead.split('\n').length - 1 };
}
