import { strict as assert } from 'node:assert';
import { globToRegExp } from '../../../src/core/registry/glob';
import { MAX_FILE_BYTES, resolvePromptFiles, workspacePath, type FileAccess } from '../../../src/core/registry/resolve';
import { parseToolsJson } from '../../../src/core/registry/tools';
import { parsePromptFile } from '../../../src/core/registry/parse';

function fakeFs(files: Record<string, string | Uint8Array>): FileAccess {
  return {
    root: '/ws',
    read: async (abs) => {
      const v = files[abs.replace(/^\/ws\//, '')];
      return v === undefined ? undefined : typeof v === 'string' ? new TextEncoder().encode(v) : v;
    },
    list: async () => Object.keys(files),
  };
}

const spec = (fm: string) => {
  const r = parsePromptFile('/ws/.prompts/a.md', `---\n${fm}\n---\nBody`);
  if (!r.spec) throw new Error(JSON.stringify(r.diagnostics));
  return r.spec;
};

describe('resolvePromptFiles', () => {
  it('expands globs in sorted order relative to the prompt folder, deduplicated', async () => {
    const fs = fakeFs({ 'docs/b.md': 'B', 'docs/a.md': 'A', 'docs/x.txt': 'X', 'docs/sub/c.md': 'C' });
    const r = await resolvePromptFiles(spec('context: [../docs/b.md, "../docs/*.md", "../docs/**/*.md"]'), fs);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.context.map((d) => d.path), ['docs/b.md', 'docs/a.md', 'docs/sub/c.md']);
  });

  it('outside the workspace, missing, binary, huge and non-matching files: diagnostics on the naming line', async () => {
    const fs = fakeFs({ 'bin.md': new Uint8Array([65, 0, 66]), 'big.md': 'x'.repeat(MAX_FILE_BYTES + 1) });
    const s = spec('context:\n  files:\n    - ../../etc/passwd\n    - ../missing.md\n    - ../bin.md\n    - ../big.md\n    - "../none/*.md"');
    const r = await resolvePromptFiles(s, fs);
    const byLine = Object.fromEntries(r.diagnostics.map((d) => [d.line, d.message]));
    assert.match(byLine[4] ?? '', /outside the workspace/);
    assert.match(byLine[5] ?? '', /missing\.md does not exist/);
    assert.match(byLine[6] ?? '', /looks binary/);
    assert.match(byLine[7] ?? '', /big\.md is 2\.0 MB \(2,097,153 bytes\), over the 2 MB \(2,097,152 bytes\) limit/);
    assert.match(byLine[8] ?? '', /matches no file/);
    assert.equal(r.context.length, 0);
  });

  it('loads and validates tools; errors point at the tools file line and at the tools: key', async () => {
    const ok = await resolvePromptFiles(spec('tools: ../t.json'), fakeFs({ 't.json': '[{"name":"a","input_schema":{"type":"object"}}]' }));
    assert.equal(ok.tools?.length, 1);
    const bad = await resolvePromptFiles(spec('id: x\ntools: ../t.json'), fakeFs({ 't.json': '[\n  {"name":"a","input_schema":{"type":"object"}},\n  {"name":"b c"}\n]' }));
    assert.equal(bad.tools, undefined);
    assert.deepEqual(bad.diagnostics.map((d) => [d.file ?? 'prompt', d.line]), [['t.json', 3], ['prompt', 3]]);
  });

  it('workspacePath keeps paths inside the root', () => {
    assert.equal(workspacePath('/ws', '/ws/p/a.md', '../docs/x.md'), 'docs/x.md');
    assert.equal(workspacePath('/ws', '/ws/p/a.md', '../../x.md'), undefined);
    assert.equal(workspacePath('/ws', '/ws/p/a.md', '/etc/passwd'), undefined);
    assert.equal(workspacePath('/ws', 'p/a.md', 'd.md'), 'p/d.md');
  });
});

describe('parseToolsJson and globs', () => {
  it('reports invalid JSON with its line, non-arrays, duplicates and server tools', () => {
    assert.equal(parseToolsJson('[\n{"name": "a",\n}\n]').diagnostics[0]?.line, 3);
    assert.match(parseToolsJson('{}').diagnostics[0]?.message ?? '', /JSON array/);
    const dup = parseToolsJson('[\n{"name":"a","input_schema":{"type":"object"}},\n{"name":"a","input_schema":{"type":"object"}}\n]');
    assert.match(dup.diagnostics[0]?.message ?? '', /duplicate tool name 'a' \(first on line 2\)/);
    assert.equal(parseToolsJson('[{"type":"web_search_20250305","name":"web_search"}]').tools?.length, 1);
  });

  it('glob semantics', () => {
    assert.ok(globToRegExp('docs/*.md').test('docs/a.md'));
    assert.ok(!globToRegExp('docs/*.md').test('docs/sub/a.md'));
    assert.ok(globToRegExp('docs/**/*.md').test('docs/a.md'));
    assert.ok(globToRegExp('docs/**/*.md').test('docs/x/y/a.md'));
    assert.ok(globToRegExp('docs/{a,b}.md').test('docs/b.md'));
    assert.ok(!globToRegExp('docs/a?.md').test('docs/a.md'));
  });
});
