// The incremental counter against a full count through arbitrary edit sequences: inserts,
// deletions and replacements of any size at any place (the very start and end included), on
// texts long enough for many chunks and for several steps of the common prefix/suffix search.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { countO200k } from '../../src/core/tokens/count';
import { chunkEnds, commonPrefixLength, commonSuffixLength, IncrementalCounter } from '../../src/core/tokens/incremental';

const SMALL = { minChunk: 32, maxChunk: 96, divisor: 3 };

const piece = fc.oneof(
  fc.constantFrom(' the', ' prompt', "'s", ' cache', '\n', '\n\n', '  ', '\t', '中文', ' 😀', '<|endoftext|>', ' é', '123456', '.\n/', '\r\n'),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 3 }),
  fc.tuple(fc.constantFrom('a', '=', ' ', '中'), fc.integer({ min: 2, max: 300 })).map(([u, n]) => u.repeat(n)),
);
const text = fc.array(piece, { maxLength: 60 }).map((parts) => parts.join(''));
const base = fc.tuple(text, fc.integer({ min: 1, max: 40 })).map(([t, n]) => t.repeat(n));

/** Where (a fraction of the length, or exactly 0 or the end), how much to delete, what to insert. */
const edit = fc.record({
  at: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
  del: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 20_000 })),
  ins: fc.oneof(text, fc.tuple(text, fc.integer({ min: 1, max: 200 })).map(([t, n]) => t.repeat(n))),
});

function apply(t: string, e: { at: number; del: number; ins: string }): string {
  const pos = Math.min(t.length, Math.floor(e.at * t.length));
  return t.slice(0, pos) + e.ins + t.slice(pos + e.del);
}

describe('fuzz: incremental token counts', () => {
  it('equal a full count and a fresh chunking after every edit of a sequence', () => {
    fc.assert(
      fc.property(base, fc.array(edit, { minLength: 1, maxLength: 6 }), fc.boolean(), (start, edits, small) => {
        const chunk = small ? SMALL : undefined;
        const counter = new IncrementalCounter(chunk ? { chunk } : {});
        let t = start;
        assert.equal(counter.count(t), countO200k(t));
        for (const e of edits) {
          t = apply(t, e);
          assert.equal(counter.count(t), countO200k(t));
          assert.deepEqual(counter.ends, chunk ? chunkEnds(t, chunk) : chunkEnds(t));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('common prefix and suffix lengths equal a char-by-char scan', () => {
    fc.assert(
      fc.property(base, edit, (a, e) => {
        const b = apply(a, e);
        let p = 0;
        while (p < a.length && p < b.length && a.charCodeAt(p) === b.charCodeAt(p)) p++;
        let s = 0;
        while (s < a.length && s < b.length && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
        assert.equal(commonPrefixLength(a, b), p);
        assert.equal(commonSuffixLength(a, b), s);
      }),
    );
  });
});
