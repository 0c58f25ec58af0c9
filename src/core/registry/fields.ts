// Typed reads of front-matter values: each bad value becomes one diagnostic on its own line.
import { isAlias, isMap, isScalar, isSeq, type Node as YamlNode, type YAMLMap } from 'yaml';
import type { CacheTtl } from '../../shared/anthropic';
import type { Pos, Yaml } from './frontMatter';
import { editDistance } from './nearest';
import type { Diagnostic, DiagnosticFix } from './types';

export interface Entry {
  key: string;
  /** Dotted path for messages, e.g. "context.ttl". */
  path: string;
  value: YamlNode | null;
  keyLine: number;
  keyColumn: number;
  /** 1-based column just after the key text, when it is on one line. */
  keyEndColumn?: number;
}

export interface Ctx {
  y: Yaml;
  diags: Diagnostic[];
}

export function entries(map: YAMLMap, ctx: Ctx, parent: string, fallbackLine: number): Entry[] {
  const out: Entry[] = [];
  for (const pair of map.items) {
    const keyNode = pair.key as YamlNode | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    const p = ctx.y.pos(keyNode, fallbackLine);
    const e: Entry = { key, path: parent ? `${parent}.${key}` : key, value: pair.value as YamlNode | null, keyLine: p.line, keyColumn: p.column };
    if (p.endColumn !== undefined) e.keyEndColumn = p.endColumn;
    out.push(e);
  }
  return out;
}

export function valueLine(e: Entry, ctx: Ctx): Pos {
  return e.value ? ctx.y.pos(e.value, e.keyLine) : keyPos(e);
}

export function keyPos(e: Entry): Pos {
  return e.keyEndColumn === undefined ? { line: e.keyLine, column: e.keyColumn } : { line: e.keyLine, column: e.keyColumn, endColumn: e.keyEndColumn };
}

/** Every diagnostic about a front-matter value goes through here, so each has a code and a span. */
export function report(ctx: Ctx, e: Entry, severity: Diagnostic['severity'], message: string, onValue = true, code = 'bad-type', fixes?: DiagnosticFix[]): Diagnostic {
  const p = onValue ? valueLine(e, ctx) : keyPos(e);
  const d: Diagnostic = { severity, message, ...p, key: e.path, code };
  if (fixes?.length) d.fixes = fixes;
  ctx.diags.push(d);
  return d;
}

/** A fix replacing the whole span at `p` (nothing when the span is unknown or spans lines). */
export function replaceFixes(p: Pos, replacements: string[], title: (r: string) => string): DiagnosticFix[] {
  if (p.endColumn === undefined) return [];
  return replacements.map((r) => ({ title: title(r), line: p.line, column: p.column, endColumn: p.endColumn as number, replacement: r }));
}

function shown(v: YamlNode | null): string {
  if (v === null) return 'nothing';
  if (isScalar(v)) return v.value === null ? 'nothing' : JSON.stringify(v.value);
  // Aliases are never expanded (that is what keeps alias bombs small): say so.
  if (isAlias(v)) return `an alias (*${v.source}), which front matter does not expand`;
  return isSeq(v) ? 'a list' : isMap(v) ? 'a mapping' : 'a value';
}

function scalar(e: Entry): unknown {
  return isScalar(e.value) ? e.value.value : undefined;
}

export function readString(e: Entry, ctx: Ctx): string | undefined {
  const v = scalar(e);
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  report(ctx, e, 'error', `'${e.path}' must be a non-empty string, got ${shown(e.value)}.`);
  return undefined;
}

export function readTtl(e: Entry, ctx: Ctx): CacheTtl | undefined {
  const v = scalar(e);
  if (v === '5m' || v === '1h') return v;
  const hint = typeof v === 'number' ? ' (a bare number is not a TTL)' : '';
  const fixes = isScalar(e.value) ? replaceFixes(valueLine(e, ctx), ['5m', '1h'], (r) => `Change to ${r}`) : [];
  report(ctx, e, 'error', `'${e.path}' must be 5m or 1h (the only TTLs Anthropic's cache supports), got ${shown(e.value)}${hint}.`, true, 'bad-ttl', fixes);
  return undefined;
}

export function readNumber(e: Entry, ctx: Ctx, opts: { min: number; max?: number; integer?: boolean }): number | undefined {
  const v = scalar(e);
  const ok = typeof v === 'number' && Number.isFinite(v) && v >= opts.min && (opts.max === undefined || v <= opts.max) && (!opts.integer || Number.isInteger(v));
  if (ok) return v;
  const range = opts.max === undefined ? `≥ ${opts.min}` : `between ${opts.min} and ${opts.max}`;
  // A number out of range is a bad value; anything else (a string, a list) is the wrong type.
  report(ctx, e, 'error', `'${e.path}' must be ${opts.integer ? 'an integer' : 'a number'} ${range}, got ${shown(e.value)}.`, true, typeof v === 'number' ? 'bad-value' : 'bad-type');
  return undefined;
}

/** A string or a list of strings; returns each item with its own line (for later file diagnostics). */
export function readStrings(e: Entry, ctx: Ctx): { values: string[]; lines: number[]; spans: Pos[] } | undefined {
  const items: (YamlNode | null)[] = isSeq(e.value) ? (e.value.items as (YamlNode | null)[]) : [e.value];
  const values: string[] = [];
  const lines: number[] = [];
  const spans: Pos[] = [];
  for (const item of items) {
    const v = isScalar(item) ? item.value : undefined;
    const p = ctx.y.pos(item, e.keyLine);
    if (typeof v !== 'string' || v.trim() === '') {
      ctx.diags.push({ severity: 'error', code: 'bad-type', message: `'${e.path}' entries must be non-empty strings, got ${shown(item)}.`, ...p, key: e.path });
      return undefined;
    }
    values.push(v.trim());
    lines.push(p.line);
    spans.push(p);
  }
  return { values, lines, spans };
}

export function asMap(e: Entry, ctx: Ctx, expected: string): YAMLMap | undefined {
  if (isMap(e.value)) return e.value;
  report(ctx, e, 'error', `'${e.path}' must be a mapping (${expected}), got ${shown(e.value)}.`);
  return undefined;
}

export function unknownKey(e: Entry, ctx: Ctx, known: readonly string[]): void {
  // Stable sort: among equally near keys the order of `known` (request keys before metadata) wins.
  const ranked = known.map((k) => ({ k, d: editDistance(e.key.toLowerCase(), k) })).sort((a, b) => a.d - b.d);
  // Two edits from a one-letter key reach half the list: short keys get one edit only.
  const limit = e.key.length <= 3 ? 1 : 2;
  const best = ranked[0];
  const close = best && best.d <= limit ? best.k : undefined;
  const hint = close ? ` Did you mean '${close}'?` : ` Known keys: ${known.join(', ')}.`;
  const ties = close ? ranked.filter((r) => r.d === (best as { d: number }).d).slice(0, 2).map((r) => r.k) : [];
  const fixes = replaceFixes(keyPos(e), ties, (r) => `Rename to '${r}'`);
  report(ctx, e, 'warning', `Unknown key '${e.path}' is ignored.${hint}`, false, 'unknown-key', fixes);
}
