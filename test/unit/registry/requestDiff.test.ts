import { strict as assert } from 'node:assert';
import type { MessagesRequest } from '../../../src/shared/anthropic';
import { createModelTable } from '../../../src/core/models/table';
import { describeRequestDiff, stableBlocks, type PreviousRequest } from '../../../src/core/registry/requestDiff';
import { promptVersion, requestShape } from '../../../src/core/session/shape';

const model = createModelTable().resolve('claude-sonnet-5');
const doc = (path: string, text: string) => `<document source="${path}">\n${text}\n</document>`;

function request(o: { body?: string; b?: string; docs?: number; user?: string; model?: string } = {}): MessagesRequest {
  const docs = [doc('docs/a.md', 'Refunds take five days. '.repeat(50)), doc('docs/b.md', o.b ?? 'Shipping is free over $50. '.repeat(50)), doc('docs/c.md', 'Returns within 30 days.')].slice(0, o.docs ?? 3);
  return {
    model: o.model ?? 'claude-sonnet-5',
    max_tokens: 100,
    tools: [{ name: 'lookup_order', description: 'Find an order by id', input_schema: { type: 'object' } }],
    system: [
      { type: 'text', text: o.body ?? 'You are the support agent. '.repeat(80), cache_control: { type: 'ephemeral', ttl: '1h' } },
      ...docs.map((text, i) => ({ type: 'text' as const, text, ...(i === docs.length - 1 ? { cache_control: { type: 'ephemeral' as const } } : {}) })),
    ],
    messages: [{ role: 'user', content: o.user ?? 'Where is my order?' }],
  };
}

function previous(r: MessagesRequest, atMs = 1_000_000): PreviousRequest {
  return { atMs, model: r.model, turn: 3, shape: requestShape(r, model), version: promptVersion(r) };
}

const LINES = { tools: 4, context: 5, body: 12 };
const NOW = 1_000_000 + 60_000;

describe('registry/requestDiff (Show Request Plan against the previous request)', () => {
  it('computes the same prefix hashes as the recorded shape, whatever the conversation', () => {
    const r = request();
    const recorded = requestShape(request({ user: 'a different turn' }), model).blocks.filter((b) => b.tier !== 'conversation');
    assert.deepEqual(stableBlocks(r).map((b) => b.prefixHash), recorded.map((b) => b.prefixHash));
    assert.deepEqual(stableBlocks(r).map((b) => b.tier), ['tools', 'system', 'context', 'context', 'context']);
  });

  it('an edited context document: it is the first block that differs, the read ends after the instructions', () => {
    const out = describeRequestDiff(request({ b: 'Shipping costs $5 on every order. '.repeat(50) }), previous(request()), LINES, NOW).join('\n');
    assert.match(out, /- tools \(line 4 of the file\): unchanged \(1 block\)\./);
    assert.match(out, /- system instructions \(line 12 of the file\): unchanged/);
    assert.match(out, /- context documents \(line 5 of the file\): text changed\./);
    assert.match(out, /context document docs\/b\.md \(line 5 of the file\) is the first block that differs; it now begins "Shipping costs \$5 on every order\./);
    assert.match(out, /The breakpoint after the context documents stops matching/);
    const tokens = requestShape(request(), model).blocks.slice(0, 2).reduce((s, b) => s + b.tokens, 0);
    assert.match(out, new RegExp(`The cache read ends at the breakpoint after the system instructions \\(line 12 of the file\\): ≈${tokens.toLocaleString('en-US')} tokens are read`));
  });

  it('an edited body: no breakpoint before it matches; a removed document is named with its tokens', () => {
    const out = describeRequestDiff(request({ body: 'You are a billing agent.', docs: 2 }), previous(request()), LINES, NOW).join('\n');
    assert.match(out, /the instructions \(prompt body\) \(line 12 of the file\) is the first block that differs; it now begins "You are a billing agent\."/);
    assert.match(out, /context documents \(line 5 of the file\): 1 block\(s\) removed \(≈\d+ tokens; their text is not kept\)/);
    assert.match(out, /No breakpoint before it matches: the whole prefix is written again\./);
  });

  it('an added document, an unchanged prompt, a model change, no history, an expired TTL', () => {
    assert.match(describeRequestDiff(request(), previous(request({ docs: 2 })), LINES, NOW).join('\n'), /1 block\(s\) added: context document docs\/c\.md \("Returns within 30 days\."\)/);
    assert.match(describeRequestDiff(request({ user: 'next turn' }), previous(request()), LINES, NOW).join('\n'), /Every cached block matches the previous request/);
    assert.match(describeRequestDiff(request({ model: 'claude-haiku-4-5' }), previous(request()), LINES, NOW).join('\n'), /The model changed \(claude-sonnet-5 → claude-haiku-4-5\)/);
    assert.match(describeRequestDiff(request(), undefined, LINES, NOW)[0] ?? '', /No previous request/);
    assert.match(describeRequestDiff(request(), previous(request()), LINES, 1_000_000 + 2 * 3_600_000).join('\n'), /more than 1h ago \(its TTL\)/);
  });
});
