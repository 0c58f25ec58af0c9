import { strict as assert } from 'node:assert';
import { jsonTooDeepAt, parseJsonLimited, valueTooDeep, yamlTooDeepAt } from '../../../src/shared/nesting';
import { parsePromptFile } from '../../../src/core/registry/parse';
import { parseToolsJson } from '../../../src/core/registry/tools';

const nest = (n: number) => '['.repeat(n) + ']'.repeat(n);

describe('shared/nesting', () => {
  it('JSON: finds the offset where nesting passes the limit; brackets inside strings do not count', () => {
    assert.equal(jsonTooDeepAt(nest(128)), -1);
    assert.equal(jsonTooDeepAt(nest(129)), 128);
    assert.equal(jsonTooDeepAt(nest(100_000)), 128);
    assert.equal(jsonTooDeepAt(JSON.stringify({ a: '[[[[[[', b: '\\"[[[[' }), 2), -1);
    assert.equal(jsonTooDeepAt('{"a":{"b":{}}}', 2), 10);
  });

  it('parseJsonLimited refuses deep text with a SyntaxError before JSON.parse', () => {
    assert.deepEqual(parseJsonLimited('[[1]]'), [[1]]);
    assert.throws(() => parseJsonLimited(nest(200)), (e: Error) => e instanceof SyntaxError && /nested more than 128 levels deep \(at position 128\)/.test(e.message));
  });

  it('values: depth and node count are bounded, cycles included, without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    assert.equal(valueTooDeep(deep), true);
    assert.equal(valueTooDeep({ a: [{ b: 1 }] }), false);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(valueTooDeep(cyclic), true);
  });

  it('YAML: flow brackets, block indentation and - markers all count; quotes and comments do not', () => {
    assert.equal(yamlTooDeepAt('id: x\ncontext:\n  files: [a, b]\n'), 0);
    assert.equal(yamlTooDeepAt(`id: ${nest(100_000)}`), 1);
    const block = Array.from({ length: 70 }, (_, i) => `${' '.repeat(i)}a:`).join('\n');
    assert.equal(yamlTooDeepAt(block), 65);
    assert.equal(yamlTooDeepAt(`x:\n${'- '.repeat(70)}y`), 2);
    assert.equal(yamlTooDeepAt(`x: "${'['.repeat(100)}" # ${'['.repeat(100)}`), 0);
  });

  it('a prompt file with absurd front-matter nesting is a diagnostic, and parsing it again still works', () => {
    // Regression: the yaml parser overflowed its stack here, and a second parse in the same
    // process crashed V8 (RegExpCompiler out of memory).
    for (let i = 0; i < 3; i++) {
      // A different text each time: parsePromptFile memoises by text, and each parse must run.
      const r = parsePromptFile('/ws/a.prompt.md', `---\nid${i}: ${nest(3000)}\n---\nBody\n`);
      assert.equal(r.spec, undefined);
      assert.deepEqual(r.diagnostics.map((d) => [d.line, d.message]), [[1, 'Front matter nests 3,001 levels deep; the limit is 32 levels.']]);
    }
  });

  it('a tools file with absurd nesting is one diagnostic on its line', () => {
    const r = parseToolsJson(`[\n{"name": "a", "input_schema": ${'{"x":'.repeat(500)}1${'}'.repeat(500)}}]`);
    assert.deepEqual(r.diagnostics.map((d) => [d.line, d.message]), [[2, 'The tools file nests more than 128 levels deep.']]);
  });
});
