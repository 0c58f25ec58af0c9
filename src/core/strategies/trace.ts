// Trace files: JSONL, one request per line: {"at_s", "request" (no cache_control), "output_tokens"}.
// Policy: the first bad line stops parsing with an error naming it (the CLI exits 2): a replay
// that silently skipped lines would report a wrong total.
import type { MessagesRequest } from '../../shared/anthropic';
import type { ModelTable } from '../models/types';
import { MAX_JSON_DEPTH, jsonTooDeepAt } from '../../shared/nesting';
import { requestShapeError } from './traceShape';

export interface TraceEntry {
  /** 1-based line in the file. */
  line: number;
  atS: number;
  request: MessagesRequest;
  outputTokens: number;
}

export class TraceError extends Error {}

function fail(line: number, what: string): never {
  throw new TraceError(`trace line ${line}: ${what}`);
}

function hasCacheControl(request: MessagesRequest): boolean {
  if (request.cache_control) return true;
  const blocks: unknown[] = [...(request.tools ?? []), ...(Array.isArray(request.system) ? request.system : [])];
  for (const m of request.messages) if (Array.isArray(m.content)) blocks.push(...m.content);
  return blocks.some((b) => !!(b as { cache_control?: unknown })?.cache_control);
}

function checkRequest(line: number, value: unknown, models: ModelTable): MessagesRequest {
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail(line, '"request" must be a Messages API body (an object)');
  const r = value as MessagesRequest;
  if (typeof r.model !== 'string' || !r.model) fail(line, '"request.model" is missing');
  if (!models.tryResolve(r.model)) {
    try {
      models.resolve(r.model);
    } catch (err) {
      fail(line, (err as Error).message);
    }
    fail(line, `unknown model '${r.model}'`);
  }
  if (!Array.isArray(r.messages) || r.messages.length === 0) fail(line, '"request.messages" is empty; each request needs at least one message');
  for (const [i, m] of r.messages.entries()) {
    if (!m || (m.role !== 'user' && m.role !== 'assistant' && m.role !== 'system')) fail(line, `messages[${i}] has no valid role`);
    if (typeof m.content !== 'string' && !Array.isArray(m.content)) fail(line, `messages[${i}].content must be a string or an array of blocks`);
  }
  if (r.system !== undefined && typeof r.system !== 'string' && !Array.isArray(r.system)) fail(line, '"request.system" must be a string or an array of text blocks');
  const shape = requestShapeError(r as unknown as Record<string, unknown>);
  if (shape) fail(line, shape);
  if (hasCacheControl(r)) fail(line, 'the request already has cache_control; traces hold requests without breakpoints (the strategy adds them)');
  return r;
}

export function parseTrace(text: string, models: ModelTable): TraceEntry[] {
  const out: TraceEntry[] = [];
  const lines = text.split(/\r?\n/);
  let lastAt = -Infinity;
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let v: unknown;
    const deep = jsonTooDeepAt(raw);
    if (deep >= 0) fail(line, `nested more than ${MAX_JSON_DEPTH} levels deep (at column ${deep + 1})`);
    try {
      v = JSON.parse(raw);
    } catch (err) {
      fail(line, `not valid JSON (${(err as Error).message})`);
    }
    const o = v as { at_s?: unknown; request?: unknown; output_tokens?: unknown };
    if (!o || typeof o !== 'object') fail(line, 'expected an object {"at_s", "request", "output_tokens"}');
    if (typeof o.at_s !== 'number' || !Number.isFinite(o.at_s) || o.at_s < 0) fail(line, '"at_s" must be a number of seconds ≥ 0');
    if (o.at_s < lastAt) fail(line, `"at_s" ${o.at_s} is earlier than the previous line's ${lastAt}; lines must be in time order`);
    const outputTokens = o.output_tokens ?? 0;
    if (typeof outputTokens !== 'number' || !Number.isSafeInteger(outputTokens) || outputTokens < 0) fail(line, '"output_tokens" must be a whole number ≥ 0 (at most 2^53)');
    lastAt = o.at_s;
    out.push({ line, atS: o.at_s, request: checkRequest(line, o.request, models), outputTokens });
  });
  if (out.length === 0) throw new TraceError('trace is empty: expected one JSON request per line');
  return out;
}
