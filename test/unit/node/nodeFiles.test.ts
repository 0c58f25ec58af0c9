import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listFiles, nodeFiles, workspaceRoot } from '../../../src/node/nodeFiles';

const WORKSPACE = join(__dirname, '..', '..', 'fixtures', 'workspace');

describe('node/nodeFiles', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'pcl-files-'));
    for (const d of ['a/b', 'node_modules/pkg', '.git', '.vscode', '.prompts/sub', 'z']) mkdirSync(join(tmp, d), { recursive: true });
    for (const f of ['a/b/c.md', 'a/one.txt', 'node_modules/pkg/index.js', '.git/config', '.vscode/settings.json', '.prompts/sub/p.md', 'z/last.md', '.env']) {
      writeFileSync(join(tmp, f), f);
    }
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('lists workspace-relative files, skipping node_modules and dot-entries except .prompts', () => {
    assert.deepEqual(listFiles(tmp).sort(), ['.prompts/sub/p.md', 'a/b/c.md', 'a/one.txt', 'z/last.md']);
    assert.ok(listFiles(WORKSPACE).includes('.prompts/support-agent.md'));
  });

  it('stops at the listing limit', () => {
    assert.equal(listFiles(tmp, 2).length, 2);
    assert.equal(listFiles(tmp, 0).length, 0);
  });

  it('reads files by absolute path; missing files read as undefined, folders are refused', async () => {
    const io = nodeFiles(tmp);
    assert.equal(io.root, tmp);
    assert.equal(Buffer.from((await io.read(join(tmp, 'a/one.txt'))) as Uint8Array).toString(), 'a/one.txt');
    assert.equal(await io.read(join(tmp, 'a/nope.txt')), undefined);
    await assert.rejects(io.read(join(tmp, 'a')), /^Error: a is a directory$/);
    assert.equal((await io.list()).length, 4);
  });

  it('finds the workspace root by .git or package.json, else the given cwd', () => {
    assert.equal(workspaceRoot(join(tmp, 'a', 'b')), tmp); // tmp holds .git
    assert.equal(workspaceRoot(join(WORKSPACE, '.prompts')), WORKSPACE);
    rmSync(join(tmp, '.git'), { recursive: true });
    assert.equal(workspaceRoot(join(tmp, 'a'), '/fallback'), '/fallback');
  });
});
