// The ledger's line format: one RequestRecord per JSON line, the schema version `v` on every line.
// Decoding never throws: a line that cannot be trusted is skipped with a reason and counted, so a
// crash mid-write, a hand edit or a newer extension writing v2 lines never makes a ledger
// unreadable. Validation covers every field the reducers and the replay read, so a line that
// parses but lies about its types is skipped here rather than crashing (or skewing) a sum later.
import { RECORD_SCHEMA, type RequestRecord } from './record';

export type SkipReason = 'corrupt' | 'truncated' | 'unknown-version' | 'invalid';

export type DecodeResult = { ok: true; record: RequestRecord } | { ok: false; reason: SkipReason; detail: string };

/** One line, newline included, so the file adapter can write it with a single call. */
export function encodeRecord(record: RequestRecord): string {
  // `v` first so a reader (or a human with `head`) sees the version before anything else.
  const { v: _v, ...rest } = record;
  return `${JSON.stringify({ v: RECORD_SCHEMA, ...rest })}\n`;
}

type Obj = Record<string, unknown>;

const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
/** Token counts are whole numbers (costOf rejects anything else); durations may be fractional. */
const isCount = (x: unknown): boolean => Number.isSafeInteger(x) && (x as number) >= 0;
const isDuration = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x) && x >= 0;
const isNum = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);
const isStr = (x: unknown): boolean => typeof x === 'string';

const OUTCOMES = new Set(['ok', 'local', 'failed', 'aborted']);
const TIERS = new Set(['tools', 'system', 'context', 'conversation']);
const BUCKETS = ['input', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead', 'output'] as const;
const COST_FIELDS = ['input', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead', 'output', 'total', 'noCache', 'saved', 'hitRatio'] as const;

export function bucketsProblem(b: unknown, name: string): string | null {
  if (!isObj(b)) return `${name} is not an object`;
  const bad = BUCKETS.find((k) => !isCount(b[k]));
  return bad ? `${name}.${bad} is not a token count` : null;
}

export function shapeProblem(s: unknown): string | null {
  if (!isObj(s) || !Array.isArray(s.blocks) || !Array.isArray(s.breakpoints)) return 'shape needs blocks and breakpoints arrays';
  for (const b of s.blocks) {
    if (!isObj(b) || !TIERS.has(b.tier as string) || !isCount(b.tokens) || !isStr(b.prefixHash)) return 'shape has a malformed block';
  }
  for (const bp of s.breakpoints) {
    if (!isObj(bp) || !Number.isInteger(bp.blockIndex) || (bp.ttl !== '5m' && bp.ttl !== '1h')) return 'shape has a malformed breakpoint';
  }
  return null;
}

function costProblem(c: unknown): string | null {
  if (c === undefined) return null;
  if (!isObj(c)) return 'cost is not an object';
  const bad = COST_FIELDS.find((k) => !isNum(c[k]));
  if (bad) return `cost.${bad} is not a number`;
  return typeof c.exact === 'boolean' ? null : 'cost.exact is not a boolean';
}

function identityProblem(r: Obj): string | null {
  for (const k of ['id', 'kind', 'mode', 'sessionId', 'conversationId', 'model'] as const) {
    if (!isStr(r[k])) return `${k} is not a string`;
  }
  if (!isNum(r.atMs)) return 'atMs is not a number';
  if (r.cacheAtMs !== undefined && !isNum(r.cacheAtMs)) return 'cacheAtMs is not a number';
  const p = r.prompt;
  if (!isObj(p) || !isStr(p.id) || !isStr(p.path)) return 'prompt needs id and path';
  const v = p.version;
  if (!isObj(v) || !isStr(v.tools) || !isStr(v.system) || !isStr(v.context)) return 'prompt.version needs tools, system and context hashes';
  if (!OUTCOMES.has(r.outcome as string)) return `outcome ${JSON.stringify(r.outcome)} is unknown`;
  return null;
}

/** Why a parsed v1 object cannot be used as a record, or null when it can. */
export function recordProblem(r: Obj): string | null {
  const problem = identityProblem(r) ?? bucketsProblem(r.buckets, 'buckets') ?? costProblem(r.cost) ?? shapeProblem(r.shape);
  if (problem) return problem;
  if (r.usage !== undefined && !isObj(r.usage)) return 'usage is not an object';
  if (r.predicted !== undefined && (!isObj(r.predicted) || bucketsProblem(r.predicted.buckets, 'predicted.buckets'))) return 'predicted is malformed';
  if (r.ttftMs !== null && !isDuration(r.ttftMs)) return 'ttftMs is not a duration or null';
  if (!isDuration(r.totalMs)) return 'totalMs is not a duration';
  if (!Array.isArray(r.toolCalls)) return 'toolCalls is not an array';
  return null;
}

/** Decodes one line (without its newline). `last` marks a final line that had no newline: a torn write. */
export function decodeLine(line: string, last = false): DecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { ok: false, reason: last ? 'truncated' : 'corrupt', detail: (err as Error).message };
  }
  if (!isObj(value)) return { ok: false, reason: 'corrupt', detail: 'not a JSON object' };
  if (value.v !== RECORD_SCHEMA) return { ok: false, reason: 'unknown-version', detail: `schema version ${JSON.stringify(value.v)} (this build reads ${RECORD_SCHEMA})` };
  const problem = recordProblem(value);
  return problem ? { ok: false, reason: 'invalid', detail: problem } : { ok: true, record: value as unknown as RequestRecord };
}

export interface SkipCounts {
  total: number;
  byReason: Record<SkipReason, number>;
  /** The first skipped line (1-based within its file), for one helpful message. */
  first?: { file?: string; line: number; reason: SkipReason; detail: string };
}

export const emptySkips = (): SkipCounts => ({ total: 0, byReason: { corrupt: 0, truncated: 0, 'unknown-version': 0, invalid: 0 } });

/**
 * Splits text fed in chunks into lines and decodes them, so a file is read with flat memory.
 * Blank lines are ignored (not counted): they carry no record and harm nothing.
 */
export class LineDecoder {
  readonly skips = emptySkips();
  /** Names the file being fed, for the skip message; line numbers restart at each end(). */
  file: string | undefined;
  private rest = '';
  private line = 0;

  constructor(private readonly onRecord: (record: RequestRecord) => void) {}

  push(chunk: string): void {
    let text = this.rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      this.take(text.slice(start, nl), false);
      start = nl + 1;
    }
    text = text.slice(start);
    this.rest = text;
  }

  /** Ends one file: an unterminated final line is decoded as possibly torn. */
  end(): void {
    const rest = this.rest;
    this.rest = '';
    if (rest !== '') this.take(rest, true);
    this.line = 0;
  }

  private take(raw: string, last: boolean): void {
    this.line++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return;
    const r = decodeLine(text, last);
    if (r.ok) {
      this.onRecord(r.record);
      return;
    }
    this.skips.total++;
    this.skips.byReason[r.reason]++;
    this.skips.first ??= { ...(this.file ? { file: this.file } : {}), line: this.line, reason: r.reason, detail: r.detail };
  }
}

/** One sentence for the skipped lines, or null when none were skipped. */
export function describeSkips(s: SkipCounts): string | null {
  if (s.total === 0) return null;
  const parts = (Object.entries(s.byReason) as Array<[SkipReason, number]>).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
  const where = s.first?.file ? `${s.first.file} line` : 'line';
  const first = s.first ? `; first at ${where} ${s.first.line}: ${s.first.detail}` : '';
  return `skipped ${s.total} ledger line${s.total === 1 ? '' : 's'} (${parts.join(', ')})${first}`;
}
