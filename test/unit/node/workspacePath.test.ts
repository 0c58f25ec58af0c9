import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveInWorkspace } from '../../../src/node/workspacePath';

describe('node/workspacePath', () => {
  let ws: string;
  let outside: string;
  beforeEach(() => {
    ws = mkdtempSync(join(tmpdir(), 'pcl-ws-'));
    outside = mkdtempSync(join(tmpdir(), 'pcl-out-'));
    mkdirSync(join(ws, 'docs/sub'), { recursive: true });
    writeFileSync(join(ws, 'docs/a.md'), 'A');
    writeFileSync(join(outside, 'secret.txt'), 'S');
  });
  afterEach(() => {
    rmSync(ws, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('resolves a relative path to its real path and a workspace-relative name', async () => {
    const r = await resolveInWorkspace(ws, 'docs/./sub/../a.md');
    assert.deepEqual(r, { ok: true, real: realpathSync(join(ws, 'docs/a.md')), rel: 'docs/a.md' });
  });

  it('resolves relative to a base folder inside the root', async () => {
    const r = await resolveInWorkspace(ws, '../a.md', { base: join(ws, 'docs/sub') });
    assert.equal(r.ok && r.rel, 'docs/a.md');
  });

  it('refuses .. escapes without touching the file system', async () => {
    const r = await resolveInWorkspace(ws, '../../etc/passwd');
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.reason, 'outside');
    assert.match(!r.ok ? r.message : '', /outside the workspace/);
  });

  it('refuses absolute paths outside and accepts absolute paths inside', async () => {
    const out = await resolveInWorkspace(ws, '/etc/passwd');
    assert.equal(!out.ok && out.reason, 'outside');
    const inside = await resolveInWorkspace(ws, join(ws, 'docs/a.md'));
    assert.equal(inside.ok && inside.rel, 'docs/a.md');
  });

  it('refuses a file link that leaves the workspace, naming where it points', async () => {
    symlinkSync('/etc/passwd', join(ws, 'docs/x.md'));
    const r = await resolveInWorkspace(ws, 'docs/x.md');
    assert.equal(!r.ok && r.reason, 'symlink-outside');
    assert.equal(!r.ok && r.message, 'docs/x.md is a symbolic link to /etc/passwd, outside the workspace; refused');
  });

  it('refuses a path through a folder link that leaves the workspace', async () => {
    symlinkSync(outside, join(ws, 'docs/out'));
    const r = await resolveInWorkspace(ws, 'docs/out/secret.txt');
    assert.equal(!r.ok && r.reason, 'symlink-outside');
    assert.match(!r.ok ? r.message : '', /docs\/out\/secret\.txt goes through docs\/out, a symbolic link to .*pcl-out-.*, outside the workspace; refused/);
  });

  it('refuses a chain of links that ends outside, naming the final target', async () => {
    symlinkSync(join(outside, 'secret.txt'), join(ws, 'hop2'));
    symlinkSync('../hop2', join(ws, 'docs/hop1.md'));
    const r = await resolveInWorkspace(ws, 'docs/hop1.md');
    assert.match(!r.ok ? r.message : '', new RegExp(`docs/hop1.md is a symbolic link to ${realpathSync(outside)}/secret.txt`));
  });

  it('allows a link that stays inside the workspace', async () => {
    symlinkSync('../a.md', join(ws, 'docs/sub/alias.md'));
    symlinkSync(join(ws, 'docs'), join(ws, 'docs-link'));
    const file = await resolveInWorkspace(ws, 'docs/sub/alias.md');
    assert.deepEqual(file, { ok: true, real: realpathSync(join(ws, 'docs/a.md')), rel: 'docs/sub/alias.md' });
    const dir = await resolveInWorkspace(ws, 'docs-link/a.md');
    assert.equal(dir.ok && dir.real, realpathSync(join(ws, 'docs/a.md')));
  });

  it('works when the root itself is reached through a link', async () => {
    const link = join(outside, 'ws-link');
    symlinkSync(ws, link);
    const r = await resolveInWorkspace(link, 'docs/a.md');
    assert.equal(r.ok && r.rel, 'docs/a.md');
    const abs = await resolveInWorkspace(link, join(realpathSync(ws), 'docs/a.md'));
    assert.equal(abs.ok, true);
  });

  it('missing files, dangling links and bad input are refusals, never throws', async () => {
    assert.equal((await resolveInWorkspace(ws, 'nope.md')).ok, false);
    assert.equal(((await resolveInWorkspace(ws, 'docs/a.md/x')) as { reason: string }).reason, 'missing');
    symlinkSync('/nonexistent/target', join(ws, 'dangling'));
    assert.equal(((await resolveInWorkspace(ws, 'dangling')) as { reason: string }).reason, 'missing');
    for (const bad of [42, null, '', '   ', 'a\0b', { path: 'x' }]) {
      const r = await resolveInWorkspace(ws, bad);
      assert.equal(!r.ok && r.reason, 'invalid', String(bad));
    }
    const gone = await resolveInWorkspace(join(ws, 'no-such-root'), 'a');
    assert.equal(!gone.ok && gone.reason, 'unreadable');
  });
});
