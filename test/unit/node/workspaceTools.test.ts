import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkspaceTools } from '../../../src/node/workspaceTools';

describe('node/workspaceTools', () => {
  let ws: string;
  let outside: string;
  let tools: WorkspaceTools;
  const run = (name: string, input: unknown, signal?: AbortSignal) => tools.run({ id: 'toolu_1', name, input }, signal);

  beforeEach(() => {
    ws = mkdtempSync(join(tmpdir(), 'pcl-wt-'));
    outside = mkdtempSync(join(tmpdir(), 'pcl-wt-out-'));
    for (const d of ['docs/sub', 'node_modules/pkg', '.git', 'src']) mkdirSync(join(ws, d), { recursive: true });
    writeFileSync(join(ws, 'docs/faq.md'), 'line one\nline two\nline three\n');
    writeFileSync(join(ws, 'docs/sub/deep.md'), 'needle here\n');
    writeFileSync(join(ws, 'src/a.ts'), 'const needle = 1;\nexport {};\n');
    writeFileSync(join(ws, 'node_modules/pkg/index.js'), 'needle');
    writeFileSync(join(ws, '.git/config'), 'needle');
    writeFileSync(join(ws, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
    writeFileSync(join(outside, 'secret.txt'), 'needle secret');
    tools = new WorkspaceTools({ root: ws });
  });
  afterEach(() => {
    rmSync(ws, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('defines three tools with JSON schemas the API accepts', () => {
    const defs = tools.definitions();
    assert.deepEqual(defs.map((d) => d.name), ['read_file', 'list_files', 'search_text']);
    for (const d of defs) {
      assert.match(d.name, /^[a-zA-Z0-9_-]{1,64}$/);
      assert.ok((d.description ?? '').length > 20);
      assert.equal(d.input_schema.type, 'object');
      assert.equal(d.input_schema.additionalProperties, false);
    }
    assert.deepEqual(defs[0]?.input_schema.required, ['path']);
    assert.deepEqual(defs[2]?.input_schema.required, ['query']);
  });

  describe('read_file', () => {
    it('reads a whole file or a range of lines', async () => {
      assert.deepEqual(await run('read_file', { path: 'docs/faq.md' }), { content: 'line one\nline two\nline three\n', isError: false });
      assert.deepEqual(await run('read_file', { path: 'docs/faq.md', start_line: 2, end_line: 3 }), { content: 'line two\nline three', isError: false });
      assert.deepEqual(await run('read_file', { path: 'docs/faq.md', start_line: 3, end_line: 99 }), { content: 'line three', isError: false });
      assert.deepEqual(await run('read_file', { path: 'docs/faq.md', end_line: 1 }), { content: 'line one', isError: false });
    });

    const refused: Array<[string, () => unknown, RegExp]> = [
      ['..', () => ({ path: '../../etc/passwd' }), /read_file: \.\.\/\.\.\/etc\/passwd is outside the workspace folder/],
      ['absolute path outside', () => ({ path: '/etc/passwd' }), /read_file: \/etc\/passwd is outside the workspace folder/],
      ['missing file', () => ({ path: 'docs/nope.md' }), /^read_file: docs\/nope\.md does not exist$/],
      ['binary file', () => ({ path: 'logo.png' }), /^read_file: logo\.png looks binary/],
      ['folder', () => ({ path: 'docs' }), /^read_file: docs is a directory$/],
      ['range past the end', () => ({ path: 'docs/faq.md', start_line: 9 }), /start_line 9 is past the end of docs\/faq\.md \(3 lines\)/],
      ['reversed range', () => ({ path: 'docs/faq.md', start_line: 3, end_line: 2 }), /end_line 2 is before start_line 3/],
      ['path of the wrong type', () => ({ path: 42 }), /^read_file: path must be a string, got number 42$/],
      ['missing path', () => ({}), /^read_file: path is required$/],
      ['fractional line', () => ({ path: 'docs/faq.md', start_line: 1.5 }), /start_line must be a whole number/],
      ['zero line', () => ({ path: 'docs/faq.md', start_line: 0 }), /start_line must be at least 1, got 0/],
      ['unknown field', () => ({ path: 'docs/faq.md', encoding: 'latin1' }), /unknown field encoding/],
      ['input not an object', () => 'docs/faq.md', /the input must be an object with path, start_line, end_line, got the string "docs\/faq\.md"/],
      ['input null', () => null, /the input must be an object/],
      ['empty path', () => ({ path: '' }), /the path must be a non-empty string/],
      ['NUL in path', () => ({ path: 'docs/faq.md\0.png' }), /NUL/],
    ];
    for (const [name, input, message] of refused) {
      it(`refuses: ${name}`, async () => {
        const r = await run('read_file', input());
        assert.equal(r.isError, true);
        assert.match(r.content, message);
      });
    }

    it('refuses a link out of the workspace, naming its target, and never returns its content', async () => {
      symlinkSync('/etc/passwd', join(ws, 'docs/x.md'));
      symlinkSync(outside, join(ws, 'shared'));
      const file = await run('read_file', { path: 'docs/x.md' });
      assert.deepEqual(file, { content: 'read_file: docs/x.md is a symbolic link to /etc/passwd, outside the workspace; refused', isError: true });
      const dir = await run('read_file', { path: 'shared/secret.txt' });
      assert.equal(dir.isError, true);
      assert.doesNotMatch(dir.content, /needle secret/);
      assert.match(dir.content, /goes through shared, a symbolic link to/);
    });

    it('allows a link that stays inside the workspace', async () => {
      symlinkSync('faq.md', join(ws, 'docs/alias.md'));
      assert.deepEqual(await run('read_file', { path: 'docs/alias.md', end_line: 1 }), { content: 'line one', isError: false });
    });

    it('refuses a file over the size cap with its size, a huge sparse file, a FIFO and a device', async () => {
      const small = new WorkspaceTools({ root: ws, maxFileBytes: 10 });
      const r = await small.run({ id: 't', name: 'read_file', input: { path: 'docs/faq.md' } });
      assert.deepEqual(r, { content: 'read_file: docs/faq.md is 29 bytes, over the 10 bytes limit', isError: true });
      writeFileSync(join(ws, 'huge.log'), '');
      truncateSync(join(ws, 'huge.log'), 1.5 * 1024 ** 3);
      assert.equal((await run('read_file', { path: 'huge.log' })).content, 'read_file: huge.log is 1.5 GB, over the 512 KB limit');
      execFileSync('mkfifo', [join(ws, 'pipe')]);
      assert.equal((await run('read_file', { path: 'pipe' })).content, 'read_file: pipe is a named pipe (FIFO), not a regular file');
      symlinkSync('/dev/zero', join(ws, 'zero'));
      assert.match((await run('read_file', { path: 'zero' })).content, /zero is a symbolic link to \/dev\/zero, outside the workspace; refused/);
    });
  });

  describe('list_files', () => {
    it('lists files recursively, skipping node_modules and .git', async () => {
      const r = await run('list_files', {});
      assert.equal(r.isError, false);
      assert.deepEqual(r.content.split('\n').sort(), ['docs/faq.md', 'docs/sub/deep.md', 'logo.png', 'src/a.ts']);
    });

    it('lists one folder, filters by glob, and caps the count', async () => {
      assert.deepEqual((await run('list_files', { path: 'docs' })).content.split('\n').sort(), ['docs/faq.md', 'docs/sub/deep.md']);
      assert.deepEqual((await run('list_files', { glob: '*.md' })).content.split('\n').sort(), ['docs/faq.md', 'docs/sub/deep.md']);
      assert.equal((await run('list_files', { path: 'docs', glob: 'sub/*.md' })).content, 'docs/sub/deep.md');
      assert.match((await run('list_files', { glob: '*.rs' })).content, /^no files matching \*\.rs in \.$/);
      const capped = await new WorkspaceTools({ root: ws, maxListed: 2 }).run({ id: 't', name: 'list_files', input: {} });
      assert.equal(capped.content.split('\n').length, 3);
      assert.match(capped.content, /list capped at 2 files/);
    });

    it('lists links only when they stay inside, and never walks folder links', async () => {
      symlinkSync('/etc/passwd', join(ws, 'docs/x.md'));
      symlinkSync(outside, join(ws, 'shared'));
      symlinkSync('faq.md', join(ws, 'docs/alias.md'));
      symlinkSync(ws, join(ws, 'docs/loop'));
      const r = await run('list_files', { path: 'docs' });
      assert.deepEqual(r.content.split('\n').sort(), ['docs/alias.md', 'docs/faq.md', 'docs/sub/deep.md']);
    });

    it('refuses paths outside and bad input', async () => {
      assert.match((await run('list_files', { path: '..' })).content, /outside the workspace/);
      assert.match((await run('list_files', { glob: 5 })).content, /glob must be a string/);
      assert.match((await run('list_files', { glob: '*'.repeat(20) })).content, /more than 12 wildcards/);
      assert.equal((await run('list_files', { path: 'missing' })).isError, true);
    });
  });

  describe('search_text', () => {
    it('finds literal text in text files, skipping node_modules, .git and binaries', async () => {
      const r = await run('search_text', { query: 'needle' });
      assert.equal(r.isError, false);
      assert.deepEqual(r.content.split('\n').filter((l) => !l.startsWith('(')).sort(), ['docs/sub/deep.md:1: needle here', 'src/a.ts:1: const needle = 1;']);
      assert.match(r.content, /\(1 binary or over-512 KB files skipped\)/);
    });

    it('searches one file or folder, with a regex', async () => {
      assert.equal((await run('search_text', { query: '^line t', regex: true, path: 'docs/faq.md' })).content, 'docs/faq.md:2: line two\ndocs/faq.md:3: line three');
      assert.match((await run('search_text', { query: 'zzz', path: 'src' })).content, /^no matches for "zzz" in src \(1 files searched\)$/);
    });

    it('caps matches', async () => {
      writeFileSync(join(ws, 'many.txt'), 'hit\n'.repeat(50));
      const r = await new WorkspaceTools({ root: ws, maxMatches: 5 }).run({ id: 't', name: 'search_text', input: { query: 'hit', path: 'many.txt' } });
      assert.equal(r.content.split('\n').length, 6);
      assert.match(r.content, /stopped at 5 matches/);
    });

    it('refuses bad regexes, nested quantifiers, outside paths, binary files and bad input', async () => {
      assert.match((await run('search_text', { query: '(', regex: true })).content, /^search_text: invalid regex/);
      assert.match((await run('search_text', { query: '(a+)+$', regex: true })).content, /nests quantifiers/);
      assert.match((await run('search_text', { query: 'x', path: '/etc' })).content, /outside the workspace/);
      assert.match((await run('search_text', { query: 'x', path: 'logo.png' })).content, /^search_text: logo\.png looks binary/);
      assert.match((await run('search_text', { query: '' })).content, /query must not be empty/);
      assert.match((await run('search_text', { query: 'x', regex: 'yes' })).content, /regex must be true or false/);
      symlinkSync(outside, join(ws, 'shared'));
      assert.match((await run('search_text', { query: 'needle', path: 'shared' })).content, /symbolic link to .*outside the workspace; refused/);
      assert.doesNotMatch((await run('search_text', { query: 'secret' })).content, /needle secret/);
    });
  });

  it('unknown tools and cancelled calls are errors, never throws', async () => {
    assert.deepEqual(await run('write_file', { path: 'x' }), { content: 'unknown tool write_file; the workspace tools are read_file, list_files, search_text', isError: true });
    const ac = new AbortController();
    ac.abort();
    for (const name of ['read_file', 'list_files', 'search_text']) {
      assert.deepEqual(await run(name, { path: 'docs/faq.md', query: 'x' }, ac.signal), { content: `${name}: cancelled`, isError: true });
    }
  });
});
