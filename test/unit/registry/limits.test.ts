// Front matter that is huge, has very many keys, nests deeply or holds alias bombs: each ends
// quickly with one clear diagnostic (timings belong in benches; these assert completion).
import { strict as assert } from 'node:assert';
import { MAX_FRONT_MATTER_DEPTH, MAX_FRONT_MATTER_KEYS } from '../../../src/core/registry/limits';
import { parsePromptFile } from '../../../src/core/registry/parse';

const file = (yaml: string) => `---\n${yaml}\n---\nYou are terse.\n`;
const keys = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => `${prefix}${i}: v`).join('\n');

describe('registry/front-matter limits', () => {
  it('100,000 keys: one error on line 1 naming the size limit, no spec', () => {
    const r = parsePromptFile('p.prompt.md', file(keys(100_000)));
    assert.equal(r.spec, undefined);
    assert.equal(r.diagnostics.length, 1);
    assert.deepEqual([r.diagnostics[0]?.severity, r.diagnostics[0]?.line], ['error', 1]);
    assert.match(r.diagnostics[0]?.message ?? '', /Front matter is [\d,]+ KB; the limit is 64 KB/);
  });

  it('more keys than the limit within the size limit: one error on line 1 naming the key limit', () => {
    // 'aN: v' lines: 6,000 keys fit in 64 KB and are parsed (in linear time) before the count.
    const r = parsePromptFile('p.prompt.md', file(keys(6000, 'a')));
    assert.equal(r.spec, undefined);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.severity, d.line]),
      [['error', 1]],
    );
    assert.match(r.diagnostics[0]?.message ?? '', new RegExp(`more than ${MAX_FRONT_MATTER_KEYS.toLocaleString('en-US')} keys`));
    // Nested keys count too.
    const nested = parsePromptFile('p.prompt.md', file(`context:\n${keys(1200).replace(/^/gm, '  ')}`));
    assert.match(nested.diagnostics[0]?.message ?? '', /more than 1,000 keys/);
  });

  it('up to the key limit, every key is still validated on its own line', () => {
    const r = parsePromptFile('p.prompt.md', file(`id: x\n${keys(MAX_FRONT_MATTER_KEYS - 1)}`));
    assert.equal(r.diagnostics.filter((d) => d.severity === 'warning').length, MAX_FRONT_MATTER_KEYS - 1);
    assert.equal(r.diagnostics[5]?.line, 8);
    assert.ok(r.spec);
  });

  it('duplicate keys are found without the quadratic check, nested ones too; 1 and "1" differ', () => {
    const r = parsePromptFile('p.prompt.md', file('id: a\nmodel: m\nid: b\ncontext:\n  ttl: 5m\n  ttl: 1h\n  files: [a.md]\n1: x\n"1": y'));
    const dups = r.diagnostics.filter((d) => /Duplicate key/.test(d.message));
    assert.deepEqual(dups.map((d) => [d.severity, d.line, d.column]), [['error', 4, 1], ['error', 7, 3]]);
    assert.equal(r.spec, undefined);
  });

  it('deep nesting, flow or block, is one error on line 1; moderate nesting is fine', () => {
    for (const yaml of [`id: x\nctx: ${'['.repeat(10_000)}${']'.repeat(10_000)}`, `ctx:\n${'[\n'.repeat(20_000)}`, `ctx:\n${'- '.repeat(20_000)}x`, `id: x\nctx: ${'{a: '.repeat(5000)}1${'}'.repeat(5000)}`, Array.from({ length: 40 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' v']) {
      const r = parsePromptFile('p.prompt.md', file(yaml));
      assert.equal(r.diagnostics.length, 1, yaml.slice(0, 40));
      assert.deepEqual([r.diagnostics[0]?.severity, r.diagnostics[0]?.line], ['error', 1]);
      assert.match(r.diagnostics[0]?.message ?? '', new RegExp(`nests [\\d,]+ levels deep; the limit is ${MAX_FRONT_MATTER_DEPTH} levels`));
    }
    const ok = parsePromptFile('p.prompt.md', file('id: x\nstop_sequences: ["[[not nesting]]", \'{{also not}}\'] # [[[[ comment\ndescription: "a [ b { c"'));
    assert.deepEqual(ok.spec?.stop_sequences, ['[[not nesting]]', '{{also not}}']);
  });

  it('an alias bomb is never expanded: it ends at once with a diagnostic naming the alias', () => {
    let yaml = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 40; i++) yaml += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    yaml += 'context: *a39\nstop_sequences: *a39\nid: *a0';
    const r = parsePromptFile('p.prompt.md', file(yaml));
    assert.equal(r.spec, undefined);
    const aliasDiags = r.diagnostics.filter((d) => /alias \(\*a(39|0)\), which front matter does not expand/.test(d.message));
    assert.equal(aliasDiags.length, 3, JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error')));
  });
});
