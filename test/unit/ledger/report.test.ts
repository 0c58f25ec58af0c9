import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli';
import type { CliIO } from '../../../src/cli/io';
import { encodeRecord } from '../../../src/core/ledger/codec';
import { WARM_USAGE, makeRecord } from '../../support/records';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: async () => '' };
  const code = await main(['report', ...argv], io);
  return { code, out, err };
}

/**
 * Sonnet 5 ($/MTok input 2, write5m 2.5, write1h 4, read 0.2, output 10). Session s-1: a cold
 * request (300 in, 3000 + 3000 written, 500 out = $0.0251; no cache $0.0176) and a warm one
 * (300 in, 6000 read, 500 out = $0.0068; no cache $0.0176), a failure; s-2 the next day: a local
 * answer. Then a corrupt line, a v2 line and a torn last line.
 */
function ledger(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pcl-report-'));
  const path = join(dir, 'ledger.jsonl');
  const cold = { input_tokens: 300, cache_creation_input_tokens: 6000, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 3000, ephemeral_1h_input_tokens: 3000 }, output_tokens: 500 };
  const rs = [
    makeRecord({ atMs: T0, ttftMs: 900, usage: cold }),
    makeRecord({ atMs: T0 + 60_000, ttftMs: 400, usage: WARM_USAGE }),
    makeRecord({ atMs: T0 + 90_000, outcome: 'failed', usage: null }),
    makeRecord({ atMs: T0 + 86_400_000, sessionId: 's-2', outcome: 'local' }),
  ];
  const good = rs.map(encodeRecord).join('');
  writeFileSync(path, `${good}{"v":1,"id":\n${JSON.stringify({ v: 2, id: 'future' })}\n${good.slice(0, 50)}`);
  return path;
}

describe('cli report', () => {
  it('--json: totals, groups and skipped lines, figures by hand', async () => {
    const { code, out, err } = await run([ledger(), '--json']);
    assert.equal(err, '');
    assert.equal(code, 0);
    const j = JSON.parse(out);
    assert.equal(j.requests, 4);
    assert.equal(j.total_usd, 0.0319);
    assert.equal(j.no_cache_usd, 0.0352);
    assert.equal(j.saved_usd, 0.0033);
    assert.equal(j.hit_ratio, 6000 / 12600);
    assert.equal(j.skipped_lines, 3);
    assert.deepEqual(j.skipped_by_reason, { corrupt: 1, truncated: 1, 'unknown-version': 1, invalid: 0 });
    assert.equal(j.by, 'session');
    assert.deepEqual(j.groups.map((g: { key: string; requests: number; total_usd: number }) => [g.key, g.requests, g.total_usd]), [['s-1', 3, 0.0319], ['s-2', 1, 0]]);
    for (const k of ['requests', 'total_usd', 'no_cache_usd', 'saved_usd', 'hit_ratio']) assert.ok(k in j.groups[0], k);
    assert.deepEqual(j.ttft_median_ms, { cached: 400, uncached: 900 });
    assert.equal(j.failed, 1);
    assert.equal(j.local, 1);
  });

  it('text: totals with $ amounts, groups by day, the skip note; ≈ on estimates', async () => {
    const { code, out } = await run([ledger(), '--by', 'day']);
    assert.equal(code, 0);
    assert.match(out, /: 4 requests \(2 answered, 1 local, 1 failed\)/);
    assert.match(out, /cost {13}\$0\.0319\n/);
    assert.match(out, /without caching {2}\$0\.0352\n/);
    assert.match(out, /saved {12}\$0\.0033\n/);
    assert.match(out, /By day:\n.*\n {2}2026-12-01 .*\$0\.0319/);
    assert.match(out, /note: skipped 3 ledger lines/);
    assert.match(out, /replay {11}2 requests cost \$0\.0319; replayed, automatic caching ≈\$/);
    const path = ledger();
    const est = makeRecord();
    if (est.cost) est.cost.exact = false;
    writeFileSync(path, encodeRecord(est));
    assert.match((await run([path])).out, /cost {13}≈\$0\.0068\n/);
  });

  it('--csv: a header row and one row per group (skips on stderr)', async () => {
    const { code, out, err } = await run([ledger(), '--csv', '--by', 'model']);
    assert.equal(code, 0);
    // No field here needs quoting, so a plain split reads it (csv-parse is not a dependency).
    const rows = out.trimEnd().split('\n').map((l) => l.split(','));
    assert.deepEqual(rows[0]?.slice(0, 3), ['model', 'requests', 'answered']);
    assert.equal(rows.length, 2);
    const row = Object.fromEntries((rows[0] as string[]).map((h, i) => [h, rows[1]?.[i]]));
    assert.equal(row.model, 'claude-sonnet-5');
    assert.equal(row.total_usd, '0.0319');
    assert.equal(row.exact, 'true');
    assert.match(err, /skipped 3 ledger lines/);
  });

  it('bad flags, a missing file, a directory, an unreadable file: one line on stderr, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcl-report-'));
    const cases: string[][] = [
      [], [ledger(), 'second.jsonl'], [ledger(), '--by', 'week'], [ledger(), '--json', '--csv'], [ledger(), '--bogus'],
      [join(dir, 'missing.jsonl')], [dir],
    ];
    for (const argv of cases) {
      const { code, out, err } = await run(argv);
      assert.equal(code, 2, argv.join(' '));
      assert.equal(out, '');
      assert.equal(err.trim().split('\n').length, 1, err);
      assert.match(err, /^prompt-cache-lab report: /);
    }
    // Unreadable: root ignores chmod 000, so only check it when running as another user.
    if (process.getuid?.() !== 0) {
      const path = ledger();
      chmodSync(path, 0o000);
      assert.equal((await run([path])).code, 2);
    }
  });

  it('an empty ledger reports zeros, not an error', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pcl-report-')), 'ledger.jsonl');
    writeFileSync(path, '');
    const { code, out } = await run([path, '--json']);
    assert.equal(code, 0);
    const j = JSON.parse(out);
    assert.deepEqual([j.requests, j.total_usd, j.hit_ratio, j.groups.length], [0, 0, 0, 0]);
  });

  it('is listed in the usage', async () => {
    let out = '';
    await main(['--help'], { stdout: (t) => (out += t), stderr: () => undefined, readStdin: async () => '' });
    assert.match(out, /prompt-cache-lab report <ledger\.jsonl> \[--by session\|prompt\|version\|model\|day\] \[--json\] \[--csv\]/);
  });
});
