// Validates a tools JSON file: an array of Anthropic tool definitions. Parsed twice: JSON.parse
// for strict JSON, the yaml parser (JSON is YAML) for the line of each item.
import { LineCounter, parseDocument, isSeq, type Node as YamlNode } from 'yaml';
import type { ToolDefinition } from '../../shared/anthropic';
import type { Diagnostic } from './types';
import { MAX_JSON_DEPTH, jsonTooDeepAt } from '../../shared/nesting';
import { Lru } from '../tokens/lru';

const NAME = /^[a-zA-Z0-9_-]{1,128}$/;

function jsonErrorLine(text: string, err: Error): number {
  const lc = /line (\d+)/.exec(err.message);
  if (lc) return Number(lc[1]);
  const pos = /position (\d+)/.exec(err.message);
  return pos ? text.slice(0, Number(pos[1])).split('\n').length : 1;
}

function toolProblem(t: unknown): string | undefined {
  if (!t || typeof t !== 'object' || Array.isArray(t)) return 'each tool must be an object';
  const o = t as Record<string, unknown>;
  if (typeof o.name !== 'string' || !NAME.test(o.name)) return `tool name must match ${NAME.source}, got ${JSON.stringify(o.name)}`;
  // Server and built-in tools (web_search_…, bash_…) carry a versioned `type` and no input_schema.
  if (typeof o.type === 'string' && o.type !== 'custom') return undefined;
  const s = o.input_schema as Record<string, unknown> | undefined;
  if (!s || typeof s !== 'object' || s.type !== 'object') return `tool '${o.name}' needs input_schema with "type": "object"`;
  return undefined;
}

type ToolsParse = { tools?: ToolDefinition[]; diagnostics: Diagnostic[] };

/** Every request of a conversation re-reads its tools file; parsing it twice (JSON and YAML) each time showed in the turn overhead. */
const parsed = new Lru<string, ToolsParse>(16);

/** Memoised by text; callers must not mutate the result. */
export function parseToolsJson(text: string): ToolsParse {
  let r = parsed.get(text);
  if (!r) parsed.set(text, (r = parseUncached(text)));
  return r;
}

function parseUncached(text: string): ToolsParse {
  // Before either parser: the yaml parser overflows its stack on absurd nesting, and the engine
  // walks tool schemas recursively.
  const deep = jsonTooDeepAt(text);
  if (deep >= 0) {
    const line = text.slice(0, deep).split('\n').length;
    return { diagnostics: [{ severity: 'error', message: `The tools file nests more than ${MAX_JSON_DEPTH} levels deep.`, line }] };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { diagnostics: [{ severity: 'error', message: `Invalid JSON: ${(err as Error).message}`, line: jsonErrorLine(text, err as Error) }] };
  }
  if (!Array.isArray(value)) return { diagnostics: [{ severity: 'error', message: 'The tools file must be a JSON array of tool definitions.', line: 1 }] };
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const items = isSeq(doc.contents) ? (doc.contents.items as YamlNode[]) : [];
  const lineOf = (i: number) => {
    const r = items[i]?.range;
    return r ? lc.linePos(r[0]).line : 1;
  };
  const diagnostics: Diagnostic[] = [];
  const names = new Map<string, number>();
  value.forEach((t, i) => {
    const problem = toolProblem(t);
    if (problem) diagnostics.push({ severity: 'error', message: `Tool ${i + 1}: ${problem}.`, line: lineOf(i) });
    const name = (t as { name?: unknown })?.name;
    if (typeof name === 'string' && names.has(name)) diagnostics.push({ severity: 'error', message: `Tool ${i + 1}: duplicate tool name '${name}' (first on line ${names.get(name)}).`, line: lineOf(i) });
    if (typeof name === 'string' && !names.has(name)) names.set(name, lineOf(i));
  });
  return diagnostics.length ? { diagnostics } : { tools: value as ToolDefinition[], diagnostics };
}
