import { strict as assert } from 'node:assert';
import { validateCacheControl } from '../../../src/core/cache/validate';
import { assistant, cc1h, cc5, req, text, tool, user } from './fixtures';

describe('validateCacheControl: the 400s', () => {
  it('accepts a valid 4-breakpoint plan (1h before 5m)', () => {
    const r = req([text(10, 'a', { cache_control: cc1h }), text(10, 'b', { cache_control: cc1h })], [user(text(5, 'u', { cache_control: cc5 }))], {
      tools: [tool('t', { cache_control: cc1h })],
    });
    assert.equal(validateCacheControl(r), null);
  });

  it('more than 4 explicit breakpoints', () => {
    const r = req([1, 2, 3, 4, 5].map((i) => text(i, 'a', { cache_control: cc5 })), [user(text(5))]);
    assert.equal(validateCacheControl(r), 'A maximum of 4 blocks with cache_control may be provided. Found 5.');
  });

  it('4 explicit breakpoints plus top-level cache_control counts 5', () => {
    const r = req([1, 2, 3, 4].map((i) => text(i, 'a', { cache_control: cc5 })), [user(text(5))], { cache_control: cc5 });
    assert.equal(validateCacheControl(r), 'A maximum of 4 blocks with cache_control may be provided. Found 5.');
  });

  it('cache_control on an empty text block names its path', () => {
    const r = req([text(10)], [user(text(5)), assistant(text(3)), user(text(4), text(0, 'x', { cache_control: cc5 }))]);
    assert.equal(validateCacheControl(r), 'messages.2.content.1.text: cache_control cannot be set for empty text blocks');
    assert.equal(validateCacheControl(req([text(0, 'x', { cache_control: cc5 })], [user(text(1))])), 'system.0.text: cache_control cannot be set for empty text blocks');
  });

  it('cache_control on a thinking block', () => {
    const thinking = { type: 'thinking', thinking: 'hm', signature: 's', cache_control: cc5 } as unknown as never;
    const r = req([text(10)], [user(text(5)), assistant(thinking, text(3))]);
    assert.equal(validateCacheControl(r), 'messages.1.content.0.thinking.cache_control: Extra inputs are not permitted');
  });

  it('a 1h breakpoint after a 5m one (API behaviour unconfirmed: message says so)', () => {
    const r = req([text(10, 'a', { cache_control: cc5 }), text(10, 'b', { cache_control: cc1h })], [user(text(5))]);
    const msg = validateCacheControl(r) ?? '';
    assert.match(msg, /ttl '1h' at system\.1 comes after a ttl '5m' breakpoint at system\.0/);
    assert.match(msg, /unconfirmed/);
  });

  it('top-level 1h after an explicit 5m breakpoint is the same ordering error', () => {
    const r = req([text(10, 'a', { cache_control: cc5 })], [user(text(5))], { cache_control: cc1h });
    assert.match(validateCacheControl(r) ?? '', /ttl '1h' at messages\.0\.content\.0 comes after a ttl '5m' breakpoint at system\.0/);
  });

  it('top-level cache_control with a different TTL than the last block', () => {
    const r = req([text(10)], [user(text(5, 'u', { cache_control: cc5 }))], { cache_control: cc1h });
    assert.match(validateCacheControl(r) ?? '', /^Top-level cache_control \(ttl 1h\) conflicts with the cache_control on the last cacheable block messages\.0\.content\.0 \(ttl 5m\)/);
  });

  it('top-level cache_control with the same TTL as the last block is fine (a no-op)', () => {
    assert.equal(validateCacheControl(req([text(10)], [user(text(5, 'u', { cache_control: cc5 }))], { cache_control: cc5 })), null);
  });
});

describe('validateCacheControl: automatic caching with string message content (§1.2)', () => {
  const s = (role: 'user' | 'assistant', content: string) => ({ role, content });

  it('the automatic breakpoint goes on a trailing string message, not an earlier marked block', () => {
    // Real last block is messages.2.content.0 ("next"): top-level 5m lands there, after the 1h entry.
    const r = req([], [user(text(1, 'a', { cache_control: cc1h })), s('assistant', 'ok'), s('user', 'next')], { cache_control: cc5 });
    assert.equal(validateCacheControl(r), null);
  });

  it('a 1h system breakpoint plus top-level 5m with a string user turn is valid', () => {
    const r = req([text(10, 'a', { cache_control: cc1h })], [s('user', 'hello')], { cache_control: cc5 });
    assert.equal(validateCacheControl(r), null);
  });

  it('a 5m system breakpoint plus top-level 1h with a string user turn: no TTL conflict, only the 1h-after-5m order', () => {
    const r = req([text(10, 'a', { cache_control: cc5 })], [s('user', 'hello')], { cache_control: cc1h });
    const msg = validateCacheControl(r) ?? '';
    assert.doesNotMatch(msg, /conflicts/);
    assert.match(msg, /ttl '1h' at messages\.0\.content\.0 comes after a ttl '5m' breakpoint at system\.0/);
  });

  it('a string system prompt is a block too: top-level cache_control is fine with only a string system and string messages', () => {
    const r: Parameters<typeof validateCacheControl>[0] = { model: 'claude-sonnet-5', max_tokens: 10, system: 'sys', messages: [s('user', 'hi')], cache_control: cc1h };
    assert.equal(validateCacheControl(r), null);
  });
});
