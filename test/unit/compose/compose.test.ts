import { strict as assert } from 'node:assert';
import { composeRequest, contextBlockText, DEFAULT_MAX_TOKENS } from '../../../src/core/compose/compose';
import type { PromptSpec } from '../../../src/core/registry/types';

const spec: PromptSpec = { id: 'a', path: '.prompts/a.md', format: 'markdown', ttl: '1h', ttlExplicit: true, body: 'Be brief.', bodyStartLine: 7, contentHash: '0', keyLines: {} };

describe('composeRequest', () => {
  it('orders tools → instructions → context documents → messages, with sources; never sends temperature', () => {
    const c = composeRequest({
      spec: { ...spec, temperature: 0.5 },
      model: 'claude-sonnet-5',
      tools: [{ name: 't', input_schema: { type: 'object', properties: { b: {}, a: {} } }, description: 'd' }],
      context: [{ path: 'docs/faq.md', text: 'FAQ' }],
      messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 'x', name: 't', input: { z: 1, a: { y: 2, b: 3 } } }] }],
    });
    assert.equal(JSON.stringify(c.request), JSON.stringify({
      model: 'claude-sonnet-5', max_tokens: DEFAULT_MAX_TOKENS,
      tools: [{ description: 'd', input_schema: { properties: { a: {}, b: {} }, type: 'object' }, name: 't' }],
      system: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: '<document source="docs/faq.md">\nFAQ\n</document>' }],
      messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 'x', name: 't', input: { a: { b: 3, y: 2 }, z: 1 } }] }],
    }));
    assert.equal(c.instructionBlocks, 1);
    assert.equal(c.contextBlocks, 1);
    assert.deepEqual(c.systemSources, [{ file: '.prompts/a.md', line: 7 }, { file: 'docs/faq.md', line: 1 }]);
  });

  it('maxTokens overrides the spec; no tools key without tools; headers escape quotes', () => {
    const c = composeRequest({ spec: { ...spec, max_tokens: 99 }, model: 'm', messages: [], maxTokens: 0 });
    assert.equal(c.request.max_tokens, 0);
    assert.equal('tools' in c.request, false);
    assert.equal(contextBlockText({ path: 'a"b.md', text: '' }), '<document source="a&quot;b.md">\n\n</document>');
  });
});
