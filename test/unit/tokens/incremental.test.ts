import { strict as assert } from 'node:assert';
import { countO200k } from '../../../src/core/tokens/count';
import { chunkEnds, IncrementalCounter } from '../../../src/core/tokens/incremental';
import { isIntraLineBoundary, isLineBoundary } from '../../../src/core/tokens/boundaries';
import { CORPORA, randomEdit, seeded } from './corpora';

const SMALL = { minChunk: 32, maxChunk: 96, divisor: 3 };

describe('tokens/IncrementalCounter', () => {
  it('sums to exactly countO200k on every corpus, with default and tiny chunks', () => {
    for (const [name, text] of Object.entries(CORPORA)) {
      const whole = countO200k(text);
      assert.equal(new IncrementalCounter().count(text), whole, `${name} default`);
      const small = new IncrementalCounter({ chunk: SMALL });
      assert.equal(small.count(text), whole, `${name} small`);
      if (text.length > 400) assert.ok(small.ends.length > 3, `${name} should be cut into chunks`);
    }
  });

  it('cuts only at proven boundaries', () => {
    const text = CORPORA.mixed as string;
    for (const e of chunkEnds(text, SMALL)) {
      if (e === text.length) continue;
      assert.ok(isLineBoundary(text, e) || isIntraLineBoundary(text, e), `cut at ${e}`);
    }
  });

  it('stays exact and chunks like a fresh run through 300 random edits', () => {
    const next = seeded(42);
    const counter = new IncrementalCounter({ chunk: SMALL });
    let text = CORPORA.mixed as string;
    counter.count(text);
    for (let i = 0; i < 300; i++) {
      text = randomEdit(next, text);
      const n = counter.count(text);
      assert.deepEqual(counter.ends, chunkEnds(text, SMALL), `edit ${i}: chunking diverged`);
      assert.equal(n, countO200k(text), `edit ${i}`);
    }
  });

  it('re-tokenizes only the edited neighbourhood after a one-character edit', () => {
    const base = (CORPORA.mixed as string).repeat(20);
    const counter = new IncrementalCounter();
    counter.count(base);
    const chunks = counter.stats.chunks;
    const pos = Math.floor(base.length / 2);
    const edited = `${base.slice(0, pos)}x${base.slice(pos)}`;
    assert.equal(counter.count(edited), countO200k(edited));
    assert.ok(chunks > 20);
    assert.ok(counter.stats.counted <= 3, `counted ${counter.stats.counted} chunks`);
    assert.ok(counter.stats.countedChars < 3 * 4096 * 2);
  });

  it('handles appends, deletions to empty, and unchanged text', () => {
    const c = new IncrementalCounter({ chunk: SMALL });
    let text = CORPORA.prose as string;
    assert.equal(c.count(text), countO200k(text));
    text += ' appended words\n';
    assert.equal(c.count(text), countO200k(text));
    assert.equal(c.count(text), countO200k(text));
    assert.equal(c.stats.counted, 0);
    assert.equal(c.count(''), 0);
    assert.equal(c.count('x'), 1);
  });

  it('splits a very long line exactly, and keeps a boundary-free run whole', () => {
    const line = 'lorem ipsum dolor sit amet, '.repeat(2000);
    const c = new IncrementalCounter();
    assert.equal(c.count(line), countO200k(line));
    assert.ok(c.ends.length > 5, 'a long line with spaces is split');
    const run = '='.repeat(20_000) + '\nabc';
    const r = new IncrementalCounter();
    assert.equal(r.count(run), countO200k(run));
    assert.deepEqual(r.ends, [20_001, run.length], 'no safe cut inside a run of one punctuation char');
  });

  it('keeps its memo bounded', () => {
    const c = new IncrementalCounter({ cacheSize: 8, chunk: SMALL });
    const next = seeded(3);
    let text = CORPORA.mixed as string;
    for (let i = 0; i < 50; i++) {
      text = randomEdit(next, text);
      c.count(text);
      assert.ok(c.cachedChunks <= 8);
    }
    assert.equal(c.count(text), countO200k(text));
  });

  it('rejects chunk options that would break resynchronisation', () => {
    assert.throws(() => new IncrementalCounter({ chunk: { minChunk: 8 } }), /minChunk/);
    assert.throws(() => new IncrementalCounter({ chunk: { minChunk: 100, maxChunk: 50 } }), /maxChunk/);
  });
});
