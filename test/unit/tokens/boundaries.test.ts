import { strict as assert } from 'node:assert';
import { countO200k, countO200kReference } from '../../../src/core/tokens/count';
import { isIntraLineBoundary, isLineBoundary, isWhitespace } from '../../../src/core/tokens/boundaries';
import { CORPORA, randomText, seeded } from './corpora';

describe('tokens/boundaries', () => {
  it('isWhitespace is exactly JavaScript \\s for every UTF-16 code unit', () => {
    for (let c = 0; c <= 0xffff; c++) {
      assert.equal(isWhitespace(c), /\s/u.test(String.fromCharCode(c)), `code ${c.toString(16)}`);
    }
  });

  it('countO200k equals js-tiktoken encode().length on every corpus', () => {
    for (const [name, text] of Object.entries(CORPORA)) {
      assert.equal(countO200k(text), countO200kReference(text), name);
    }
  });

  it('counts long single pre-tokens exactly and fast (heap merge)', () => {
    for (const s of ['a'.repeat(900), 'ab'.repeat(400), '='.repeat(700), 'Zy'.repeat(300) + 'x', '中'.repeat(500)]) {
      assert.equal(countO200k(s), countO200kReference(s), s.slice(0, 8));
    }
    const t0 = performance.now();
    assert.equal(countO200k('z'.repeat(50_000)), 25_000);
    assert.ok(performance.now() - t0 < 2000, 'a 50k-char word must not take the quadratic path');
  });

  it('treats special-token strings as plain text', () => {
    assert.equal(countO200k('<|endoftext|>'), countO200kReference('<|endoftext|>'));
    assert.ok(countO200k('<|endoftext|>') > 1);
  });

  it('every boundary it accepts splits the count exactly (random texts over tricky atoms)', () => {
    const next = seeded(7);
    let checked = 0;
    for (let n = 0; n < 400; n++) {
      const text = randomText(next, 4 + Math.floor(next() * 14));
      const whole = countO200k(text);
      for (let p = 1; p < text.length; p++) {
        if (!isLineBoundary(text, p) && !isIntraLineBoundary(text, p)) continue;
        checked++;
        assert.equal(countO200k(text.slice(0, p)) + countO200k(text.slice(p)), whole, JSON.stringify([text, p]));
      }
    }
    assert.ok(checked > 1000, `only ${checked} boundaries exercised`);
  });

  it('rejects the cuts that would change the count', () => {
    // punctuation swallows following newlines and slashes; S1 runs to the last newline
    assert.equal(isLineBoundary('a.\n/b', 3), false);
    assert.equal(isLineBoundary('a\n  \nb', 2), false);
    assert.equal(isLineBoundary('a\n\nb', 2), false);
    assert.equal(isLineBoundary('a\n    b', 2), true);
    assert.equal(isIntraLineBoundary("it's", 2), false);
    assert.equal(isIntraLineBoundary('e\u0301', 1), false);
    assert.equal(isIntraLineBoundary('1234', 3), false);
    assert.equal(isIntraLineBoundary('😀 ', 1), false);
    assert.equal(isIntraLineBoundary('a b', 1), true);
    assert.equal(countO200k('a.\n/b'), countO200kReference('a.\n/b'));
  });
});
