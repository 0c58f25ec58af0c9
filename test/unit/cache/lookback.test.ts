import { strict as assert } from 'node:assert';
import { createCacheSimulator } from '../../../src/core/cache/simulator';
import type { ContentBlock, MessagesRequest } from '../../../src/shared/anthropic';
import { MIN, assistant, cc1h, cc5, lengthCounter, req, table, text, tool, user } from './fixtures';

const sim = () => createCacheSimulator({ models: table(), countTokens: () => lengthCounter });

/** A conversation: a 2000-token first user block, then `extra` single-block messages. */
function convo(extra: number, marker: 'auto' | 'last'): MessagesRequest {
  const msgs: MessagesRequest['messages'] = [user(text(2000, 'q'))];
  for (let i = 0; i < extra; i++) msgs.push(i % 2 === 0 ? assistant(text(10, String.fromCharCode(97 + (i % 26)))) : user(text(10, 'r')));
  if (marker === 'last') {
    const last = msgs[msgs.length - 1] as { content: ContentBlock[] };
    last.content = [{ ...(last.content[0] as ContentBlock), cache_control: cc5 } as ContentBlock];
  }
  return req([text(100)], msgs, marker === 'auto' ? { cache_control: cc5 } : {});
}

describe('cache simulator: 20-block look-back', () => {
  it('finds the previous entry 19 blocks back (the breakpoint itself counts as the first)', () => {
    const s = sim();
    s.commit(convo(0, 'last'), 0); // entry at block 1
    const out = s.predict(convo(19, 'last'), MIN); // breakpoint at block 20: window 1..20
    assert.equal(out.usage.cache_read_input_tokens, 2107);
    assert.equal(out.breakpoints[0]?.hitBlockIndex, 1);
  });

  it('misses once a turn adds 20 blocks, and notes the entry beyond the look-back', () => {
    const s = sim();
    s.commit(convo(0, 'last'), 0);
    const out = s.predict(convo(20, 'last'), MIN); // breakpoint at block 21: window 2..21
    assert.equal(out.usage.cache_read_input_tokens, 0);
    assert.deepEqual(out.notes, [{ kind: 'beyond-lookback', blockIndex: 1, prefixTokens: 2107, nearestBreakpoint: 21 }]);
  });

  it('a second breakpoint nearer the previous write restores the hit', () => {
    const s = sim();
    s.commit(convo(0, 'last'), 0);
    const r = convo(25, 'last');
    const first = r.messages[0]?.content as ContentBlock[];
    r.messages[0] = { role: 'user', content: [{ ...(first[0] as ContentBlock), cache_control: cc5 } as ContentBlock] };
    assert.equal(s.predict(r, MIN).usage.cache_read_input_tokens, 2107);
  });
});

describe('cache simulator: automatic caching (top-level cache_control)', () => {
  it('places one breakpoint on the last block and moves it forward as the conversation grows', () => {
    const s = sim();
    const a = s.commit(convo(0, 'auto'), 0);
    assert.deepEqual(a.breakpoints, [{ blockIndex: 1, ttl: '5m', prefixTokens: 2107, automatic: true, result: 'write' }]);
    const b = s.commit(convo(2, 'auto'), MIN);
    assert.equal(b.usage.cache_read_input_tokens, 2107);
    assert.equal(b.usage.cache_creation_input_tokens, 34);
  });

  it('walks back over a trailing empty text block and thinking blocks', () => {
    const r = req([text(100)], [user(text(2000)), assistant({ type: 'thinking', thinking: 'hmm', signature: 's' }, text(0))], { cache_control: cc1h });
    const out = sim().predict(r, 0);
    assert.deepEqual(out.breakpoints.map((b) => [b.blockIndex, b.ttl]), [[1, '1h']]);
    assert.equal(out.usage.cache_creation?.ephemeral_1h_input_tokens, 2107);
  });

  it('is a no-op when the last block already carries the same TTL (one breakpoint, not two)', () => {
    const r = req([text(100)], [user(text(2000, 'x', { cache_control: cc5 }))], { cache_control: cc5 });
    assert.equal(sim().predict(r, 0).breakpoints.length, 1);
  });
});

describe('cache simulator: what invalidates what (spec §1.6)', () => {
  const base = (extra: Partial<MessagesRequest> = {}, toolName = 'search') =>
    req([text(2000, 's', { cache_control: cc5 })], [user(text(1500, 'u', { cache_control: cc5 }))], { tools: [tool(toolName, { cache_control: cc5 })], ...extra });
  // Tool-use overhead 354 (Sonnet 5, tool_choice auto; 474 for any) + tools 10: system bp at 2364; message bp at 3871.
  const readAfter = (change: Partial<MessagesRequest>, toolName?: string) => {
    const s = sim();
    s.commit(base({ tool_choice: { type: 'auto' } }), 0);
    return s.predict(base({ tool_choice: { type: 'auto' }, ...change }, toolName), MIN).usage.cache_read_input_tokens;
  };

  it('nothing changed: everything is read', () => assert.equal(readAfter({}), 3871));
  it('tool_choice changed: tools and system kept, messages rewritten (the read prefix carries the any/tool overhead)', () =>
    assert.equal(readAfter({ tool_choice: { type: 'any' } }), 474 + 2010));
  it('disable_parallel_tool_use changed: same as tool_choice', () =>
    assert.equal(readAfter({ tool_choice: { type: 'auto', disable_parallel_tool_use: true } }), 2364));
  it('thinking changed: messages rewritten', () => assert.equal(readAfter({ thinking: { type: 'enabled', budget_tokens: 2048 } }), 2364));
  it('speed changed: only the tools cache survives (below the minimum here: nothing read)', () => assert.equal(readAfter({ speed: 'fast' }), 0));
  it('tool definitions changed: everything misses', () => assert.equal(readAfter({}, 'lookup'), 0));
  it('model changed: everything misses', () => assert.equal(readAfter({ model: 'claude-opus-5' }), 0));
  it('an image added anywhere: messages rewritten', () => {
    const s = sim();
    s.commit(base(), 0);
    const img: ContentBlock = { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } };
    const r = req([text(2000, 's', { cache_control: cc5 })], [user(text(1500, 'u', { cache_control: cc5 })), assistant(text(5)), user(img)], { tools: [tool('search', { cache_control: cc5 })] });
    assert.equal(s.predict(r, MIN).usage.cache_read_input_tokens, 2364);
  });
  it('message boundaries are part of the key: one message of two blocks is not two messages', () => {
    const s = sim();
    s.commit(req([text(100)], [user(text(1500, 'a'), text(10, 'b', { cache_control: cc5 }))]), 0);
    const split = req([text(100)], [user(text(1500, 'a')), assistant(text(10, 'b', { cache_control: cc5 }))]);
    assert.equal(s.predict(split, MIN).usage.cache_read_input_tokens, 0);
  });
});

describe('cache simulator: consistency with flattenRequest', () => {
  it('uses the same block indices and the same total as estimateRequestTokens', async () => {
    const { flattenRequest, estimateRequestTokens } = await import('../../support/referenceWalker');
    const r = req([text(300, 's')], [user(text(40, 'a'), text(5, 'b')), assistant(text(7, 'c')), user(text(9, 'd', { cache_control: cc5 }))], { tools: [tool('t')] });
    const flat = flattenRequest(r, lengthCounter);
    const out = sim().predict(r, 0);
    assert.equal(out.breakpoints[0]?.blockIndex, flat.findIndex((b) => b.cacheControl));
    // Plus the tool-use system prompt (354 for Sonnet 5, spec §3.2), which has no block of its own.
    assert.equal(out.totalInputTokens, estimateRequestTokens(r, flat) + 354);
  });
});
