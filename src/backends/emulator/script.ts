// Deterministic assistant turns: a script (JSON or YAML, consumed in order) so agent loops and
// demos replay offline, or generated placeholder text when there is no script (or it ran out).
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { countO200k } from '../../core/tokens/count';
import type { MessagesRequest } from '../../shared/anthropic';

export type ScriptBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; name: string; input: Record<string, unknown>; id?: string };

export interface ScriptTurn {
  content: ScriptBlock[];
  /** Output tokens billed; defaults to an o200k count of the content. */
  output_tokens?: number;
  /** Defaults to tool_use when the turn has a tool_use block, else end_turn. */
  stop_reason?: string;
  /** Streaming only: real milliseconds between this turn's SSE events (a slow answer to cancel). */
  event_delay_ms?: number;
}

export interface EmulatorScript {
  turns: ScriptTurn[];
}

export interface PlannedTurn {
  content: Array<{ type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }>;
  outputTokens: number;
  stopReason: string;
  /** Real milliseconds between SSE events (from the script turn). */
  eventDelayMs?: number;
}

/** The same ceiling as a fault's delays: under the SDK's 10-minute timeout. */
const MAX_EVENT_DELAY_MS = 600_000;

function fail(where: string, what: string): never {
  throw new Error(`emulator script: ${where}: ${what}`);
}

function parseBlock(b: unknown, where: string): ScriptBlock {
  if (!b || typeof b !== 'object') fail(where, 'expected a block object');
  const o = b as Record<string, unknown>;
  if (o.type === 'text') {
    if (typeof o.text !== 'string') fail(`${where}.text`, 'expected a string');
    return { type: 'text', text: o.text };
  }
  if (o.type === 'tool_use') {
    if (typeof o.name !== 'string' || !o.name) fail(`${where}.name`, 'expected a tool name');
    const input = o.input ?? {};
    if (typeof input !== 'object' || Array.isArray(input)) fail(`${where}.input`, 'expected an object');
    return { type: 'tool_use', name: o.name, input: input as Record<string, unknown>, ...(typeof o.id === 'string' ? { id: o.id } : {}) };
  }
  return fail(`${where}.type`, `expected "text" or "tool_use", got ${JSON.stringify(o.type)}`);
}

function parseTurn(t: unknown, i: number): ScriptTurn {
  const where = `turns[${i}]`;
  if (typeof t === 'string') return { content: [{ type: 'text', text: t }] };
  if (!t || typeof t !== 'object') fail(where, 'expected a string or an object');
  const o = t as Record<string, unknown>;
  const content = o.content !== undefined ? o.content : o.text !== undefined ? [{ type: 'text', text: o.text }] : fail(where, 'needs "text" or "content"');
  if (!Array.isArray(content) || content.length === 0) fail(`${where}.content`, 'expected a non-empty list of blocks');
  const out: ScriptTurn = { content: content.map((b, j) => parseBlock(b, `${where}.content[${j}]`)) };
  if (o.output_tokens !== undefined) {
    if (typeof o.output_tokens !== 'number' || !Number.isInteger(o.output_tokens) || o.output_tokens < 0) fail(`${where}.output_tokens`, 'expected a non-negative integer');
    out.output_tokens = o.output_tokens;
  }
  if (o.stop_reason !== undefined) {
    if (typeof o.stop_reason !== 'string') fail(`${where}.stop_reason`, 'expected a string');
    out.stop_reason = o.stop_reason;
  }
  if (o.event_delay_ms !== undefined) {
    const d = o.event_delay_ms;
    if (typeof d !== 'number' || !Number.isFinite(d) || d < 0 || d > MAX_EVENT_DELAY_MS) fail(`${where}.event_delay_ms`, `expected milliseconds from 0 to ${MAX_EVENT_DELAY_MS}`);
    out.event_delay_ms = d;
  }
  return out;
}

/** Parses a script value: `{turns: [...]}` or a bare list of turns. */
export function parseScript(value: unknown): EmulatorScript {
  const turns = Array.isArray(value) ? value : value && typeof value === 'object' ? (value as { turns?: unknown }).turns : undefined;
  if (!Array.isArray(turns)) fail('top level', 'expected a list of turns or {"turns": [...]}');
  return { turns: turns.map(parseTurn) };
}

/** Parses script file text; JSON when the name ends in .json, YAML otherwise (YAML also reads JSON). */
export function parseScriptText(text: string, fileName = 'script.yaml'): EmulatorScript {
  let value: unknown;
  try {
    value = fileName.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new Error(`emulator script ${fileName}: not valid ${fileName.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  return parseScript(value);
}

const WORDS = ['offline', 'reply', 'from', 'the', 'emulator', 'with', 'a', 'fixed', 'length', 'so', 'tests', 'and', 'demos', 'are', 'stable'];

/** Placeholder length in tokens, derived from the request so the same request gets the same answer. */
export function placeholderLength(request: MessagesRequest): number {
  const h = createHash('sha256').update(JSON.stringify(request.messages ?? [])).digest();
  return 24 + ((h[0] ?? 0) % 97);
}

/** `n` words, each one o200k token (a leading space plus a common lowercase word). */
export function placeholderText(n: number): string {
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(WORDS[i % WORDS.length] as string);
  return words.join(' ');
}

export function planTurn(request: MessagesRequest, turn: ScriptTurn | undefined, nextToolId: () => string): PlannedTurn {
  const max = request.max_tokens ?? 0;
  if (!turn) {
    const want = placeholderLength(request);
    const n = Math.min(max, want);
    return { content: n > 0 ? [{ type: 'text', text: placeholderText(n) }] : [], outputTokens: n, stopReason: want > max ? 'max_tokens' : 'end_turn' };
  }
  const content = turn.content.map((b) => (b.type === 'text' ? b : { type: 'tool_use' as const, id: b.id ?? nextToolId(), name: b.name, input: b.input }));
  const natural = turn.output_tokens ?? content.reduce((n, b) => n + countO200k(b.type === 'text' ? b.text : `${b.name} ${JSON.stringify(b.input)}`), 0);
  const stop = turn.stop_reason ?? (content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
  return { content, outputTokens: Math.min(max, natural), stopReason: natural > max ? 'max_tokens' : stop, ...(turn.event_delay_ms ? { eventDelayMs: turn.event_delay_ms } : {}) };
}
