import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { formatBytes, readBytesBounded, readStreamBounded, readTextBounded } from '../../../src/node/boundedRead';

const KB512 = 512 * 1024;

describe('node/boundedRead', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pcl-read-'));
    writeFileSync(join(dir, 'a.txt'), 'héllo\n');
    writeFileSync(join(dir, 'bin.dat'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a]));
    writeFileSync(join(dir, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    writeFileSync(join(dir, 'exact.txt'), 'x'.repeat(100));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    // Sparse: 1.5 GB of size, no blocks on disk, created instantly.
    writeFileSync(join(dir, 'huge.txt'), '');
    truncateSync(join(dir, 'huge.txt'), 1.5 * 1024 ** 3);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a UTF-8 text file', async () => {
    assert.deepEqual(await readTextBounded(join(dir, 'a.txt'), { maxBytes: KB512 }), { ok: true, text: 'héllo\n', bytes: 7 });
  });

  it('a file of exactly the cap is read; one byte less of cap refuses it', async () => {
    assert.equal((await readBytesBounded(join(dir, 'exact.txt'), { maxBytes: 100 })).ok, true);
    const r = await readBytesBounded(join(dir, 'exact.txt'), { maxBytes: 99, label: 'exact.txt' });
    assert.deepEqual(r, { ok: false, reason: 'too-large', message: 'exact.txt is 100 bytes, over the 99 bytes limit' });
  });

  it('refuses a 1.5 GB file from its size, without reading it', async () => {
    const t0 = Date.now();
    const r = await readTextBounded(join(dir, 'huge.txt'), { maxBytes: KB512, label: 'huge.txt' });
    assert.deepEqual(r, { ok: false, reason: 'too-large', message: 'huge.txt is 1.5 GB, over the 512 KB limit' });
    assert.ok(Date.now() - t0 < 1000);
  });

  it('refuses a FIFO without opening it (opening would block)', async () => {
    const r = await readTextBounded(join(dir, 'fifo'), { maxBytes: KB512, label: 'fifo' });
    assert.deepEqual(r, { ok: false, reason: 'not-file', message: 'fifo is a named pipe (FIFO), not a regular file' });
  });

  it('refuses /dev/zero and /dev/null (character devices) and a directory', async () => {
    for (const dev of ['/dev/zero', '/dev/null']) {
      const r = await readBytesBounded(dev, { maxBytes: KB512 });
      assert.deepEqual(r, { ok: false, reason: 'not-file', message: `${dev} is a character device, not a regular file` });
    }
    const d = await readBytesBounded(dir, { maxBytes: KB512, label: 'the folder' });
    assert.deepEqual(d, { ok: false, reason: 'not-file', message: 'the folder is a directory' });
  });

  it('refuses binary files and invalid UTF-8', async () => {
    const bin = await readTextBounded(join(dir, 'bin.dat'), { maxBytes: KB512, label: 'bin.dat' });
    assert.equal(!bin.ok && bin.reason, 'binary');
    assert.match(!bin.ok ? bin.message : '', /bin\.dat looks binary/);
    const latin = await readTextBounded(join(dir, 'latin1.txt'), { maxBytes: KB512, label: 'latin1.txt' });
    assert.deepEqual(latin, { ok: false, reason: 'not-utf8', message: 'latin1.txt is not valid UTF-8 text' });
  });

  it('missing files and cancelled reads are refusals', async () => {
    const r = await readBytesBounded(join(dir, 'nope'), { maxBytes: 10, label: 'nope' });
    assert.deepEqual(r, { ok: false, reason: 'missing', message: 'nope does not exist' });
    const ac = new AbortController();
    ac.abort();
    assert.equal(((await readBytesBounded(join(dir, 'a.txt'), { maxBytes: 10, signal: ac.signal })) as { reason: string }).reason, 'aborted');
  });

  it('reads a stream up to the cap and stops at the first chunk over it', async () => {
    const ok = await readStreamBounded(Readable.from([Buffer.from('ab'), 'cd']), 4);
    assert.equal(ok.ok && ok.bytes.toString(), 'abcd');
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield Buffer.alloc(1024);
      }
    }
    const over = await readStreamBounded(endless(), 4096);
    assert.deepEqual(over, { ok: false, reason: 'too-large', message: 'stdin is over the 4 KB limit' });
    assert.equal(pulled, 5);
  });

  it('formats sizes', () => {
    assert.equal(formatBytes(10), '10 bytes');
    assert.equal(formatBytes(KB512), '512 KB');
    assert.equal(formatBytes(1.5 * 1024 ** 3), '1.5 GB');
  });
});
