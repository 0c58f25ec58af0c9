import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli';
import type { CliIO } from '../../../src/cli/io';
import { countO200k } from '../../../src/core/tokens/count';

function fakeIO(stdin = ''): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    readStdin: async () => stdin,
  };
  return io;
}

const dir = mkdtempSync(join(tmpdir(), 'pcl-count-'));
const TEXT = 'You are a careful assistant. Answer in two sentences.\n';
const file = join(dir, 'prompt.md');
writeFileSync(file, TEXT);
const binary = join(dir, 'image.png');
writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
const raw = countO200k(TEXT);

describe('cli count', () => {
  it('prints a labelled estimate with the default model (claude-sonnet-5, 2026 tokenizer)', async () => {
    const io = fakeIO();
    assert.equal(await main(['count', file], io), 0);
    assert.equal(io.out, `≈${Math.round(raw * 1.56)} tokens (estimate, claude-sonnet-5 calibration ×1.56)\n`);
    assert.equal(io.err, '');
  });

  it('--json prints exactly tokens, method and model', async () => {
    const io = fakeIO();
    assert.equal(await main(['count', file, '--json', '--model', 'claude-sonnet-4-6'], io), 0);
    assert.deepEqual(JSON.parse(io.out), { tokens: Math.round(raw * 1.2), method: 'estimate', model: 'claude-sonnet-4-6' });
    assert.deepEqual(Object.keys(JSON.parse(io.out)), ['tokens', 'method', 'model']);
  });

  it('reads stdin with -, and counts empty input as 0', async () => {
    const io = fakeIO(TEXT);
    assert.equal(await main(['count', '-', '--json'], io), 0);
    assert.equal(JSON.parse(io.out).tokens, Math.round(raw * 1.56));
    const empty = fakeIO('');
    assert.equal(await main(['count', '-', '--json'], empty), 0);
    assert.equal(JSON.parse(empty.out).tokens, 0);
  });

  it('warns on invalid UTF-8 but still counts', async () => {
    const io = fakeIO('abc\ufffddef');
    assert.equal(await main(['count', '-'], io), 0);
    assert.match(io.err, /warning: invalid UTF-8/);
    assert.match(io.out, /^≈\d+ tokens/);
  });

  const errors: Array<[string, string[], RegExp]> = [
    ['unknown flag', ['count', file, '--fast'], /Unknown option '--fast'/],
    ['unknown model', ['count', file, '--model', 'claude-nope'], /Unknown model "claude-nope"/],
    ['missing file', ['count', join(dir, 'missing.md')], /count: .*missing\.md does not exist/],
    ['directory', ['count', dir], /is a directory/],
    ['binary file', ['count', binary], /binary/],
    ['no file', ['count'], /expected one file/],
    ['two files', ['count', file, file], /expected one file/],
  ];
  for (const [name, argv, message] of errors) {
    it(`${name}: one line on stderr, exit 2`, async () => {
      const io = fakeIO();
      assert.equal(await main(argv, io), 2);
      assert.equal(io.out, '');
      assert.match(io.err, message);
      assert.equal(io.err.trim().split('\n').length, 1);
    });
  }

  it('as a process: exit codes 0 and 2', function () {
    this.timeout(60_000);
    const run = (args: string[], input?: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'count', ...args], { encoding: 'utf8', input, cwd: join(__dirname, '../../..') });
    const ok = run([file, '--json']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).tokens, Math.round(raw * 1.56));
    const piped = run(['-'], TEXT);
    assert.equal(piped.status, 0, piped.stderr);
    assert.match(piped.stdout, /^≈\d+ tokens \(estimate, claude-sonnet-5 calibration ×1\.56\)\n$/);
    const bad = run([binary]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /binary/);
    assert.equal(run([dir]).status, 2);
  });
});
