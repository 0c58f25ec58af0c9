// Realistic RequestRecords for tests and benches: usage, buckets and cost are consistent (cost is
// priced by core/cost/cost.ts from the built-in table), and the shape's block tokens add up to the
// input-side tokens of the usage, so a replay of the recorded breakpoints reproduces the usage.
import type { CacheTtl, Usage } from '../../src/shared/anthropic';
import { costOf, type CostResult } from '../../src/core/cost/cost';
import { usageBuckets } from '../../src/core/cost/usage';
import { PRICE_TABLE_VERSION } from '../../src/core/models/data';
import { createModelTable } from '../../src/core/models/table';
import type { ModelTable } from '../../src/core/models/types';
import { RECORD_SCHEMA, type RequestRecord, type RequestShape, type ShapeTier, type UsageBucketsView } from '../../src/core/ledger/record';

const defaultModels = createModelTable();

/** Blocks as [tier, tokens]; prefix hashes are `${key}:${i}`, so two shapes with one key share their common prefix. */
export function shapeOf(blocks: Array<[ShapeTier, number]>, breakpoints: Array<[number, CacheTtl]>, key = 'p'): RequestShape {
  return {
    blocks: blocks.map(([tier, tokens], i) => ({ tier, tokens, prefixHash: `${key}:${i}` })),
    breakpoints: breakpoints.map(([blockIndex, ttl]) => ({ blockIndex, ttl })),
  };
}

export interface RecordSpec {
  id?: string;
  atMs?: number;
  sessionId?: string;
  conversationId?: string;
  promptId?: string;
  version?: { tools: string; system: string; context: string };
  model?: string;
  outcome?: RequestRecord['outcome'];
  /** Usage as returned; `null` for a failure before any usage arrived. */
  usage?: Usage | null;
  ttftMs?: number | null;
  predicted?: UsageBucketsView;
  shape?: RequestShape;
  requestedTtl?: CacheTtl;
  models?: ModelTable;
  turn?: number;
}

/** A warm turn of a support agent: 6,000 tokens read, 300 new, 500 out. */
export const WARM_USAGE: Usage = {
  input_tokens: 300,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 6000,
  cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
  output_tokens: 500,
};

const DEFAULT_SHAPE = shapeOf(
  [['tools', 800], ['system', 2200], ['context', 3000], ['conversation', 300]],
  [[1, '1h'], [2, '5m']],
);

let seq = 0;

function costViewOf(priced: CostResult): NonNullable<RequestRecord['cost']> {
  const b = priced.breakdown;
  return {
    input: b.input, cacheWrite5m: b.cache_write_5m, cacheWrite1h: b.cache_write_1h, cacheRead: b.cache_read, output: b.output,
    total: priced.total, noCache: priced.noCache, saved: priced.saved, hitRatio: priced.hitRatio, exact: priced.exact,
    priceTable: PRICE_TABLE_VERSION,
  };
}

export function makeRecord(spec: RecordSpec = {}): RequestRecord {
  const models = spec.models ?? defaultModels;
  const model = spec.model ?? 'claude-sonnet-5';
  const usage = spec.usage === null ? undefined : (spec.usage ?? WARM_USAGE);
  const outcome = spec.outcome ?? 'ok';
  const requestedTtl = spec.requestedTtl ?? '5m';
  const buckets = usage && outcome !== 'local' ? usageBuckets(usage, requestedTtl) : { input: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0 };
  const priced = usage && outcome !== 'local' ? costOf(usage, models.resolve(model), { requestedTtl }) : undefined;
  const n = ++seq;
  const record: RequestRecord = {
    v: RECORD_SCHEMA,
    id: spec.id ?? `r-${n}`,
    kind: 'send',
    mode: 'chat',
    sessionId: spec.sessionId ?? 's-1',
    conversationId: spec.conversationId ?? 'c-1',
    turn: spec.turn ?? 1,
    step: 0,
    atMs: spec.atMs ?? Date.UTC(2026, 11, 1, 9, 0, 0),
    prompt: { id: spec.promptId ?? 'support-agent', path: 'prompts/support.prompt.md', version: spec.version ?? { tools: 'a1b2c3d4e5f6a7b8', system: 'b2c3d4e5f6a7b8c9', context: 'c3d4e5f6a7b8c9d0' } },
    model,
    backend: { kind: 'anthropic', cacheScope: 'anthropic:workspace' },
    outcome,
    buckets,
    ttftMs: spec.ttftMs === undefined ? (outcome === 'ok' ? 420 : null) : spec.ttftMs,
    totalMs: 2100,
    stopReason: outcome === 'ok' ? 'end_turn' : null,
    toolCalls: [],
    // Copies: a test that edits one record must not edit the shared defaults.
    shape: structuredClone(spec.shape ?? DEFAULT_SHAPE),
  };
  if (usage && outcome !== 'local') record.usage = structuredClone(usage);
  if (priced) record.cost = costViewOf(priced);
  if (spec.predicted) record.predicted = { buckets: spec.predicted };
  if (outcome === 'failed') record.error = { kind: 'overloaded', status: 529, message: 'Anthropic is overloaded; retry in a moment.' };
  return record;
}

/** Usage with `input` uncached, `w1h` written at 1h and `read` read; 100 output tokens. */
export const usage1h = (input: number, w1h: number, read: number): Usage => ({
  input_tokens: input, cache_creation_input_tokens: w1h, cache_read_input_tokens: read,
  cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: w1h }, output_tokens: 100,
});

/**
 * A conversation on Sonnet 5 (min 1,024 cacheable; $/MTok: input 2, write5m 2.5, write1h 4,
 * read 0.2, output 10): a 2,000-token system prompt and 100-token turns, with the system prompt
 * cached 1h as recorded. Requests at `t0`, +60 s and +660 s (ten minutes later: any 5m entry expired).
 * What happened: $0.0092 + $0.0020 + $0.0024 = $0.0136; no caching 6,900 × 2 + 300 × 10 = $0.0168.
 */
export function threeTurnConversation(t0: number): RequestRecord[] {
  const conv = (n: number) => shapeOf([['system', 2000], ...Array.from({ length: n }, () => ['conversation', 100] as ['conversation', number])], [[0, '1h']], 'c');
  return [
    makeRecord({ atMs: t0, shape: conv(1), usage: usage1h(100, 2000, 0), requestedTtl: '1h' }),
    makeRecord({ atMs: t0 + 60_000, shape: conv(3), usage: usage1h(300, 0, 2000), requestedTtl: '1h' }),
    makeRecord({ atMs: t0 + 660_000, shape: conv(5), usage: usage1h(500, 0, 2000), requestedTtl: '1h' }),
  ];
}
