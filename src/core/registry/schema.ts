// The front-matter keys shared by both formats, read into a draft PromptSpec.
import { isMap } from 'yaml';
import type { CacheTtl } from '../../shared/anthropic';
import { isSeq } from 'yaml';
import { asMap, entries, readNumber, readString, readStrings, readTtl, report, unknownKey, valueLine, type Ctx, type Entry } from './fields';
import { readSample, readTemplateKey } from './templateKeys';
import type { TemplateEngine, TemplateInputs } from './template';
import type { ContextSpec, Diagnostic, PromptParams, Span } from './types';

export interface Draft extends PromptParams {
  id?: string;
  model?: string;
  ttl?: CacheTtl;
  tools?: string;
  toolResults?: string;
  context?: Omit<ContextSpec, 'ttl' | 'ttlExplicit'> & { ttl?: CacheTtl };
  keyLines: Record<string, number>;
  spans: Record<string, Span>;
  template?: TemplateEngine | 'none';
  /** The file carries Copilot's markers (`mode:`, a `tools:` list): it is also a Copilot prompt file. */
  copilot?: boolean;
  sample?: TemplateInputs;
  /** Prompty `inputs:` defaults, under the sample. */
  inputDefaults?: TemplateInputs;
  samplePath?: string;
}

/**
 * Keys allowed for information only (shown by tools, not sent). `description` and `mode` are also
 * Copilot's (VS Code's `prompt` language reads the same *.prompt.md files): accepted, not used.
 */
export const METADATA_KEYS = ['description', 'name', 'tags', 'version', 'authors', 'mode'] as const;
export const COMMON_KEYS = ['id', 'model', 'ttl', 'tools', 'tool_results', 'context', 'max_tokens', 'temperature', 'top_p', 'top_k', 'stop_sequences', 'template', 'sample', ...METADATA_KEYS] as const;

type Reader = (e: Entry, ctx: Ctx, d: Draft) => void;

const readers: Record<string, Reader> = {
  id: (e, ctx, d) => (d.id = readString(e, ctx) ?? d.id),
  model: (e, ctx, d) => readSpanned(e, ctx, d, 'model'),
  ttl: (e, ctx, d) => {
    d.ttl = readTtl(e, ctx) ?? d.ttl;
    d.spans.ttl = valueLine(e, ctx);
  },
  tools: (e, ctx, d) => readTools(e, ctx, d),
  template: readTemplateKey,
  sample: readSample,
  tool_results: (e, ctx, d) => (d.toolResults = readString(e, ctx) ?? d.toolResults),
  context: (e, ctx, d) => readContext(e, ctx, d),
  max_tokens: (e, ctx, d) => (d.max_tokens = readNumber(e, ctx, { min: 1, integer: true })),
  temperature: (e, ctx, d) => (d.temperature = readSampling(e, ctx, { min: 0, max: 1 })),
  top_p: (e, ctx, d) => (d.top_p = readSampling(e, ctx, { min: 0, max: 1 })),
  top_k: (e, ctx, d) => (d.top_k = readSampling(e, ctx, { min: 0, integer: true })),
  stop_sequences: (e, ctx, d) => (d.stop_sequences = readStrings(e, ctx)?.values),
};

/** A string value whose span later diagnostics (unknown model, missing file) point at. */
function readSpanned(e: Entry, ctx: Ctx, d: Draft, key: 'model' | 'tools'): void {
  const v = readString(e, ctx);
  if (v === undefined) return;
  d[key] = v;
  d.spans[key] = valueLine(e, ctx);
}

/**
 * Coexistence with Copilot's reusable prompts (VS Code's `prompt` language): there `tools:` is a
 * LIST of tool names, ours is the path of a tools JSON. A list can only be Copilot's, so it is
 * accepted and ignored with an info note, never an error; a string is always ours.
 */
function readTools(e: Entry, ctx: Ctx, d: Draft): void {
  if (isSeq(e.value)) {
    d.copilot = true;
    report(ctx, e, 'info', "'tools' as a list of tool names is Copilot's (VS Code prompt files); Prompt Cache Lab ignores it. For tools in the request, give the path of a tools JSON file.", false, 'copilot-tools');
    return;
  }
  readSpanned(e, ctx, d, 'tools');
}

/**
 * API version 2026-10-21 (what SDK 1.x sends) rejects temperature/top_p/top_k with a 400 even at
 * default values (spec §7.3-7.4): the value is checked and kept for information, never sent.
 */
export function readSampling(e: Entry, ctx: Ctx, opts: Parameters<typeof readNumber>[2]): number | undefined {
  const v = readNumber(e, ctx, opts);
  if (v !== undefined) {
    report(ctx, e, 'warning', `'${e.key}' is not sent: API version 2026-10-21 (Anthropic SDK 1.x) removed temperature, top_p and top_k, and a request with them fails with 400. Remove the key.`, false, 'sampling-param-ignored');
  }
  return v;
}

/** Reads one top-level key; false when the key is not a common one. */
export function readCommon(e: Entry, ctx: Ctx, d: Draft): boolean {
  if (e.key === 'mode') d.copilot = true;
  if ((METADATA_KEYS as readonly string[]).includes(e.key)) return true;
  const r = readers[e.key];
  if (!r) return false;
  d.keyLines[e.key] = e.keyLine;
  r(e, ctx, d);
  return true;
}

/** `context:` is a mapping {ttl, files}, or a shorthand list / single path of files. */
function readContext(e: Entry, ctx: Ctx, d: Draft): void {
  if (!isMap(e.value)) {
    const files = readStrings(e, ctx);
    if (files) d.context = { files: files.values, fileLines: files.lines, fileSpans: files.spans };
    return;
  }
  const map = asMap(e, ctx, 'ttl: 5m|1h and files: [paths or globs]');
  if (!map) return;
  let ttl: CacheTtl | undefined;
  let files: ReturnType<typeof readStrings>;
  for (const sub of entries(map, ctx, 'context', e.keyLine)) {
    if (sub.key === 'ttl') {
      ttl = readTtl(sub, ctx);
      d.spans['context.ttl'] = valueLine(sub, ctx);
    }
    else if (sub.key === 'files') files = readStrings(sub, ctx);
    else unknownKey(sub, ctx, ['ttl', 'files']);
  }
  if (!files && !ctx.diags.some((x) => x.key === 'context.files')) {
    ctx.diags.push({ severity: 'error', code: 'missing-key', message: "'context' needs 'files': a list of paths or globs (relative to this file's folder).", line: e.keyLine, column: e.keyColumn, key: 'context' });
    return;
  }
  if (files) d.context = { ttl, files: files.values, fileLines: files.lines, fileSpans: files.spans };
}

/**
 * In a file that is also Copilot's, `model:` may be Copilot's too ("GPT-4o", "Claude Sonnet 4"):
 * only an API id (claude-…, no spaces) is taken as ours; anything else is left to Copilot (info)
 * and the default model is used, instead of an unknown-model error.
 */
export function settleCopilotModel(d: Draft, diags: Diagnostic[]): void {
  if (!d.copilot || d.model === undefined || /^claude-[^\s]+$/i.test(d.model)) return;
  const span = d.spans.model ?? { line: d.keyLines.model ?? 1, column: 1 };
  diags.push({ severity: 'info', code: 'copilot-model', key: 'model', ...span, message: `model '${d.model}' looks like a Copilot model name, not a Claude API id; Prompt Cache Lab uses its default model for this file.` });
  delete d.model;
}
