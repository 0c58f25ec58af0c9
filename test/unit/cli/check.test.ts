// `prompt-cache-lab check` end to end: text and --json output, exit codes, folder walks, bad input.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../../src/cli';
import type { CliIO } from '../../../src/cli/io';
import { DIAGNOSTIC_CODES } from '../../../src/core/registry/codes';

async function run(cwd: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), readStdin: async () => '' };
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return { code: await main(['check', ...argv], io), out, err };
  } finally {
    process.chdir(before);
  }
}

type Report = { files: { path: string; diagnostics: { severity: string; line: number; column: number; message: string; code: string }[] }[] };

describe('cli check', () => {
  let ws: string;
  const file = (rel: string, text: string) => {
    mkdirSync(join(ws, rel, '..'), { recursive: true });
    writeFileSync(join(ws, rel), text);
  };
  beforeEach(() => {
    ws = mkdtempSync(join(tmpdir(), 'pcl-check-'));
    writeFileSync(join(ws, 'package.json'), '{}');
  });
  afterEach(() => rmSync(ws, { recursive: true, force: true }));

  it('a clean workspace: exit 0, nothing on stdout, a summary on stderr', async () => {
    file('prompts/a.prompt.md', '---\nid: a\n---\nBe brief.\n');
    const r = await run(ws, ['.']);
    assert.deepEqual([r.code, r.out], [0, '']);
    assert.match(r.err, /1 prompt file, 0 errors/);
  });

  it('walks **/*.prompt.md, .prompts/**/*.md and **/*.prompty; skips node_modules and other dot-folders', async () => {
    file('a.prompt.md', '---\nttl: 10m\n---\nx\n');
    file('.prompts/deep/b.md', '---\nmodle: x\n---\nx\n');
    file('c/d.prompty', '---\nname: d\n---\nsystem:\nHi\n');
    file('node_modules/x/e.prompt.md', '---\nttl: 10m\n---\nx\n');
    file('.git/f.prompt.md', '---\nttl: 10m\n---\nx\n');
    file('notes.md', '---\nttl: 10m\n---\nx\n');
    const r = await run(ws, ['--json', '.']);
    const report = JSON.parse(r.out) as Report;
    assert.deepEqual(report.files.map((f) => f.path), ['.prompts/deep/b.md', 'a.prompt.md', 'c/d.prompty']);
    assert.equal(r.code, 1);
    assert.deepEqual(report.files[1]?.diagnostics.map((d) => [d.severity, d.line, d.column, d.code]), [['error', 2, 6, 'bad-ttl']]);
  });

  it('text lines are path:line:col severity message [code]; warnings alone exit 0', async () => {
    file('p.prompt.md', '---\nmax_token: 5\n---\nx\n');
    const r = await run(ws, ['p.prompt.md']);
    assert.equal(r.out, "p.prompt.md:2:1 warning Unknown key 'max_token' is ignored. Did you mean 'max_tokens'? [unknown-key]\n");
    assert.equal(r.code, 0);
  });

  it('tools JSON problems name the tools file; duplicate ids are errors on both files', async () => {
    file('t.json', '[{"name": "bad name"}]');
    file('a.prompt.md', '---\nid: same\ntools: t.json\n---\nx\n');
    file('b.prompt.md', '---\nid: same\n---\nx\n');
    const r = await run(ws, ['.']);
    assert.equal(r.code, 1);
    assert.match(r.out, /^t\.json:1:1 error Tool 1: tool name must match .* \[tools-json\]$/m);
    assert.match(r.out, /^a\.prompt\.md:3:8 error tools: t\.json line 1: .* \[tools-json\]$/m);
    assert.match(r.out, /^a\.prompt\.md:2:1 error The id 'same' is also used by b\.prompt\.md.* \[duplicate-id\]$/m);
    assert.match(r.out, /^b\.prompt\.md:2:1 error The id 'same' is also used by a\.prompt\.md.* \[duplicate-id\]$/m);
  });

  it('escapes, binary and oversize context files, symlinks out: diagnostics, never a crash', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'pcl-out-'));
    writeFileSync(join(outside, 'secret.md'), 'secret');
    symlinkSync(join(outside, 'secret.md'), join(ws, 'link.md'));
    writeFileSync(join(ws, 'bin.md'), Buffer.from([0, 1, 2, 3]));
    writeFileSync(join(ws, 'big.md'), 'x'.repeat(600 * 1024));
    file('p.prompt.md', `---\ncontext: [../x.md, ${join(outside, 'secret.md')}, link.md, bin.md, big.md]\n---\nx\n`);
    const r = await run(ws, ['--json', '--max-file-bytes', '512000', 'p.prompt.md']);
    rmSync(outside, { recursive: true, force: true });
    const diagnostics = (JSON.parse(r.out) as Report).files[0]?.diagnostics ?? [];
    assert.deepEqual(diagnostics.map((d) => d.code), ['outside-workspace', 'outside-workspace', 'outside-workspace', 'binary-file', 'file-too-large']);
    assert.equal(diagnostics[4]?.message, 'context: big.md is 600 KB (614,400 bytes), over the 500 KB (512,000 bytes) limit, so it is not read; to read it, raise --max-file-bytes.');
    assert.equal(diagnostics[4]?.line, 2);
    assert.equal(r.code, 1);
    // The default (2 MB, as the extension's setting) reads the same file.
    const byDefault = (JSON.parse((await run(ws, ['--json', 'p.prompt.md'])).out) as Report).files[0]?.diagnostics ?? [];
    assert.ok(!byDefault.some((d) => d.code === 'file-too-large'));
  });

  it('a prompt file over --max-file-bytes is an error naming its size and the flag (exit 1, not unreadable)', async () => {
    file('big.prompt.md', `---\nid: big\n---\n${'word '.repeat(400)}\n`);
    const r = await run(ws, ['--max-file-bytes', '1000', 'big.prompt.md']);
    assert.equal(r.code, 1);
    assert.match(r.out, /^big\.prompt\.md:1:1 error big\.prompt\.md is 2\.0 KB \(2,017 bytes\), over the 1,000 bytes limit, so it is not read; to read it, raise --max-file-bytes\. \[file-too-large\]$/m);
    for (const bad of ['0', '-5', '1.5', 'lots']) assert.equal((await run(ws, ['--max-file-bytes', bad, 'big.prompt.md'])).code, 2, bad);
  });

  it('exit 2: bad flags, no paths, a missing path, a path outside the workspace, an unreadable file (FIFO)', async () => {
    assert.equal((await run(ws, ['--nope', '.'])).code, 2);
    assert.equal((await run(ws, [])).code, 2);
    assert.match((await run(ws, ['missing.prompt.md'])).err, /does not exist/);
    assert.equal((await run(ws, ['..'])).code, 2);
    execFileSync('mkfifo', [join(ws, 'fifo.prompt.md')]);
    file('ok.prompt.md', '---\nid: ok\n---\nx\n');
    // A folder walk lists regular files only, so the FIFO is never opened; named, it is refused (never blocks).
    assert.equal((await run(ws, ['.'])).code, 0);
    const fifo = await run(ws, ['fifo.prompt.md', 'ok.prompt.md']);
    assert.equal(fifo.code, 2);
    assert.match(fifo.out, /^fifo\.prompt\.md:1:1 error .*\[unreadable-file\]$/m);
  });

  it('the sample workspace: broken.prompt.md shows all its problems, the others none that are errors', async () => {
    const fixture = resolve(__dirname, '../../fixtures/workspace');
    const r = await run(fixture, ['--json', '.']);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.out) as Report;
    assert.deepEqual(report.files.map((f) => f.path), ['.prompts/support-agent.md', 'prompts/broken.prompt.md', 'prompts/code-reviewer.prompt.md', 'prompts/greeting.prompt.md', 'prompts/release-notes.prompty']);
    const broken = report.files.find((f) => f.path === 'prompts/broken.prompt.md');
    assert.deepEqual(broken?.diagnostics.map((d) => [d.line, d.column, d.severity, d.code]), [
      [4, 6, 'error', 'bad-ttl'],
      [5, 1, 'warning', 'unknown-key'],
      [7, 27, 'error', 'outside-workspace'],
    ]);
    const others = report.files.filter((f) => f !== broken).flatMap((f) => f.diagnostics);
    assert.deepEqual(others.filter((d) => d.severity === 'error'), []);
    for (const d of report.files.flatMap((f) => f.diagnostics)) assert.ok(d.code in DIAGNOSTIC_CODES && d.line >= 1 && d.column >= 1, JSON.stringify(d));
  });
});
