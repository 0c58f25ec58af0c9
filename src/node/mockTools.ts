// The prompt's own tools answered from a mock-results file, so an agent loop runs without the
// real tools (demos, tests, cost rehearsals).
//
// File format (JSON, or YAML for any other extension), keyed by tool name:
//   { "<tool name>": <result> | [<result for call 1>, <result for call 2>, …] }
// A result is one of:
//   - a string: sent as the tool_result text;
//   - an object with only `content` (a string) and optionally `is_error` (a boolean):
//     `{ "content": "not found", "is_error": true }` sends that text, flagged as an error;
//   - any other JSON value (number, boolean, null, another object): sent as its JSON text.
// A list is consumed in order, one entry per call of that tool, and its last entry repeats once
// the list runs out. To return a JSON array as a result, wrap it in a list: [[1, 2, 3]].
// A call to a tool the file does not name is an isError result saying so.
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ToolDefinition } from '../shared/anthropic';
import type { ToolCall, ToolExecutor, ToolOutput } from '../core/ports';
import { MAX_JSON_DEPTH, MAX_YAML_DEPTH, jsonTooDeepAt, yamlTooDeepAt } from '../shared/nesting';
import { readTextBounded } from './boundedRead';

/** A mock-results file larger than this is refused at load. */
export const MAX_MOCK_FILE_BYTES = 4 * 1024 * 1024;

export class MockToolsError extends Error {}

type Results = Map<string, ToolOutput[]>;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** `{ content, is_error? }` and nothing else: the one object shape that is not sent as JSON. */
function structured(v: unknown): v is { content: string; is_error?: boolean } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  const o = v as Record<string, unknown>;
  return typeof o.content === 'string' && keys.every((k) => k === 'content' || k === 'is_error') && (o.is_error === undefined || typeof o.is_error === 'boolean');
}

function toOutput(v: unknown): ToolOutput {
  if (typeof v === 'string') return { content: v, isError: false };
  if (structured(v)) return { content: v.content, isError: v.is_error === true };
  return { content: JSON.stringify(v) ?? 'null', isError: false };
}

function parseText(text: string, file: string): unknown {
  const json = extname(file).toLowerCase() === '.json';
  const deep = json ? (jsonTooDeepAt(text) >= 0 ? 1 : 0) : yamlTooDeepAt(text);
  if (deep > 0) throw new MockToolsError(`mock tool results ${file}: nests more than ${json ? MAX_JSON_DEPTH : MAX_YAML_DEPTH} levels deep`);
  try {
    return json ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    const first = (err as Error).message.split('\n')[0];
    throw new MockToolsError(`mock tool results ${file}: not valid ${json ? 'JSON' : 'YAML'}: ${first}`);
  }
}

/** Validates the parsed file: a mapping of tool name to a result or a non-empty list of results. */
export function parseMockResults(value: unknown, file: string): Results {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MockToolsError(`mock tool results ${file}: expected an object keyed by tool name, like {"get_weather": "Sunny, 21°C"}, got ${describe(value)}`);
  }
  const results: Results = new Map();
  for (const [name, entry] of Object.entries(value)) {
    if (name.trim() === '') throw new MockToolsError(`mock tool results ${file}: tool names must not be empty`);
    const list = Array.isArray(entry) ? entry : [entry];
    if (list.length === 0) throw new MockToolsError(`mock tool results ${file}: "${name}" has an empty list; give at least one result`);
    results.set(name, list.map(toOutput));
  }
  return results;
}

export class MockTools implements ToolExecutor {
  private readonly calls = new Map<string, number>();

  constructor(
    private readonly results: Results,
    /** How the file is named in messages. */
    readonly file: string,
  ) {}

  /** Reads and validates a mock-results file; any problem throws MockToolsError with one line naming the file. */
  static async load(path: string): Promise<MockTools> {
    const read = await readTextBounded(path, { maxBytes: MAX_MOCK_FILE_BYTES, label: path });
    if (!read.ok) throw new MockToolsError(`mock tool results: ${read.message}`);
    return new MockTools(parseMockResults(parseText(read.text, path), path), path);
  }

  /** From text already in memory (tests, the extension's editor buffer). */
  static fromText(text: string, file: string): MockTools {
    return new MockTools(parseMockResults(parseText(text, file), file), file);
  }

  /** Answers the prompt's own tools only: it adds no definitions. */
  definitions(): ToolDefinition[] {
    return [];
  }

  /** The tool names the file answers. */
  names(): string[] {
    return [...this.results.keys()];
  }

  async run(call: ToolCall, signal?: AbortSignal): Promise<ToolOutput> {
    if (signal?.aborted) return { content: `${call.name}: cancelled`, isError: true };
    const list = this.results.get(call.name);
    if (!list) return { content: `no mock result for tool ${call.name} in ${this.file}`, isError: true };
    const n = this.calls.get(call.name) ?? 0;
    this.calls.set(call.name, n + 1);
    return list[Math.min(n, list.length - 1)] as ToolOutput;
  }
}
