import { strict as assert } from 'node:assert';
import { REQUEST_COLUMNS, TOTALS_COLUMNS, exportJson, exportStats, requestsCsv, totalsCsv } from '../../../src/core/ledger/export';
import { createGrouped, totalsOf } from '../../../src/core/ledger/reducers';
import type { Usage } from '../../../src/shared/anthropic';
import { WARM_USAGE, makeRecord } from '../../support/records';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const COLD: Usage = { input_tokens: 300, cache_creation_input_tokens: 6000, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 3000, ephemeral_1h_input_tokens: 3000 }, output_tokens: 500 };

/** RFC 4180: quoted fields with doubled quotes, commas and newlines inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (quoted || (ch !== ',' && ch !== '\n')) cell += ch;
    else {
      endCell();
      if (ch === '\n') {
        rows.push(row);
        row = [];
      }
    }
  }
  if (cell || row.length) {
    endCell();
    rows.push(row);
  }
  return rows;
}

function records() {
  const odd = makeRecord({ atMs: T0 + 120_000, promptId: '=HYPERLINK("x"), "quoted"', sessionId: 's-2' });
  odd.prompt.path = 'prompts/a,b\nc.prompt.md';
  const unpriced = makeRecord({ atMs: T0 + 180_000, sessionId: 's-2' });
  delete unpriced.cost;
  return [
    makeRecord({ atMs: T0, usage: COLD, ttftMs: 900 }),
    makeRecord({ atMs: T0 + 60_000, usage: WARM_USAGE }),
    makeRecord({ atMs: T0 + 90_000, outcome: 'failed', usage: null }),
    odd,
    unpriced,
  ];
}

describe('ledger export: the CSV and JSON writer', () => {
  it('requests CSV: a header of REQUEST_COLUMNS and one row per record that reads back', () => {
    const rs = records();
    const rows = parseCsv(requestsCsv(rs));
    assert.deepEqual(rows[0], [...REQUEST_COLUMNS]);
    assert.equal(rows.length, rs.length + 1);
    const get = (i: number, col: (typeof REQUEST_COLUMNS)[number]) => rows[i + 1]?.[REQUEST_COLUMNS.indexOf(col)];
    assert.equal(get(0, 'total_usd'), '0.0251');
    assert.equal(get(0, 'cache_write_1h_tokens'), '3000');
    assert.equal(get(0, 'started_at'), '2026-12-01T09:00:00.000Z');
    assert.equal(get(2, 'outcome'), 'failed');
    assert.equal(get(2, 'total_usd'), '', 'a failure before usage has no cost');
    assert.equal(get(2, 'error'), 'overloaded');
    // Formula-looking text is defused; commas, quotes and newlines survive the round trip.
    assert.equal(get(3, 'prompt_id'), `'=HYPERLINK("x"), "quoted"`);
    assert.equal(get(3, 'prompt_path'), 'prompts/a,b\nc.prompt.md');
    assert.equal(get(4, 'total_usd'), '');
    assert.equal(get(4, 'cache_read_tokens'), '6000', 'unpriced: tokens count, money cannot');
    const sumUsd = rows.slice(1).reduce((a, r) => a + Number(r[REQUEST_COLUMNS.indexOf('total_usd')] || 0), 0);
    assert.ok(Math.abs(sumUsd - totalsOf(rs).costUsd) < 1e-12);
  });

  it('totals CSV: one row per group, the report columns', () => {
    const g = createGrouped('session');
    for (const r of records()) g.add(r);
    const rows = parseCsv(totalsCsv('session', g.result()));
    assert.deepEqual(rows[0], ['session', ...TOTALS_COLUMNS]);
    const row = (i: number) => Object.fromEntries((rows[0] as string[]).map((h, j) => [h, rows[i]?.[j]]));
    assert.deepEqual([row(1).session, row(1).requests, row(1).total_usd, row(1).exact], ['s-1', '3', '0.0319', 'true']);
    assert.deepEqual([row(2).session, row(2).requests, row(2).total_usd, row(2).cache_read_tokens], ['s-2', '2', '0.0068', '12000']);
    assert.equal(row(1).ttft_cached_median_ms, '420');
  });

  it('JSON: totals, groups and request rows; numbers round-trip exactly', () => {
    const rs = records();
    const g = createGrouped('session');
    for (const r of rs) g.add(r);
    const t = totalsOf(rs);
    const j = JSON.parse(exportJson({ scope: { all: true }, exportedAtMs: T0 + 3_600_000, totals: t, groups: g.result(), records: rs }));
    assert.deepEqual(j.scope, { all: true });
    assert.equal(j.exported_at, '2026-12-01T10:00:00.000Z');
    assert.equal(j.total_usd, t.costUsd);
    assert.equal(j.total_usd, 0.0387);
    assert.equal(j.hit_ratio, t.hitRatio);
    assert.deepEqual(j.tokens, { input: 1200, cache_write_5m: 3000, cache_write_1h: 3000, cache_read: 18000, output: 2000 });
    assert.equal(j.groups.length, 2);
    assert.equal(j.request_rows.length, rs.length);
    assert.equal(j.request_rows[0].total_usd, 0.0251);
    assert.equal(j.request_rows[3].prompt_id, '=HYPERLINK("x"), "quoted"', 'JSON keeps text as it is');
    assert.equal(j.request_rows[4].total_usd, null);
    const one = JSON.parse(exportJson({ scope: { session: 's-1' }, exportedAtMs: T0, totals: totalsOf(rs.slice(0, 3)), records: rs.slice(0, 3) }));
    assert.equal('groups' in one, false);
    assert.equal(one.requests, 3);
  });

  it('exportStats: the three files of one session or of all', () => {
    const rs = records();
    const all = exportStats(rs, { all: true }, T0);
    assert.equal(JSON.parse(all.json).groups.length, 2);
    assert.equal(parseCsv(all.totalsCsv).length, 3);
    assert.equal(parseCsv(all.requestsCsv).length, rs.length + 1);
    const s1 = rs.filter((r) => r.sessionId === 's-1');
    const one = exportStats(s1, { session: 's-1' }, T0);
    const j = JSON.parse(one.json);
    assert.deepEqual([j.scope, j.total_usd, 'groups' in j], [{ session: 's-1' }, 0.0319, false]);
    assert.equal(one.totalsCsv, totalsCsv('session', [{ key: 's-1', totals: totalsOf(s1) }]), 'the same writer as report --csv');
  });
});
