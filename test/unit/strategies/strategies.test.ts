import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createModelTable } from '../../../src/core/models/table';
import { lowerBound, replayTrace } from '../../../src/core/strategies/replay';
import { STRATEGY_NAMES, createStrategy } from '../../../src/core/strategies/strategies';
import { TraceError, parseTrace } from '../../../src/core/strategies/trace';
import type { MessagesRequest } from '../../../src/shared/anthropic';
import { GEOMEAN_GOAL, MAX_RATIO, committedTraces, scoreSuite } from '../../support/strategyGoals';

const models = createModelTable();
const DIR = join(__dirname, '..', '..', 'fixtures', 'traces');
const line = (at_s: number, request: unknown, output_tokens = 10) => JSON.stringify({ at_s, request, output_tokens });
const body = (extra: Partial<MessagesRequest> = {}): MessagesRequest => ({
  model: 'claude-sonnet-5',
  max_tokens: 100,
  system: [{ type: 'text', text: 'Rules. '.repeat(800) }, { type: 'text', text: 'Doc. '.repeat(400) }],
  messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }, { role: 'user', content: [{ type: 'text', text: 'More' }] }],
  ...extra,
});

describe('trace parsing', () => {
  it('parses lines, skipping blank ones, with 1-based line numbers', () => {
    const t = parseTrace(`${line(0, body())}\n\n${line(30, body(), 5)}\n`, models);
    assert.deepEqual(t.map((e) => [e.line, e.atS, e.outputTokens]), [[1, 0, 10], [3, 30, 5]]);
  });
  const bad = (text: string, re: RegExp) => assert.throws(() => parseTrace(text, models), (e: unknown) => e instanceof TraceError && re.test((e as Error).message));
  it('a broken line names its number', () => bad(`${line(0, body())}\n{"at_s": 1, "request": `, /^trace line 2: not valid JSON/));
  it('empty messages', () => bad(line(0, body({ messages: [] })), /^trace line 1: "request.messages" is empty/));
  it('unknown model lists the known ones', () => bad(line(0, body({ model: 'claude-nope-9' })), /^trace line 1: .*claude-nope-9.*claude-sonnet-5/s));
  it('time going backwards', () => bad(`${line(10, body())}\n${line(5, body())}`, /^trace line 2: "at_s" 5 is earlier than the previous line's 10/));
  it('a request that already has cache_control', () => bad(line(0, body({ cache_control: { type: 'ephemeral' } })), /already has cache_control/));
  it('an empty file', () => bad('\n\n', /trace is empty/));
});

describe('strategies: placements', () => {
  const marks = (r: MessagesRequest) => JSON.stringify(r).split('"cache_control"').length - 1;
  it('automatic adds only top-level cache_control', () => {
    const r = createStrategy('automatic', models).apply(body(), 0);
    assert.deepEqual(r.cache_control, { type: 'ephemeral' });
    assert.equal(marks(r), 1);
  });
  it('last-two-user marks the system and the last block of the last two user messages (5m)', () => {
    const r = createStrategy('last-two-user', models).apply(body(), 0);
    const sys = r.system as Array<{ cache_control?: unknown }>;
    assert.deepEqual(sys[1]?.cache_control, { type: 'ephemeral' });
    assert.deepEqual((r.messages[0]?.content as Array<{ cache_control?: unknown }>)[0]?.cache_control, { type: 'ephemeral' });
    assert.deepEqual((r.messages[2]?.content as Array<{ cache_control?: unknown }>)[0]?.cache_control, { type: 'ephemeral' });
    assert.equal(marks(r), 3);
  });
  it('system-only marks the last system block; none adds nothing; the input is never mutated', () => {
    const input = body();
    const before = JSON.stringify(input);
    assert.equal(marks(createStrategy('system-only', models).apply(input, 0)), 1);
    assert.equal(marks(createStrategy('none', models).apply(input, 0)), 0);
    createStrategy('last-two-user', models).apply(input, 0);
    assert.equal(JSON.stringify(input), before);
  });
  it('an unknown strategy is a clear error', () => {
    assert.throws(() => createStrategy('greedy', models), /unknown strategy 'greedy'; choose one of: tiered, automatic, last-two-user, system-only, none/);
  });
});

describe('lower bound', () => {
  it('prices the reusable prefix at the read price and the rest at base input, with no write premium', () => {
    const t = parseTrace(`${line(0, body(), 0)}\n${line(60, body(), 0)}\n${line(60 + 3601, body(), 0)}`, models);
    const [a, b, c] = lowerBound(t, models);
    const none = replayTrace(t, 'none', models).requests.map((r) => r.cost.total);
    assert.equal(a, none[0]);
    assert.ok((b as number) < (none[1] as number) * 0.2, 'second request reads almost everything');
    assert.equal(c, none[2], 'more than an hour later nothing can be read');
  });
});

describe('strategies on the trace suite', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.jsonl'));
  it('has the required traces, including the traffic shapes the advisor must learn', () => {
    assert.ok(files.length >= 13);
    for (const f of ['sparse-10-25min', 'dev-rhythm', 'sparse-tools', 'rag-rotating', 'agent-runs']) assert.ok(files.includes(`${f}.jsonl`), f);
  });
  for (const f of files) {
    it(`${f}: tiered is never more expensive than a peer, and never below the lower bound`, () => {
      const trace = parseTrace(readFileSync(join(DIR, f), 'utf8'), models);
      const totals = Object.fromEntries(STRATEGY_NAMES.map((s) => [s, replayTrace(trace, s, models)]));
      const tiered = totals.tiered!;
      for (const s of ['automatic', 'last-two-user', 'system-only'] as const) assert.ok(tiered.totalUsd <= totals[s]!.totalUsd + 1e-12, `${s} ${totals[s]!.totalUsd} < tiered ${tiered.totalUsd}`);
      if (tiered.lowerBoundUsd < totals.none!.totalUsd) assert.ok(tiered.totalUsd <= totals.none!.totalUsd + 1e-12, 'none beat tiered on a trace with reuse');
      for (const s of STRATEGY_NAMES) assert.ok(totals[s]!.totalUsd >= tiered.lowerBoundUsd - 1e-12, `${s} beat the lower bound`);
    });
  }
});

describe('strategy goals on the committed traces (cost arithmetic, not timing)', () => {
  const suite = scoreSuite(committedTraces(models), models);
  for (const t of suite.traces) {
    it(`${t.trace}: tiered ÷ lower bound ≤ ${MAX_RATIO}, and no peer is cheaper`, () => {
      assert.ok((t.ratio.tiered as number) <= MAX_RATIO, `${t.ratio.tiered}`);
      assert.deepEqual(t.beatenBy, []);
    });
  }
  it(`geometric mean of tiered ÷ lower bound ≤ ${GEOMEAN_GOAL}`, () => assert.ok(suite.geomean <= GEOMEAN_GOAL, `${suite.geomean}`));
});

describe('tiered learns online: a request is planned from the past only', () => {
  it('replaying a prefix of a trace plans its requests exactly as the full replay does', () => {
    for (const { name, trace } of committedTraces(models, (n) => n === 'dev-rhythm' || n === 'sparse-tools')) {
      const full = replayTrace(trace, 'tiered', models).requests.map((r) => JSON.stringify(r.request));
      const half = replayTrace(trace.slice(0, Math.ceil(trace.length / 2)), 'tiered', models).requests.map((r) => JSON.stringify(r.request));
      assert.deepEqual(half, full.slice(0, half.length), name);
    }
  });
});
