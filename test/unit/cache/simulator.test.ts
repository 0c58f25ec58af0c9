import { strict as assert } from 'node:assert';
import { CacheControlError, createCacheSimulator } from '../../../src/core/cache/simulator';
import { MIN, assistant, cc1h, cc5, lengthCounter, req, table, text, user } from './fixtures';

const sim = () => createCacheSimulator({ models: table(), countTokens: () => lengthCounter });
const sys2000 = () => [text(2000, 's', { cache_control: cc5 })];

describe('cache simulator: writes, reads and usage', () => {
  it('writes the prefix at a breakpoint and reports the rest as input (input = total - read - writes)', () => {
    const s = sim();
    const out = s.commit(req(sys2000(), [user(text(50))]), 0);
    assert.deepEqual(out.usage, {
      input_tokens: 57,
      cache_creation_input_tokens: 2000,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 2000, ephemeral_1h_input_tokens: 0 },
      output_tokens: 0,
    });
    assert.equal(out.totalInputTokens, 2057);
    assert.equal(out.breakpoints[0]?.result, 'write');
  });

  it('reads the same prefix on the next request and writes nothing', () => {
    const s = sim();
    s.commit(req(sys2000(), [user(text(50))]), 0);
    const out = s.commit(req(sys2000(), [user(text(80, 'y'))]), MIN);
    assert.equal(out.usage.cache_read_input_tokens, 2000);
    assert.equal(out.usage.cache_creation_input_tokens, 0);
    assert.equal(out.usage.input_tokens, 87);
    assert.equal(out.readUpToBlock, 1);
    assert.equal(out.breakpoints[0]?.result, 'hit');
  });

  it('does not cache below the model minimum: no write, no error, 0/0', () => {
    const s = sim();
    const r = req([text(1023, 's', { cache_control: cc5 })], [user(text(10))]);
    const out = s.commit(r, 0);
    assert.equal(out.usage.cache_creation_input_tokens, 0);
    assert.equal(out.usage.cache_read_input_tokens, 0);
    assert.equal(out.usage.input_tokens, 1040);
    assert.equal(out.breakpoints[0]?.result, 'below-minimum');
    assert.equal(s.commit(r, MIN).usage.cache_read_input_tokens, 0);
    // opus-5 has a 512 minimum: the same prompt is cached there.
    assert.equal(s.commit({ ...r, model: 'claude-opus-5' }, 0).usage.cache_creation_input_tokens, 1023);
  });

  it('bills mixed TTLs as A reads, B-A 1h writes, C-B 5m writes', () => {
    const s = sim();
    const first = (convCc: typeof cc5 | undefined) =>
      req([text(2000, 's', { cache_control: cc1h }), text(500, 'c', { cache_control: cc1h })], [user(text(1500, 'u', convCc ? { cache_control: convCc } : {}))]);
    const a = s.commit(first(cc5), 0);
    assert.deepEqual(a.usage.cache_creation, { ephemeral_5m_input_tokens: 1507, ephemeral_1h_input_tokens: 2500 });
    // Documents changed: the instructions are read (A = 2000), the new documents are a 1h write, the turn a 5m write.
    const b = s.commit(
      req([text(2000, 's', { cache_control: cc1h }), text(700, 'd', { cache_control: cc1h })], [user(text(1500, 'u', { cache_control: cc5 }))]),
      MIN,
    );
    assert.equal(b.usage.cache_read_input_tokens, 2000);
    assert.deepEqual(b.usage.cache_creation, { ephemeral_5m_input_tokens: 1507, ephemeral_1h_input_tokens: 700 });
    assert.equal(b.usage.cache_creation_input_tokens, 2207);
    assert.equal(b.usage.input_tokens, 0);
    assert.deepEqual(
      b.breakpoints.map((x) => x.result),
      ['hit', 'write', 'write'],
    );
  });

  it('keys entries per model (an alias shares its model entries; another model misses)', () => {
    const s = sim();
    s.commit(req(sys2000(), [user(text(5))]), 0);
    assert.equal(s.predict(req(sys2000(), [user(text(5))], { model: 'sonnet-5-alias' }), 1).usage.cache_read_input_tokens, 2000);
    assert.equal(s.predict(req(sys2000(), [user(text(5))], { model: 'claude-opus-5' }), 1).usage.cache_read_input_tokens, 0);
  });

  it('predict never mutates; commit does; entries() lists live ones and clear() empties', () => {
    const s = sim();
    const r = req(sys2000(), [user(text(5))]);
    s.predict(r, 0);
    assert.equal(s.entries(0).length, 0);
    assert.equal(s.predict(r, 1).usage.cache_creation_input_tokens, 2000);
    s.commit(r, 0);
    assert.deepEqual(s.entries(1).map((e) => [e.blockIndex, e.prefixTokens, e.ttl, e.expiresAtMs, e.model]), [[0, 2000, '5m', 5 * MIN, 'claude-sonnet-5']]);
    assert.equal(s.entries(5 * MIN).length, 0);
    s.clear();
    assert.equal(s.predict(r, 1).usage.cache_read_input_tokens, 0);
  });

  it('throws CacheControlError with the API message for an invalid placement', () => {
    const r = req([text(10, 'a', { cache_control: cc5 }), text(10, 'b', { cache_control: cc5 }), text(10, 'c', { cache_control: cc5 })], [user(text(1, 'u', { cache_control: cc5 }))], { cache_control: cc5 });
    assert.throws(() => sim().predict(r, 0), (e: unknown) => e instanceof CacheControlError && e.message === 'A maximum of 4 blocks with cache_control may be provided. Found 5.');
  });
});

describe('cache simulator: TTL', () => {
  const r = () => req(sys2000(), [user(text(5))]);
  it('a 5m entry is gone exactly 5 minutes after the start of the request that wrote it', () => {
    const s = sim();
    s.commit(r(), 0);
    assert.equal(s.predict(r(), 5 * MIN - 1).usage.cache_read_input_tokens, 2000);
    const late = s.predict(r(), 5 * MIN);
    assert.equal(late.usage.cache_read_input_tokens, 0);
    assert.deepEqual(late.notes, [{ kind: 'expired', blockIndex: 0, ttl: '5m', expiredAtMs: 5 * MIN, prefixTokens: 2000 }]);
  });

  it('a hit refreshes the entry from the start of the hitting request', () => {
    const s = sim();
    s.commit(r(), 0);
    s.commit(r(), 4 * MIN);
    assert.equal(s.predict(r(), 8 * MIN).usage.cache_read_input_tokens, 2000);
    assert.equal(s.predict(r(), 9 * MIN).usage.cache_read_input_tokens, 0);
  });

  it('a 1h entry survives a 59-minute gap but not 61', () => {
    const s = sim();
    const one = () => req([text(2000, 's', { cache_control: cc1h })], [user(text(5))]);
    s.commit(one(), 0);
    assert.deepEqual(s.predict(one(), 0).usage.cache_creation, { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 });
    assert.equal(s.predict(one(), 59 * MIN).usage.cache_read_input_tokens, 2000);
    assert.equal(s.predict(one(), 61 * MIN).usage.cache_read_input_tokens, 0);
    assert.equal(s.predict(one(), 61 * MIN).usage.cache_creation?.ephemeral_1h_input_tokens, 2000);
  });
});

describe('cache simulator: concurrency', () => {
  it('an entry is readable only once the writing response has begun (availableAtMs)', () => {
    const s = sim();
    const r = req(sys2000(), [user(text(5))]);
    s.commit(r, 0, { availableAtMs: 3000 });
    const early = s.predict(r, 1000);
    assert.equal(early.usage.cache_read_input_tokens, 0);
    assert.equal(early.usage.cache_creation_input_tokens, 2000);
    assert.deepEqual(early.notes, [{ kind: 'pending', blockIndex: 0, availableAtMs: 3000, prefixTokens: 2000 }]);
    assert.equal(s.predict(r, 3000).usage.cache_read_input_tokens, 2000);
  });

  it('by default (sequential traffic) an entry is readable from the writing request on', () => {
    const s = sim();
    const r = req(sys2000(), [user(text(5))]);
    s.commit(r, 0);
    assert.equal(s.predict(r, 0).usage.cache_read_input_tokens, 2000);
  });
});

describe('cache simulator: conversation growth', () => {
  it('a final-block breakpoint reads the previous turn and writes the new blocks', () => {
    const s = sim();
    const t1 = [user(text(1000, 'a', { cache_control: cc5 }))];
    s.commit(req([text(500)], t1), 0);
    const t2 = [user(text(1000, 'a')), assistant(text(200, 'b')), user(text(300, 'c', { cache_control: cc5 }))];
    const out = s.commit(req([text(500)], t2), MIN);
    assert.equal(out.usage.cache_read_input_tokens, 1507);
    assert.equal(out.usage.cache_creation_input_tokens, 514);
    assert.equal(out.usage.input_tokens, 0);
    assert.equal(out.breakpoints[0]?.hitBlockIndex, 1);
  });
});

describe('cache simulator: automatic caching on string message content', () => {
  it('places the automatic breakpoint on the trailing string message and writes the whole prefix', () => {
    const s = sim();
    const r = req([text(2000, 's')], [user(text(10, 'u', { cache_control: cc1h })), { role: 'assistant', content: 'ok' }, { role: 'user', content: 'next' }], { cache_control: cc5 });
    const out = s.commit(r, 0);
    const auto = out.breakpoints.find((b) => b.automatic);
    assert.equal(auto?.blockIndex, 3);
    assert.equal(auto?.result, 'write');
    // 2000 + (10 + 7) = 2017 at 1h up to the marked user block; (2 + 7) + (4 + 7) = 20 more at 5m.
    assert.deepEqual(out.usage.cache_creation, { ephemeral_5m_input_tokens: 20, ephemeral_1h_input_tokens: 2017 });
  });
});

describe('cache simulator: byte-exact tool_use input (§1.4, §1.6)', () => {
  const call = (input: Record<string, unknown>) => ({ type: 'tool_use' as const, id: 'toolu_1', name: 'search', input });
  const turns = (input: Record<string, unknown>) => [user(text(10)), assistant(call(input)), user(text(5, 'r', { cache_control: cc5 }))];

  it('the same input with its keys in a different order is a different prefix: the messages entry misses', () => {
    const s = sim();
    s.commit(req(sys2000(), turns({ a: 1, b: 2 })), 0);
    const out = s.commit(req(sys2000(), turns({ b: 2, a: 1 })), MIN);
    assert.equal(out.usage.cache_read_input_tokens, 2000);
    // (10 + 7) + (10 + 7) + (5 + 7) written again after the system entry.
    assert.equal(out.usage.cache_creation_input_tokens, 46);
  });

  it('the same input in the same order still hits, whatever the order of the block fields', () => {
    const s = sim();
    s.commit(req(sys2000(), turns({ a: 1, b: 2 })), 0);
    const reordered = { input: { a: 1, b: 2 }, name: 'search', id: 'toolu_1', type: 'tool_use' as const };
    const out = s.commit(req(sys2000(), [user(text(10)), assistant(reordered), user(text(5, 'r', { cache_control: cc5 }))]), MIN);
    assert.equal(out.usage.cache_read_input_tokens, 2046);
  });
});

describe('cache simulator: images added or removed invalidate the messages cache (§1.6)', () => {
  const image = { type: 'image' as const, source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } } as unknown as never;
  // messages.0 = [text(10), image] carries the rolling breakpoint of the first request.
  const first = (n = 1) => [user(text(10), ...Array.from({ length: n }, () => image), text(1, 'm', { cache_control: cc5 }))];

  it('one image -> two (a new image in a later turn): the messages entry is not read', () => {
    const s = sim();
    s.commit(req(sys2000(), first()), 0);
    const out = s.commit(req(sys2000(), [...first(), assistant(text(3)), user(image, text(2, 'q', { cache_control: cc5 }))]), MIN);
    assert.equal(out.usage.cache_read_input_tokens, 2000);
  });

  it('two images -> one (the later one removed): the messages entry is not read', () => {
    const s = sim();
    s.commit(req(sys2000(), [...first(), assistant(text(3)), user(image, text(2, 'q', { cache_control: cc5 }))]), 0);
    const out = s.commit(req(sys2000(), [...first(), assistant(text(3)), user(text(2, 'q', { cache_control: cc5 }))]), MIN);
    assert.equal(out.usage.cache_read_input_tokens, 2000);
  });

  it('the same images at the same places: the conversation grows and the messages entry is read', () => {
    const s = sim();
    s.commit(req(sys2000(), first()), 0);
    const out = s.commit(req(sys2000(), [...first(), assistant(text(3)), user(text(2, 'q', { cache_control: cc5 }))]), MIN);
    // 2000 + (10 + 10 + 1 + 7): the whole first turn (the image counts 10 with lengthCounter).
    assert.equal(out.usage.cache_read_input_tokens, 2028);
  });
});
