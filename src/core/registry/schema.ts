// The front-matter keys shared by both formats, read into a draft PromptSpec.
import { isMap } from 'yaml';
import type { CacheTtl } from '../../shared/anthropic';
import { asMap, entries, readNumber, readString, readStrings, readTtl, report, unknownKey, type Ctx, type Entry } from './fields';
import type { ContextSpec, PromptParams } from './types';

export interface Draft extends PromptParams {
  id?: string;
  model?: string;
  ttl?: CacheTtl;
  tools?: string;
  toolResults?: string;
  context?: Omit<ContextSpec, 'ttl' | 'ttlExplicit'> & { ttl?: CacheTtl };
  keyLines: Record<string, number>;
}

/** Keys allowed for information only (shown by tools, not sent). */
export const METADATA_KEYS = ['description', 'name', 'tags', 'version', 'authors'] as const;
export const COMMON_KEYS = ['id', 'model', 'ttl', 'tools', 'tool_results', 'context', 'max_tokens', 'temperature', 'top_p', 'top_k', 'stop_sequences', ...METADATA_KEYS] as const;

type Reader = (e: Entry, ctx: Ctx, d: Draft) => void;

const readers: Record<string, Reader> = {
  id: (e, ctx, d) => (d.id = readString(e, ctx) ?? d.id),
  model: (e, ctx, d) => (d.model = readString(e, ctx) ?? d.model),
  ttl: (e, ctx, d) => (d.ttl = readTtl(e, ctx) ?? d.ttl),
  tools: (e, ctx, d) => (d.tools = readString(e, ctx) ?? d.tools),
  tool_results: (e, ctx, d) => (d.toolResults = readString(e, ctx) ?? d.toolResults),
  context: (e, ctx, d) => readContext(e, ctx, d),
  max_tokens: (e, ctx, d) => (d.max_tokens = readNumber(e, ctx, { min: 1, integer: true })),
  temperature: (e, ctx, d) => (d.temperature = readSampling(e, ctx, { min: 0, max: 1 })),
  top_p: (e, ctx, d) => (d.top_p = readSampling(e, ctx, { min: 0, max: 1 })),
  top_k: (e, ctx, d) => (d.top_k = readSampling(e, ctx, { min: 0, integer: true })),
  stop_sequences: (e, ctx, d) => (d.stop_sequences = readStrings(e, ctx)?.values),
};

/**
 * API version 2026-10-21 (what SDK 1.x sends) rejects temperature/top_p/top_k with a 400 even at
 * default values (spec §7.3-7.4): the value is checked and kept for information, never sent.
 */
export function readSampling(e: Entry, ctx: Ctx, opts: Parameters<typeof readNumber>[2]): number | undefined {
  const v = readNumber(e, ctx, opts);
  if (v !== undefined) {
    report(ctx, e, 'warning', `'${e.key}' is not sent: API version 2026-10-21 (Anthropic SDK 1.x) removed temperature, top_p and top_k, and a request with them fails with 400. Remove the key.`, false);
  }
  return v;
}

/** Reads one top-level key; false when the key is not a common one. */
export function readCommon(e: Entry, ctx: Ctx, d: Draft): boolean {
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
    if (files) d.context = { files: files.values, fileLines: files.lines };
    return;
  }
  const map = asMap(e, ctx, 'ttl: 5m|1h and files: [paths or globs]');
  if (!map) return;
  let ttl: CacheTtl | undefined;
  let files: ReturnType<typeof readStrings>;
  for (const sub of entries(map, ctx, 'context', e.keyLine)) {
    if (sub.key === 'ttl') ttl = readTtl(sub, ctx);
    else if (sub.key === 'files') files = readStrings(sub, ctx);
    else unknownKey(sub, ctx, ['ttl', 'files']);
  }
  if (!files && !ctx.diags.some((x) => x.key === 'context.files')) {
    ctx.diags.push({ severity: 'error', message: "'context' needs 'files': a list of paths or globs (relative to this file's folder).", line: e.keyLine, column: e.keyColumn, key: 'context' });
    return;
  }
  if (files) d.context = { ttl, files: files.values, fileLines: files.lines };
}
