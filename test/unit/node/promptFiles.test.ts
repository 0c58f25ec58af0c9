// Regression: prompt files read their context documents and tools file through the workspace
// boundary on real paths. Before, the check was textual and the reader followed links, so a link
// inside the workspace pointing at /etc/passwd was read into the request.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFiles } from '../../../src/node/nodeFiles';
import { parsePromptFile } from '../../../src/core/registry/parse';
import { resolvePromptFiles } from '../../../src/core/registry/resolve';

describe('prompt files through the workspace boundary (nodeFiles)', () => {
  let ws: string;
  let outside: string;
  beforeEach(() => {
    ws = mkdtempSync(join(tmpdir(), 'pcl-pf-'));
    outside = mkdtempSync(join(tmpdir(), 'pcl-pf-out-'));
    mkdirSync(join(ws, 'docs'));
    writeFileSync(join(ws, 'docs/ok.md'), 'OK');
    writeFileSync(join(outside, 'tools.json'), '[{"name":"stolen","input_schema":{"type":"object"}}]');
  });
  afterEach(() => {
    rmSync(ws, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  const resolveWith = async (frontMatter: string) => {
    const parsed = parsePromptFile(join(ws, 'p.prompt.md'), `---\n${frontMatter}\n---\nBody`);
    if (!parsed.spec) throw new Error(JSON.stringify(parsed.diagnostics));
    return resolvePromptFiles(parsed.spec, nodeFiles(ws));
  };

  it('a context link to /etc/passwd is refused with a diagnostic naming the target, and nothing is read', async () => {
    symlinkSync('/etc/passwd', join(ws, 'docs/x.md'));
    const r = await resolveWith('context: [docs/x.md, docs/ok.md]');
    assert.deepEqual(r.context, [{ path: 'docs/ok.md', text: 'OK' }]);
    assert.deepEqual(r.diagnostics.map((d) => d.message), ['context: docs/x.md is a symbolic link to /etc/passwd, outside the workspace; refused.']);
  });

  it('a tools file reached through a folder link out of the workspace is refused', async () => {
    symlinkSync(outside, join(ws, 'shared'));
    const r = await resolveWith('tools: shared/tools.json');
    assert.equal(r.tools, undefined);
    assert.match(r.diagnostics[0]?.message ?? '', /^tools: shared\/tools\.json goes through shared, a symbolic link to .*, outside the workspace; refused\.$/);
  });

  it('a link that stays inside the workspace is read', async () => {
    symlinkSync('ok.md', join(ws, 'docs/alias.md'));
    const r = await resolveWith('context: [docs/alias.md]');
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.context, [{ path: 'docs/alias.md', text: 'OK' }]);
  });

  it('a FIFO, a huge sparse file and a folder are refused before reading', async () => {
    execFileSync('mkfifo', [join(ws, 'docs/pipe.md')]);
    writeFileSync(join(ws, 'docs/huge.md'), '');
    truncateSync(join(ws, 'docs/huge.md'), 1.5 * 1024 ** 3);
    const r = await resolveWith('context: [docs/pipe.md, docs/huge.md, docs]');
    assert.deepEqual(r.diagnostics.map((d) => d.message), [
      'context: docs/pipe.md is a named pipe (FIFO), not a regular file.',
      'context: docs/huge.md is 1.5 GB (1,610,612,736 bytes), over the 2 MB (2,097,152 bytes) limit, so it is not read; to read it, raise the size limit.',
      'context: docs is a directory.',
    ]);
  });
});
