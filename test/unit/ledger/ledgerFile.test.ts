import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeLine, encodeRecord } from '../../../src/core/ledger/codec';
import type { RequestRecord } from '../../../src/core/ledger/record';
import { createLedgerFile } from '../../../src/node/ledgerFile';
import { ledgerParts, loadLedger } from '../../../src/node/ledgerLoad';
import { makeRecord } from '../../support/records';

const tmp = () => mkdtempSync(join(tmpdir(), 'pcl-ledger-'));

function runWriter(path: string, count: number, tag: string, startAtMs: number, maxBytes?: number): Promise<void> {
  const script = join(__dirname, '..', '..', 'support', 'ledgerWriter.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, path, String(count), tag, String(startAtMs), ...(maxBytes ? [String(maxBytes)] : [])], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${tag} exited ${code}: ${err}`))));
  });
}

async function loadAll(path: string) {
  const records: RequestRecord[] = [];
  const warnings: string[] = [];
  const result = await loadLedger(path, (r) => records.push(r), { onWarning: (m) => warnings.push(m) });
  return { records, warnings, result };
}

describe('ledger file', () => {
  it('append returns at once; flush writes one line per record, in order', async () => {
    const path = join(tmp(), 'nested', 'ledger.jsonl');
    const ledger = createLedgerFile({ path });
    const rs = Array.from({ length: 50 }, (_, i) => makeRecord({ id: `r${i}` }));
    for (const r of rs) ledger.append(r);
    assert.ok(ledger.pending > 0, 'nothing is written synchronously');
    assert.equal(await ledger.flush(), true);
    assert.equal(ledger.pending, 0);
    const lines = readFileSync(path, 'utf8').split('\n');
    assert.equal(lines.pop(), '');
    assert.deepEqual(lines, rs.map((r) => encodeRecord(r).slice(0, -1)));
    await ledger.close();
    ledger.append(makeRecord());
    assert.equal(ledger.pending, 0, 'appends after close are ignored');
  });

  it('two processes appending thousands of lines at once never corrupt a line', async function () {
    this.timeout(60_000);
    const path = join(tmp(), 'ledger.jsonl');
    const startAt = Date.now() + 2500;
    await Promise.all([runWriter(path, 3000, 'A', startAt), runWriter(path, 3000, 'B', startAt)]);
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, 6000);
    const ids = new Set<string>();
    const writers: string[] = [];
    for (const line of lines) {
      const r = decodeLine(line);
      assert.ok(r.ok, `a line did not parse: ${line.slice(0, 80)}…`);
      assert.equal(r.record.error?.message, r.record.sessionId.repeat(3000));
      ids.add(r.record.id);
      writers.push(r.record.sessionId);
    }
    assert.equal(ids.size, 6000);
    const switches = writers.filter((w, i) => i > 0 && w !== writers[i - 1]).length;
    assert.ok(switches > 10, `the writers overlapped (${switches} switches between A and B lines)`);
  });

  it('two processes rotating one ledger lose, tear and duplicate no line', async function () {
    this.timeout(60_000);
    const path = join(tmp(), 'ledger.jsonl');
    const startAt = Date.now() + 2500;
    // ~7 KB lines, 200 KB parts: both writers rotate dozens of times while the other appends.
    await Promise.all([runWriter(path, 1500, 'A', startAt, 200_000), runWriter(path, 1500, 'B', startAt, 200_000)]);
    const { records, result } = await loadAll(path);
    assert.equal(result.skipped.total, 0);
    assert.ok(result.files.length > 20, `${result.files.length} parts`);
    assert.equal(new Set(records.map((r) => r.id)).size, 3000);
    assert.equal(records.length, 3000);
    assert.ok(!existsSync(`${path}.lock`), 'the rotation lock is released');
  });

  it('four processes rotating small parts at once: the rotation lock is never taken twice, no part is overwritten', async function () {
    this.timeout(60_000);
    const path = join(tmp(), 'ledger.jsonl');
    const startAt = Date.now() + 2500;
    // ~7 KB lines, 30 KB parts: a rotation every few lines, each writer racing three others for the lock.
    await Promise.all(['A', 'B', 'C', 'D'].map((tag) => runWriter(path, 400, tag, startAt, 30_000)));
    const { records, result } = await loadAll(path);
    assert.equal(result.skipped.total, 0);
    assert.equal(new Set(records.map((r) => r.id)).size, 1600);
    assert.equal(records.length, 1600);
    assert.ok(!existsSync(`${path}.lock`), 'the rotation lock is released');
  });

  it('an unwritable folder (a path under a regular file: ENOTDIR even as root) warns once, keeps records, writes them later', async () => {
    // chmod 555 does not stop root, which runs these tests; a file where a folder should be does.
    const dir = tmp();
    const blocker = join(dir, 'storage');
    writeFileSync(blocker, 'not a folder');
    const path = join(blocker, 'ledger.jsonl');
    const warnings: string[] = [];
    const ledger = createLedgerFile({ path, onWarning: (m) => warnings.push(m) });
    ledger.append(makeRecord({ id: 'a' }));
    assert.equal(await ledger.flush(), false);
    ledger.append(makeRecord({ id: 'b' }));
    assert.equal(await ledger.flush(), false);
    assert.equal(warnings.length, 1, 'one warning per failure episode');
    assert.match(warnings[0] ?? '', /cannot be written \((ENOTDIR|EEXIST)[^)]*\)\. 1 record\(s\) are kept in memory/);
    assert.equal(ledger.pending, 2);
    rmSync(blocker);
    mkdirSync(blocker);
    ledger.append(makeRecord({ id: 'c' }));
    assert.equal(await ledger.flush(), true);
    assert.deepEqual((await loadAll(path)).records.map((r) => r.id), ['a', 'b', 'c']);
    await ledger.close();
  });

  it('a full disk (/dev/full: ENOSPC) warns once and keeps the records in memory', async function () {
    if (!existsSync('/dev/full')) this.skip();
    const warnings: string[] = [];
    const ledger = createLedgerFile({ path: '/dev/full', onWarning: (m) => warnings.push(m) });
    for (let i = 0; i < 3; i++) ledger.append(makeRecord());
    assert.equal(await ledger.flush(), false);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /ENOSPC/);
    assert.equal(ledger.pending, 3);
  });

  it('caps what it keeps in memory while failing', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'f'), '');
    const ledger = createLedgerFile({ path: join(dir, 'f', 'l.jsonl'), maxPending: 5, onWarning: () => undefined });
    for (let i = 0; i < 8; i++) ledger.append(makeRecord());
    await ledger.flush();
    assert.equal(ledger.pending, 5);
    assert.equal(ledger.droppedLines, 3);
  });

  it('rotates by size into <name>.<n>.jsonl and loads every part in order', async () => {
    const path = join(tmp(), 'ledger.jsonl');
    const lineBytes = Buffer.byteLength(encodeRecord(makeRecord({ id: 'r00' })));
    const ledger = createLedgerFile({ path, maxBytes: lineBytes * 3 });
    for (let i = 0; i < 10; i++) ledger.append(makeRecord({ id: `r${String(i).padStart(2, '0')}` }));
    await ledger.close();
    assert.deepEqual(readdirSync(join(path, '..')).sort(), ['ledger.1.jsonl', 'ledger.2.jsonl', 'ledger.3.jsonl', 'ledger.jsonl']);
    const parts = await ledgerParts(path);
    assert.deepEqual(parts.rotated.map((p) => p.n), [1, 2, 3]);
    const { records, result } = await loadAll(path);
    assert.deepEqual(records.map((r) => r.id), Array.from({ length: 10 }, (_, i) => `r${String(i).padStart(2, '0')}`));
    assert.equal(result.files.length, 4);
    writeFileSync(join(path, '..', 'ledger.2.jsonl'), '{torn\n', { flag: 'a' });
    const withBad = await loadAll(path);
    assert.match(withBad.warnings[0] ?? '', /first at ledger\.2\.jsonl line 4: /);
    // A new writer continues the numbering.
    const again = createLedgerFile({ path, maxBytes: lineBytes * 3 });
    for (let i = 0; i < 3; i++) again.append(makeRecord());
    await again.close();
    assert.ok(existsSync(join(path, '..', 'ledger.4.jsonl')));
  });

  it('load skips corrupt and truncated lines, counts them, warns once', async () => {
    const path = join(tmp(), 'ledger.jsonl');
    const good = encodeRecord(makeRecord());
    writeFileSync(path, `${good}{oops\n${good}${JSON.stringify({ v: 9 })}\n${good}${good.slice(0, 30)}`);
    const { records, warnings, result } = await loadAll(path);
    assert.equal(records.length, 3);
    assert.equal(result.skipped.total, 3);
    assert.deepEqual(result.skipped.byReason, { corrupt: 1, truncated: 1, 'unknown-version': 1, invalid: 0 });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /skipped 3 ledger lines/);
  });

  it('load: multi-byte characters split across read chunks decode intact', async () => {
    const path = join(tmp(), 'ledger.jsonl');
    const r = makeRecord();
    r.error = { kind: 'unknown', message: '✓ü€😀'.repeat(40_000) };
    writeFileSync(path, encodeRecord(r).repeat(3));
    const { records, result } = await loadAll(path);
    assert.equal(result.skipped.total, 0);
    assert.equal(records.length, 3);
    assert.equal(records[2]?.error?.message, r.error.message);
  });

  it('a warning callback that throws does not break the sink', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'f'), '');
    const ledger = createLedgerFile({ path: join(dir, 'f', 'l.jsonl'), onWarning: () => { throw new Error('boom'); } });
    ledger.append(makeRecord());
    assert.equal(await ledger.flush(), false);
    await ledger.close();
  });

  it('load: a missing ledger is ENOENT unless missingOk; a directory is EISDIR', async () => {
    const dir = tmp();
    await assert.rejects(loadLedger(join(dir, 'none.jsonl'), () => undefined), { code: 'ENOENT' });
    const empty = await loadLedger(join(dir, 'none.jsonl'), () => undefined, { missingOk: true });
    assert.equal(empty.records, 0);
    mkdirSync(join(dir, 'ledger.jsonl'));
    await assert.rejects(loadLedger(join(dir, 'ledger.jsonl'), () => undefined), { code: 'EISDIR' });
  });
});
