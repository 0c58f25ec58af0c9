import { strict as assert } from 'node:assert';
import { parsePromptFile } from '../../../src/core/registry/parse';
import type { Diagnostic } from '../../../src/core/registry/types';

const at = (diags: Diagnostic[], line: number) => diags.filter((d) => d.line === line);

describe('parsePromptFile: markdown', () => {
  it('reads every key and the body with its start line', () => {
    const text = '---\nid: support\nmodel: claude-sonnet-5\nttl: 1h\ntools: tools/a.json\ncontext:\n  ttl: 5m\n  files: [docs/faq.md, "docs/p/*.md"]\nmax_tokens: 512\ntemperature: 0.2\nstop_sequences: ["END"]\n---\n\nYou are helpful.\n\n';
    const r = parsePromptFile('/w/x.prompt.md', text);
    // API 2026-10-21 rejects sampling parameters: kept for information, flagged on their line.
    assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.line, d.key]), [['warning', 10, 'temperature']]);
    assert.match(r.diagnostics[0]?.message ?? '', /not sent: API version 2026-10-21.*Remove the key/);
    const s = r.spec!;
    assert.equal(s.id, 'support');
    assert.equal(s.ttl, '1h');
    assert.equal(s.ttlExplicit, true);
    assert.deepEqual(s.context, {
      files: ['docs/faq.md', 'docs/p/*.md'], fileLines: [8, 8], ttl: '5m', ttlExplicit: true,
      // Each entry's exact span, so a missing-file diagnostic underlines just that entry.
      fileSpans: [{ line: 8, column: 11, endColumn: 22 }, { line: 8, column: 24, endColumn: 37 }],
    });
    assert.equal(s.body, 'You are helpful.');
    assert.equal(s.bodyStartLine, 14);
    assert.deepEqual([s.max_tokens, s.temperature, s.stop_sequences], [512, 0.2, ['END']]);
    assert.equal(s.keyLines.tools, 5);
    assert.match(s.contentHash, /^[0-9a-f]{16}$/);
  });

  it('puts each mistake on its exact line and returns no spec', () => {
    const text = '---\nid: a\nmodle: x\nttl: 10m\nmax_tokens: "lots"\ncontext:\n  files:\n    - docs/a.md\n    - 3\nid: b\n---\nBody\n';
    const r = parsePromptFile('p.prompt.md', text);
    assert.equal(r.spec, undefined);
    assert.match(at(r.diagnostics, 3)[0]?.message ?? '', /Unknown key 'modle'.*Did you mean 'model'/);
    assert.equal(at(r.diagnostics, 3)[0]?.severity, 'warning');
    assert.match(at(r.diagnostics, 4)[0]?.message ?? '', /'ttl' must be 5m or 1h.*"10m"/);
    assert.match(at(r.diagnostics, 5)[0]?.message ?? '', /'max_tokens' must be an integer ≥ 1, got "lots"/);
    assert.match(at(r.diagnostics, 9)[0]?.message ?? '', /'context.files' entries must be non-empty strings, got 3/);
    assert.match(at(r.diagnostics, 10)[0]?.message ?? '', /Duplicate key/);
  });

  it('invalid YAML, unclosed front matter and empty body are diagnostics, never throws', () => {
    const bad = parsePromptFile('p.md', '---\nid: [a, b\nttl: 5m\n---\nBody');
    assert.equal(bad.spec, undefined);
    assert.ok(bad.diagnostics.some((d) => d.severity === 'error' && /Invalid YAML/.test(d.message)));
    const open = parsePromptFile('p.md', '---\nid: a\nBody without a fence\n');
    assert.deepEqual(open.diagnostics.map((d) => [d.line, d.severity]), [[1, 'error']]);
    assert.match(open.diagnostics[0]?.message ?? '', /never closed/);
    const empty = parsePromptFile('p.md', '---\nid: a\n---\n\n   \n');
    assert.deepEqual(empty.diagnostics.map((d) => [d.line, d.severity]), [[3, 'error']]);
    for (const t of ['', '---', '---\n---', ': : :', '\u0000\u0001', '---\n- a\n- b\n---\nx', '---\n*\n---\nx']) {
      assert.doesNotThrow(() => parsePromptFile('p.md', t));
    }
  });

  it('a non-mapping front matter and wrong nested types are errors on their lines', () => {
    const r = parsePromptFile('p.md', '---\n- a\n---\nx');
    assert.equal(at(r.diagnostics, 2)[0]?.severity, 'error');
    const c = parsePromptFile('p.md', '---\ncontext:\n  ttl: 2h\n  file: [a]\n---\nx');
    assert.match(at(c.diagnostics, 3)[0]?.message ?? '', /'context.ttl' must be 5m or 1h/);
    assert.match(at(c.diagnostics, 4)[0]?.message ?? '', /Unknown key 'context.file'.*Did you mean 'files'/);
    assert.match(at(c.diagnostics, 2)[0]?.message ?? '', /'context' needs 'files'/);
  });

  it('no front matter: whole file is the body, id from the file name, 5m default', () => {
    const r = parsePromptFile('/w/.prompts/triage.prompt.md', 'Classify.\n');
    assert.equal(r.spec?.id, 'triage');
    assert.equal(r.spec?.ttl, '5m');
    assert.equal(r.spec?.ttlExplicit, false);
    assert.equal(r.diagnostics[0]?.severity, 'info');
  });

  it('context shorthand list takes the tier-1 TTL, and CRLF files keep line numbers', () => {
    const r = parsePromptFile('p.md', '---\r\nttl: 1h\r\ncontext: [a.md]\r\n---\r\nBody\r\n');
    assert.deepEqual(r.spec?.context, { files: ['a.md'], fileLines: [3], fileSpans: [{ line: 3, column: 11, endColumn: 15 }], ttl: '1h', ttlExplicit: false });
    assert.equal(r.spec?.bodyStartLine, 5);
    assert.equal(r.spec?.body, 'Body');
  });
});

describe('parsePromptFile: prompty', () => {
  const text = [
    '---', 'name: Basic', 'model:', '  api: chat', '  configuration:', '    type: openai', '    name: claude-sonnet-5',
    '  parameters:', '    max_tokens: 300', '    stop: ["<end/>"]', '    frequency_penalty: 0.5', 'sample:', '  x: 1', 'ttl: 1h', '---',
    'system:', 'You are {{name}}.', '', 'user:', '{{question}}', '',
  ].join('\n');

  it('maps configuration and parameters; system: section is the body', () => {
    const r = parsePromptFile('/w/basic.prompty', text);
    assert.equal(r.spec?.format, 'prompty');
    assert.equal(r.spec?.model, 'claude-sonnet-5');
    assert.equal(r.spec?.max_tokens, 300);
    assert.deepEqual(r.spec?.stop_sequences, ['<end/>']);
    assert.equal(r.spec?.ttl, '1h');
    // Rendered as Jinja2 with `sample:` (which has no `name`): what is counted is what is sent.
    assert.equal(r.spec?.body, 'You are .');
    assert.equal(r.spec?.template?.source, 'You are {{name}}.');
    assert.equal(r.spec?.bodyStartLine, 17);
    assert.match(at(r.diagnostics, 11)[0]?.message ?? '', /frequency_penalty' has no equivalent/);
    assert.match(at(r.diagnostics, 19)[0]?.message ?? '', /'user:' section/);
    assert.deepEqual(at(r.diagnostics, 17).map((d) => [d.code, d.column, d.endColumn]), [['template-unset-variable', 11, 15]]);
  });

  it('a non-Claude model is a warning and falls back to the default; no system section is an error', () => {
    const gpt = parsePromptFile('a.prompty', text.replace('claude-sonnet-5', 'gpt-4o'));
    assert.equal(gpt.spec?.model, undefined);
    assert.match(at(gpt.diagnostics, 7)[0]?.message ?? '', /not a Claude model/);
    const nosys = parsePromptFile('a.prompty', '---\nname: x\n---\nuser:\nhi\n');
    assert.equal(nosys.spec, undefined);
    assert.ok(nosys.diagnostics.some((d) => d.severity === 'error' && /No 'system:' section/.test(d.message)));
  });
});
