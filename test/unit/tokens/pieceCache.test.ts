// The memo of pre-token counts: bounded, and invisible in the counts however often it turns over.
import { strict as assert } from 'node:assert';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { clearO200kPieceCache, countO200k } from '../../../src/core/tokens/count';
import { MAX_PIECE_CHARS, PieceCache } from '../../../src/core/tokens/pieceCache';
import { seeded } from './corpora';

describe('tokens/piece cache', () => {
  it('holds at most two generations of entries and keeps recently used pieces', () => {
    const c = new PieceCache(4);
    for (let i = 0; i < 100; i++) {
      c.set(`w${i}`, i);
      assert.ok(c.size <= 8, `size ${c.size}`);
    }
    assert.equal(c.get('w99'), 99);
    assert.equal(c.get('w0'), undefined);
    // A piece of the old generation that is read again moves to the current one and survives.
    const d = new PieceCache(2);
    d.set('a', 1);
    d.set('b', 2);
    d.set('c', 3); // a, b now old
    assert.equal(d.get('a'), 1);
    d.set('e', 5); // current full: {c, a} becomes old, b dropped
    assert.equal(d.get('a'), 1);
    assert.equal(d.get('b'), undefined);
  });

  it('ignores pieces longer than MAX_PIECE_CHARS and rejects a bad size', () => {
    const c = new PieceCache(8);
    c.set('x'.repeat(MAX_PIECE_CHARS + 1), 3);
    assert.equal(c.size, 0);
    c.set('x'.repeat(MAX_PIECE_CHARS), 6);
    assert.equal(c.get('x'.repeat(MAX_PIECE_CHARS)), 6);
    assert.throws(() => new PieceCache(0), RangeError);
    assert.throws(() => new PieceCache(1.5), RangeError);
  });

  it('counts stay exact while the cache turns over many times (more distinct words than it holds)', () => {
    clearO200kPieceCache();
    const next = seeded(3);
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const words: string[] = [];
    for (let i = 0; i < 70_000; i++) {
      let w = ' ';
      const len = 4 + Math.floor(next() * 5);
      for (let k = 0; k < len; k++) w += letters[Math.floor(next() * letters.length)];
      words.push(w);
    }
    const text = words.join('');
    const first = countO200k(text);
    assert.equal(countO200k(text), first);
    // gpt-tokenizer as the reference here: js-tiktoken takes seconds for this much text.
    assert.equal(first, countTokens(text));
  });
});
