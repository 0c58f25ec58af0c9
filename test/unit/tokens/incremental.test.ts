import { strict as assert } from 'node:assert';
import { countO200k } from '../../../src/core/tokens/count';
import { chunkEnds, commonPrefixLength, commonSuffixLength, DEFAULT_CHUNK_OPTIONS, IncrementalCounter } from '../../../src/core/tokens/incremental';
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
  describe('edits the prefix and suffix search must place exactly', () => {
    // Large enough for several doubling steps of the prefix/suffix search and many chunks.
    const base = (CORPORA.mixed as string).repeat(40);

    /** Counts `before` then `after` incrementally; both must equal a full count and a fresh chunking. */
    function check(before: string, after: string, chunk: Partial<typeof SMALL> = {}): IncrementalCounter {
      const c = new IncrementalCounter({ chunk });
      assert.equal(c.count(before), countO200k(before));
      assert.equal(c.count(after), countO200k(after));
      assert.deepEqual(c.ends, chunkEnds(after, { ...DEFAULT_CHUNK_OPTIONS, ...chunk }), 'chunking diverged from a fresh run');
      return c;
    }

    it('at the very start and the very end', () => {
      for (const opts of [{}, SMALL]) {
        check(base, `x${base}`, opts);
        check(base, base.slice(1), opts);
        check(base, `\n${base.slice(1)}`, opts);
        check(base, `${base}x`, opts);
        check(base, base.slice(0, -1), opts);
        check(base, `${base.slice(0, -1)} `, opts);
        check('', base, opts);
        check(base, '', opts);
      }
      const c = check(base, `${base}x`);
      assert.ok(c.stats.counted <= 2, `an append re-counted ${c.stats.counted} chunks`);
      const s = check(base, `x${base}`);
      assert.ok(s.stats.countedChars < 3 * 4096 * 2, `an insert at 0 re-counted ${s.stats.countedChars} chars`);
    });

    it('a deletion of a whole chunk, and of the first and the last chunk', () => {
      const ends = chunkEnds(base);
      assert.ok(ends.length > 10);
      const cut = (i: number) => {
        const start = i === 0 ? 0 : (ends[i - 1] as number);
        return base.slice(0, start) + base.slice(ends[i] as number);
      };
      for (const i of [0, 1, Math.floor(ends.length / 2), ends.length - 1]) check(base, cut(i));
      // The same chunk deleted out of two identical halves: the suffix search must not be fooled.
      const twice = base + base;
      const mid = Math.floor(ends.length / 2);
      check(twice, twice.slice(0, ends[mid - 1]) + twice.slice(ends[mid] as number));
    });

    it('a change on either side of a cut, where unchanged and changed chunks meet', () => {
      for (const chunk of [{}, SMALL]) {
        const ends = chunkEnds(base, { ...DEFAULT_CHUNK_OPTIONS, ...chunk });
        for (const e of ends.slice(1, 12)) {
          for (const p of [e - 1, e]) {
            for (const ins of ['中文', 'x', ' ', '\n']) check(base, base.slice(0, p) + ins + base.slice(p + 1), chunk);
          }
        }
      }
    });

    it('a paste of 100 KB in the middle, and its removal', () => {
      const paste = (CORPORA.python as string).repeat(Math.ceil(100_000 / (CORPORA.python as string).length)).slice(0, 100_000);
      const pos = Math.floor(base.length / 3);
      const pasted = base.slice(0, pos) + paste + base.slice(pos);
      check(base, pasted);
      check(pasted, base);
      check(base, base.slice(0, pos) + base.slice(pos, pos + 50_000).toUpperCase() + base.slice(pos + 50_000), SMALL);
    });

    it('common prefix and suffix lengths equal a char-by-char scan, around every step size', () => {
      const naivePrefix = (a: string, b: string) => {
        let i = 0;
        while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
        return i;
      };
      const naiveSuffix = (a: string, b: string) => {
        let i = 0;
        while (i < a.length && i < b.length && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
        return i;
      };
      const text = 'ab😀c\n'.repeat(40_000);
      const positions = [0, 1, 31, 32, 33, 255, 256, 257, 767, 768, 769, 65_535, 65_536, 131_071, 200_001, text.length - 1];
      for (const p of positions) {
        for (const edited of [text.slice(0, p) + 'Z' + text.slice(p + 1), text.slice(0, p) + text.slice(p + 1), text.slice(0, p) + 'Z' + text.slice(p), text.slice(0, p)]) {
          assert.equal(commonPrefixLength(text, edited), naivePrefix(text, edited), `prefix, change at ${p}`);
          assert.equal(commonPrefixLength(edited, text), naivePrefix(edited, text), `prefix, change at ${p}`);
          assert.equal(commonSuffixLength(text, edited), naiveSuffix(text, edited), `suffix, change at ${p}`);
          assert.equal(commonSuffixLength(edited, text), naiveSuffix(edited, text), `suffix, change at ${p}`);
        }
      }
      assert.equal(commonPrefixLength(text, text), text.length);
      assert.equal(commonSuffixLength('', text), 0);
      // A change inside a surrogate pair: the lengths count UTF-16 units, as chunk ends do.
      assert.equal(commonPrefixLength('a😀', 'a😁'), 2);
      assert.equal(commonSuffixLength('😀a', '\ud800\ude00a'), 2);
    });
  });
});
