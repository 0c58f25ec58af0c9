// Typed reads of front-matter values: each bad value becomes one diagnostic on its own line.
import { isAlias, isMap, isScalar, isSeq, type Node as YamlNode, type YAMLMap } from 'yaml';
import type { CacheTtl } from '../../shared/anthropic';
import type { Yaml } from './frontMatter';
import type { Diagnostic } from './types';

export interface Entry {
  key: string;
  /** Dotted path for messages, e.g. "context.ttl". */
  path: string;
  value: YamlNode | null;
  keyLine: number;
  keyColumn: number;
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
    out.push({ key, path: parent ? `${parent}.${key}` : key, value: pair.value as YamlNode | null, keyLine: p.line, keyColumn: p.column });
  }
  return out;
}

export function valueLine(e: Entry, ctx: Ctx): { line: number; column: number } {
  return e.value ? ctx.y.pos(e.value, e.keyLine) : { line: e.keyLine, column: e.keyColumn };
}

export function report(ctx: Ctx, e: Entry, severity: Diagnostic['severity'], message: string, onValue = true): void {
  const p = onValue ? valueLine(e, ctx) : { line: e.keyLine, column: e.keyColumn };
  ctx.diags.push({ severity, message, line: p.line, column: p.column, key: e.path });
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
  report(ctx, e, 'error', `'${e.path}' must be 5m or 1h (the only TTLs Anthropic's cache supports), got ${shown(e.value)}${hint}.`);
  return undefined;
}

export function readNumber(e: Entry, ctx: Ctx, opts: { min: number; max?: number; integer?: boolean }): number | undefined {
  const v = scalar(e);
  const ok = typeof v === 'number' && Number.isFinite(v) && v >= opts.min && (opts.max === undefined || v <= opts.max) && (!opts.integer || Number.isInteger(v));
  if (ok) return v;
  const range = opts.max === undefined ? `≥ ${opts.min}` : `between ${opts.min} and ${opts.max}`;
  report(ctx, e, 'error', `'${e.path}' must be ${opts.integer ? 'an integer' : 'a number'} ${range}, got ${shown(e.value)}.`);
  return undefined;
}

/** A string or a list of strings; returns each item with its own line (for later file diagnostics). */
export function readStrings(e: Entry, ctx: Ctx): { values: string[]; lines: number[] } | undefined {
  const items: (YamlNode | null)[] = isSeq(e.value) ? (e.value.items as (YamlNode | null)[]) : [e.value];
  const values: string[] = [];
  const lines: number[] = [];
  for (const item of items) {
    const v = isScalar(item) ? item.value : undefined;
    const p = ctx.y.pos(item, e.keyLine);
    if (typeof v !== 'string' || v.trim() === '') {
      ctx.diags.push({ severity: 'error', message: `'${e.path}' entries must be non-empty strings, got ${shown(item)}.`, line: p.line, column: p.column, key: e.path });
      return undefined;
    }
    values.push(v.trim());
    lines.push(p.line);
  }
  return { values, lines };
}

export function asMap(e: Entry, ctx: Ctx, expected: string): YAMLMap | undefined {
  if (isMap(e.value)) return e.value;
  report(ctx, e, 'error', `'${e.path}' must be a mapping (${expected}), got ${shown(e.value)}.`);
  return undefined;
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0] as number;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j] as number;
      d[j] = Math.min(cur + 1, (d[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length] as number;
}

export function unknownKey(e: Entry, ctx: Ctx, known: readonly string[]): void {
  const best = known.map((k) => ({ k, d: distance(e.key.toLowerCase(), k) })).sort((a, b) => a.d - b.d)[0];
  const hint = best && best.d <= 2 ? ` Did you mean '${best.k}'?` : ` Known keys: ${known.join(', ')}.`;
  report(ctx, e, 'warning', `Unknown key '${e.path}' is ignored.${hint}`, false);
}
