// Every diagnostic of the parse stage: its code, exact line/column/endColumn, and its quick fixes.
import { strict as assert } from 'node:assert';
import { parsePromptFile } from '../../../src/core/registry/parse';
import type { Diagnostic } from '../../../src/core/registry/types';

const pick = (d: Diagnostic) => [d.code, d.severity, d.line, d.column, d.endColumn];
const byCode = (ds: Diagnostic[], code: string) => ds.filter((d) => d.code === code);

describe('prompt diagnostics: codes, spans, fixes', () => {
  const text = '---\nid: a\nmodle: x\nttl: 10m\nmax_tokens: "lots"\ncontext:\n  ttl: 1h\n  files: [docs/a.md, 3]\ntemperature: 0.5\n---\nBody\n';
  const r = parsePromptFile('/w/p.prompt.md', text);

  it('all front-matter problems at once, each with code and span; a partial spec is kept', () => {
    assert.equal(r.spec, undefined);
    assert.ok(r.partial, 'partial spec for later stages');
    assert.deepEqual(r.diagnostics.map(pick), [
      ['unknown-key', 'warning', 3, 1, 6],
      ['bad-ttl', 'error', 4, 6, 9],
      ['bad-type', 'error', 5, 13, 19],
      ['bad-type', 'error', 8, 22, 23],
      ['sampling-param-ignored', 'warning', 9, 1, 12],
    ]);
  });

  it('a misspelt key offers the nearest keys (a swap is one edit; request keys before metadata)', () => {
    const d = byCode(r.diagnostics, 'unknown-key')[0];
    assert.match(d?.message ?? '', /Did you mean 'model'\?/);
    assert.deepEqual(d?.fixes, [
      { title: "Rename to 'model'", line: 3, column: 1, endColumn: 6, replacement: 'model' },
      { title: "Rename to 'mode'", line: 3, column: 1, endColumn: 6, replacement: 'mode' },
    ]);
    for (const key of ['zzzzzz', 'a']) {
      const far = parsePromptFile('p.md', `---\n${key}: 1\n---\nx`).diagnostics[0];
      assert.equal(far?.fixes, undefined, key);
      assert.match(far?.message ?? '', /Known keys:/);
    }
    assert.equal(parsePromptFile('p.md', '---\ntl: 5m\n---\nx').diagnostics[0]?.fixes?.[0]?.replacement, 'ttl');
  });

  it('ttl: 10m offers 5m and 1h on the value span', () => {
    assert.deepEqual(byCode(r.diagnostics, 'bad-ttl')[0]?.fixes, [
      { title: 'Change to 5m', line: 4, column: 6, endColumn: 9, replacement: '5m' },
      { title: 'Change to 1h', line: 4, column: 6, endColumn: 9, replacement: '1h' },
    ]);
    const n = parsePromptFile('p.md', '---\ncontext:\n  ttl: 300\n  files: a.md\n---\nx').diagnostics[0];
    assert.deepEqual([n?.code, n?.line, n?.column, n?.fixes?.map((f) => f.replacement)], ['bad-ttl', 3, 8, ['5m', '1h']]);
  });

  it('YAML syntax, duplicate keys, unclosed fence, empty body, non-mapping', () => {
    assert.equal(parsePromptFile('p.md', '---\nid: [a, b\nttl: 5m\n---\nBody').diagnostics[0]?.code, 'yaml-syntax');
    assert.deepEqual(byCode(parsePromptFile('p.md', '---\nid: a\nid: b\n---\nx').diagnostics, 'duplicate-key').map((d) => d.line), [3]);
    assert.deepEqual(pick(parsePromptFile('p.md', '---\nid: a\nBody').diagnostics[0] as Diagnostic), ['front-matter-unclosed', 'error', 1, 1, 4]);
    assert.equal(parsePromptFile('p.md', '---\nid: a\n---\n\n').diagnostics[0]?.code, 'empty-body');
    assert.equal(parsePromptFile('p.md', '---\n- a\n---\nx').diagnostics[0]?.code, 'bad-type');
    assert.equal(parsePromptFile('p.md', 'Just text').diagnostics[0]?.code, 'no-front-matter');
    assert.deepEqual(pick(parsePromptFile('p.md', '---\nmax_tokens: 0\n---\nx').diagnostics[0] as Diagnostic), ['bad-value', 'error', 2, 13, 14]);
  });

  it('the parse keeps spans for later stages: tools, model, context entries, context ttl', () => {
    const ok = parsePromptFile('p.md', '---\nmodel: claude-sonet-5\ntools: t.json\nttl: 5m\ncontext:\n  ttl: 1h\n  files: [a.md]\n---\nx').spec;
    assert.deepEqual(ok?.valueSpans?.model, { line: 2, column: 8, endColumn: 22 });
    assert.deepEqual(ok?.valueSpans?.tools, { line: 3, column: 8, endColumn: 14 });
    assert.deepEqual(ok?.valueSpans?.['context.ttl'], { line: 6, column: 8, endColumn: 10 });
    assert.deepEqual(ok?.context?.fileSpans, [{ line: 7, column: 11, endColumn: 15 }]);
  });

  it('prompty: non-Claude model, unknown parameter, missing system section', () => {
    const base = '---\nmodel:\n  configuration:\n    name: gpt-4o\n  parameters:\n    frequency_penalty: 1\n---\n';
    const p = parsePromptFile('a.prompty', `${base}system:\nHi\n`);
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.line]), [['not-claude-model', 4], ['unsupported-param', 6]]);
    assert.equal(parsePromptFile('a.prompty', `${base}user:\nHi\n`).diagnostics.some((d) => d.code === 'prompty-no-system'), true);
  });
});

describe('Copilot prompt files (VS Code prompt language) coexist', () => {
  it('description and mode are accepted; a tools LIST is Copilot\'s: one info, no error', () => {
    const r = parsePromptFile('/w/fix.prompt.md', "---\ndescription: Fix the bug\nmode: agent\ntools: ['codebase', 'fetch']\n---\nFix it.\n");
    assert.ok(r.spec);
    assert.equal(r.spec.tools, undefined);
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity, d.line]), [['copilot-tools', 'info', 4]]);
    assert.match(r.diagnostics[0]?.message ?? '', /Copilot's.*ignores it/);
  });

  it("in a Copilot file, Copilot's model names are left to Copilot; a Claude API id is ours", () => {
    const copilot = parsePromptFile('/w/a.prompt.md', '---\nmode: agent\nmodel: GPT-4o\n---\nx');
    assert.equal(copilot.spec?.model, undefined);
    assert.deepEqual(copilot.diagnostics.map((d) => [d.code, d.severity, d.line, d.column, d.endColumn]), [['copilot-model', 'info', 3, 8, 14]]);
    assert.equal(parsePromptFile('/w/a.prompt.md', '---\nmode: agent\nmodel: claude-sonnet-5\n---\nx').spec?.model, 'claude-sonnet-5');
    // Without Copilot's markers a model is always ours (an unknown one is reported by the pipeline).
    assert.equal(parsePromptFile('/w/a.prompt.md', '---\nmodel: GPT-4o\n---\nx').spec?.model, 'GPT-4o');
  });

  it('a tools string is still ours (path of a tools JSON)', () => {
    const r = parsePromptFile('/w/a.prompt.md', '---\nmode: ask\ntools: tools/a.json\n---\nx');
    assert.equal(r.spec?.tools, 'tools/a.json');
    assert.deepEqual(r.diagnostics, []);
  });
});

describe('registry/keyDocs', () => {
  it('documents exactly the keys the parser knows', async () => {
    const { KEY_DOCS } = await import('../../../src/core/registry/keyDocs');
    const { COMMON_KEYS } = await import('../../../src/core/registry/schema');
    assert.deepEqual(Object.keys(KEY_DOCS).sort(), [...new Set(COMMON_KEYS)].sort());
  });
});
