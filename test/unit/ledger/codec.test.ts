import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { LineDecoder, decodeLine, describeSkips, encodeRecord } from '../../../src/core/ledger/codec';
import type { RequestRecord } from '../../../src/core/ledger/record';
import { makeRecord } from '../../support/records';

function decodeAll(text: string, chunk = 7) {
  const out: RequestRecord[] = [];
  const d = new LineDecoder((r) => out.push(r));
  for (let i = 0; i < text.length; i += chunk) d.push(text.slice(i, i + chunk));
  d.end();
  return { records: out, skips: d.skips };
}

describe('ledger codec', () => {
  it('round-trips a record as one line with v first', () => {
    const r = makeRecord({ predicted: { input: 300, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 6000, output: 0 } });
    const line = encodeRecord(r);
    assert.ok(line.endsWith('\n'));
    assert.equal(line.indexOf('\n'), line.length - 1, 'exactly one newline, at the end');
    assert.ok(line.startsWith('{"v":1,'));
    const back = decodeLine(line.slice(0, -1));
    assert.ok(back.ok);
    assert.deepEqual(back.record, r);
  });

  it('round-trips failures, local answers and text with newlines and non-ASCII in messages', () => {
    const failed = makeRecord({ outcome: 'failed', usage: null });
    failed.error = { kind: 'server', status: 500, message: 'line one\nline two — ü ✓' };
    const local = makeRecord({ outcome: 'local' });
    const { records, skips } = decodeAll(encodeRecord(failed) + encodeRecord(local), 3);
    assert.equal(skips.total, 0);
    assert.deepEqual(records, [failed, local]);
  });

  it('skips and counts corrupt JSON, a future version and a truncated last line; never throws', () => {
    const good = encodeRecord(makeRecord());
    const future = JSON.stringify({ ...JSON.parse(good), v: 2 });
    const text = [good, '{"v":1,"id":', '\n', 'not json at all\n', `${future}\n`, '\n', good, good.slice(0, 40)].join('');
    const { records, skips } = decodeAll(text);
    assert.equal(records.length, 2);
    assert.deepEqual(skips.byReason, { corrupt: 2, truncated: 1, 'unknown-version': 1, invalid: 0 });
    assert.equal(skips.total, 4);
    assert.equal(skips.first?.line, 2);
    assert.match(describeSkips(skips) ?? '', /^skipped 4 ledger lines \(2 corrupt, 1 truncated, 1 unknown-version\); first at line 2/);
  });

  it('an unterminated last line that parses is kept (a writer that died after the JSON)', () => {
    const good = encodeRecord(makeRecord());
    const { records, skips } = decodeAll(good + good.slice(0, -1));
    assert.equal(records.length, 2);
    assert.equal(skips.total, 0);
  });

  it('rejects parseable lines whose fields would crash or skew a reducer', () => {
    const base = JSON.parse(encodeRecord(makeRecord()));
    // Deliberately untyped: each case breaks one field the way a hand edit or another tool might.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const bad: Array<[string, (o: Record<string, any>) => void]> = [
      ['buckets.cacheRead', (o) => (o.buckets.cacheRead = 'many')],
      ['buckets', (o) => delete o.buckets],
      ['fractional tokens', (o) => (o.buckets.output = 2.5)],
      ['cost.total', (o) => (o.cost.total = null)],
      ['cost.exact', (o) => delete o.cost.exact],
      ['prompt.version', (o) => (o.prompt.version = 'abc')],
      ['outcome', (o) => (o.outcome = 'maybe')],
      ['atMs', (o) => (o.atMs = '2026-12-01')],
      ['shape', (o) => (o.shape.blocks = [{ tier: 'system', tokens: -1, prefixHash: 'x' }])],
      ['breakpoint', (o) => (o.shape.breakpoints = [{ blockIndex: 0, ttl: '2h' }])],
      ['ttftMs', (o) => (o.ttftMs = 'fast')],
      ['predicted', (o) => (o.predicted = { buckets: {} })],
    ];
    for (const [what, mutate] of bad) {
      const o = structuredClone(base);
      mutate(o);
      const r = decodeLine(JSON.stringify(o));
      assert.equal(r.ok, false, what);
      if (!r.ok) assert.equal(r.reason, 'invalid', what);
    }
    for (const v of [0, '1', null, 1.5]) {
      const r = decodeLine(JSON.stringify({ ...base, v }));
      assert.ok(!r.ok && r.reason === 'unknown-version', String(v));
    }
    assert.ok(!decodeLine('[1,2]').ok);
    assert.ok(!decodeLine('null').ok);
  });

  it('accepts CRLF line ends and ignores blank lines', () => {
    const good = encodeRecord(makeRecord()).replace('\n', '\r\n');
    const { records, skips } = decodeAll(`\r\n${good}\n  \n${good}`);
    assert.equal(records.length, 2);
    assert.equal(skips.total, 0);
  });

  it('fuzz: any text in any chunking never throws, and good lines survive any chunking', () => {
    const good = [makeRecord({ id: 'a' }), makeRecord({ id: 'b', outcome: 'local' })].map(encodeRecord).join('');
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.integer({ min: 1, max: 500 }), (noise, chunk) => {
        const { records, skips } = decodeAll(`${good}${noise.replace(/\n/g, '')}\n${good}`, chunk);
        assert.deepEqual(records.map((r) => r.id).filter((id) => id === 'a' || id === 'b'), ['a', 'b', 'a', 'b']);
        assert.ok(skips.total <= 1);
      }),
      { numRuns: 200 },
    );
    fc.assert(fc.property(fc.string(), (line) => void decodeLine(line, true)), { numRuns: 500 });
  });
});
