// Prompty templates (Jinja2 by default, Mustache on request) and opt-in Markdown templates:
// rendered before counting or sending, errors on their line, nothing beyond template semantics.
import { strict as assert } from 'node:assert';
import { parsePromptFile } from '../../../src/core/registry/parse';
import { MAX_LOOP_ITEMS, renderTemplate } from '../../../src/core/registry/template';

const prompty = (fm: string, system: string) => `---\nname: t\n${fm}\n---\nsystem:\n${system}\n\nuser:\n{{question}}\n`;
const src = (text: string) => ({ text, startLine: 10 });

describe('templates: Prompty', () => {
  it('Jinja2 (the default) renders with sample: inputs, filters and loops, autoescape off', () => {
    const r = parsePromptFile('a.prompty', prompty('sample:\n  product: Acme & Co\n  items: [a, b]', 'Notes for {{ product | upper }} <b>\n{% for i in items %}- {{ i }}\n{% endfor %}'));
    assert.equal(r.spec?.body, 'Notes for ACME & CO <b>\n- a\n- b');
    assert.equal(r.spec?.template?.engine, 'jinja2');
    assert.deepEqual(r.spec?.template?.variables.map((v) => [v.name, v.line, v.column, v.endColumn]), [['product', 8, 14, 21], ['items', 9, 13, 18]]);
  });

  it('Mustache when template: mustache or {format: mustache}; no HTML escaping', () => {
    for (const t of ['template: mustache', 'template:\n  format: mustache\n  parser: prompty']) {
      const r = parsePromptFile('a.prompty', prompty(`${t}\nsample:\n  who: "Ann & <Bob>"`, 'Hello {{who}}{{#none}}x{{/none}}.'));
      assert.equal(r.spec?.body, 'Hello Ann & <Bob>.', t);
      assert.equal(r.spec?.template?.engine, 'mustache');
    }
  });

  it('inputs override the sample (the panel\'s typed values), and are part of the memo key', () => {
    const text = prompty('sample:\n  name: sample', 'Hi {{ name }}');
    assert.equal(parsePromptFile('a.prompty', text).spec?.body, 'Hi sample');
    assert.equal(parsePromptFile('a.prompty', text, { inputs: { name: 'typed' } }).spec?.body, 'Hi typed');
    assert.equal(parsePromptFile('a.prompty', text).spec?.body, 'Hi sample');
  });

  it("Prompty inputs: defaults fill in under the sample", () => {
    const r = parsePromptFile('a.prompty', prompty('inputs:\n  a:\n    type: string\n    default: A\n  b:\n    default: B\nsample:\n  b: sampled', '{{ a }} {{ b }}'));
    assert.equal(r.spec?.body, 'A sampled');
  });

  it('a template that does not render is a template-error on its line (syntax, unknown filter, unclosed section)', () => {
    const bad = (fm: string, sys: string) => parsePromptFile('a.prompty', prompty(fm, sys)).diagnostics.filter((d) => d.code === 'template-error');
    assert.deepEqual(bad('', 'ok\n{% if %}').map((d) => [d.line, d.column]), [[7, 7]]);
    assert.deepEqual(bad('', 'ok\n{{ x | nosuch }}').map((d) => [d.line, d.column, d.endColumn]), [[7, 8, 14]]);
    assert.deepEqual(bad('template: mustache', 'ok\n{{#list}} never closed').map((d) => d.line), [7]);
    assert.equal(parsePromptFile('a.prompty', prompty('', '{% if %}')).spec, undefined);
  });

  it('an unknown template engine is an error with fixes', () => {
    const d = parsePromptFile('a.prompty', prompty('template: handlebars', 'x')).diagnostics.find((x) => x.code === 'bad-template');
    assert.deepEqual(d?.fixes?.map((f) => f.replacement), ['jinja2', 'mustache']);
  });
});

describe('templates: Markdown opts in; literal by default', () => {
  it('a {{ in an ordinary Markdown prompt is literal and breaks nothing', () => {
    const r = parsePromptFile('a.prompt.md', '---\nid: a\n---\nUse {{braces}} and {% literally %}.');
    assert.equal(r.spec?.body, 'Use {{braces}} and {% literally %}.');
    assert.equal(r.spec?.template, undefined);
    assert.deepEqual(r.diagnostics, []);
  });

  it('template: jinja2 or mustache renders the body with sample', () => {
    assert.equal(parsePromptFile('a.prompt.md', '---\ntemplate: jinja2\nsample: {x: 1}\n---\nx={{ x }}').spec?.body, 'x=1');
    assert.equal(parsePromptFile('a.prompt.md', '---\ntemplate: mustache\nsample: {x: 2}\n---\nx={{x}}').spec?.body, 'x=2');
    const unset = parsePromptFile('a.prompt.md', '---\ntemplate: jinja2\n---\nx={{ y }}');
    assert.deepEqual(unset.diagnostics.map((d) => [d.code, d.line, d.column]), [['template-unset-variable', 4, 6]]);
  });
});

describe('templates: only template semantics run, bounded', () => {
  it('refuses prototype walks (the nunjucks escape to Function), computed keys and loaders', () => {
    for (const t of ['{{ range.constructor("return process")() }}', '{{ x["__proto__"] }}', '{{ x[a ~ "b"] }}', '{% include "secret.txt" %}', '{% import "m.njk" as m %}', '{{ constructor }}']) {
      const r = renderTemplate('jinja2', src(t), { x: {}, a: 'c' });
      assert.equal(r.text, undefined, t);
      assert.equal(r.diagnostics[0]?.code, 'template-error', t);
    }
    for (const t of ['{{constructor.name}}', '{{#__proto__}}x{{/__proto__}}', '{{> partial}}']) {
      assert.equal(renderTemplate('mustache', src(t), {}).text, undefined, t);
    }
  });

  it('bounds loops (range budget across nested loops), output size and recursion', () => {
    const loops = renderTemplate('jinja2', src('{% for i in range(1000) %}{% for j in range(1000) %}x{% endfor %}{% endfor %}'), {});
    assert.match(loops.diagnostics[0]?.message ?? '', new RegExp(`more than ${MAX_LOOP_ITEMS.toLocaleString('en-US')} items`));
    const big = renderTemplate('jinja2', src('{{ "x" | center(5000000) }}'), {});
    assert.match(big.diagnostics[0]?.message ?? '', /renders to more than/);
    const deep = renderTemplate('jinja2', src('{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}'), {});
    assert.equal(deep.text, undefined);
    assert.equal(deep.diagnostics[0]?.code, 'template-error');
  });
});

describe('templates: bad inputs', () => {
  it('aliases in sample: are refused with a clear message (no alias-bomb expansion)', () => {
    const bomb = '---\nsample:\n  a: &a [x, x, x]\n  b: [*a, *a, *a]\n---\nsystem:\n{{ b }}\n';
    const r = parsePromptFile('a.prompty', bomb);
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.line]), [['bad-type', 3]]);
    assert.match(r.diagnostics[0]?.message ?? '', /aliases/);
  });

  it('inputs with a cycle are rendered without memoising, never thrown', () => {
    const cyc: Record<string, unknown> = { name: 'x' };
    cyc.self = cyc;
    assert.equal(parsePromptFile('a.prompty', '---\n---\nsystem:\nHi {{ name }}\n', { inputs: cyc }).spec?.body, 'Hi x');
  });
});
