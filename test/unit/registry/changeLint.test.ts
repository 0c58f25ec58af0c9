import { strict as assert } from 'node:assert';
import type { MessagesRequest } from '../../../src/shared/anthropic';
import { createModelTable } from '../../../src/core/models/table';
import { changeOrderLint, contextEntrySpan, firstChanges, type LintBlock } from '../../../src/core/registry/changeLint';
import { requestShape } from '../../../src/core/session/shape';

const model = createModelTable().resolve('claude-sonnet-5');

function request(docs: Record<string, string>, body = 'You are the support agent.'): MessagesRequest {
  return {
    model: 'claude-sonnet-5',
    max_tokens: 100,
    system: [{ type: 'text', text: body }, ...Object.entries(docs).map(([path, text]) => ({ type: 'text' as const, text: `<document source="${path}">\n${text}\n</document>` }))],
    messages: [{ role: 'user', content: 'hi' }],
  };
}

const BLOCKS: LintBlock[] = [{ tier: 'system' }, { tier: 'context', path: 'docs/changelog.md' }, { tier: 'context', path: 'docs/faq.md' }, { tier: 'context', path: 'docs/policy.md' }];
const where = (path: string) => ({ 'docs/changelog.md': { line: 6, column: 12, endColumn: 29 } })[path];

function history(changelog: (i: number) => string, policy: (i: number) => string = () => 'Returns within 30 days.') {
  return Array.from({ length: 6 }, (_, i) => requestShape(request({ 'docs/changelog.md': changelog(i), 'docs/faq.md': 'Shipping is free. '.repeat(40), 'docs/policy.md': policy(i) }), model));
}

describe('registry/changeLint (context documents that change more often than those after them)', () => {
  it('counts the first block that differs between consecutive requests', () => {
    const { counts, pairs } = firstChanges(BLOCKS, history((i) => `v${i}`));
    assert.equal(pairs, 5);
    assert.deepEqual(counts, [0, 5, 0, 0]);
  });

  it('warns on the context entry of a document edited before stable ones, with how often each changed and what to move', () => {
    const [d, ...rest] = changeOrderLint(BLOCKS, history((i) => `v${Math.floor(i / 2)}`), where);
    assert.equal(rest.length, 0);
    assert.equal(d?.code, 'cache-lint/changing-context-first');
    assert.equal(d?.severity, 'warning');
    assert.deepEqual([d?.line, d?.column, d?.endColumn], [6, 12, 29]);
    assert.match(d?.message ?? '', /^docs\/changelog\.md changed 2 times over the last 6 requests of this prompt, more often than the documents after it \(docs\/faq\.md 0, docs\/policy\.md 0\)\. Each change rewrites the cache of everything after it \(≈[\d,]+ tokens\)\. List it last under context\.files/);
  });

  it('no warning: a changing document already last, a single change, a layout that differs, no history', () => {
    assert.deepEqual(changeOrderLint(BLOCKS, history(() => 'same', (i) => `v${i}`), where), []);
    assert.deepEqual(changeOrderLint(BLOCKS, history((i) => (i < 5 ? 'a' : 'b')), where), []);
    assert.deepEqual(changeOrderLint(BLOCKS.slice(0, 3), history((i) => `v${i}`), where), []);
    assert.deepEqual(changeOrderLint(BLOCKS, [], where), []);
  });

  it('the instructions changing never warn: they come before every context document by design', () => {
    const shapes = Array.from({ length: 5 }, (_, i) => requestShape(request({ 'docs/changelog.md': 'a', 'docs/faq.md': 'b', 'docs/policy.md': 'c' }, `Body ${i}`), model));
    assert.deepEqual(firstChanges(BLOCKS, shapes).counts, [4, 0, 0, 0]);
    assert.deepEqual(changeOrderLint(BLOCKS, shapes, where), []);
  });

  it('finds the context entry naming a document: its path, else its file name (a glob), else the context key', () => {
    const fm = ['---', 'id: x', 'context:', '  ttl: 5m', '  files: [../docs/changelog.md, "../docs/policies/*.md"]', 'model: claude-sonnet-5'];
    assert.deepEqual(contextEntrySpan(fm, 'docs/changelog.md'), { line: 5, column: 14, endColumn: 31 });
    assert.deepEqual(contextEntrySpan(['---', 'context:', '  files:', '    - docs/*.md', '    - notes/faq.md'], 'notes/faq.md'), { line: 5, column: 7, endColumn: 19 });
    assert.deepEqual(contextEntrySpan(fm, 'docs/policies/refunds.md'), { line: 3, column: 1 });
    assert.equal(contextEntrySpan(['---', 'id: x'], 'docs/a.md'), undefined);
  });
});
