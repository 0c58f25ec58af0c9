// A second, independent reference: gpt-tokenizer's o200k_base (its own pattern copy, string-keyed
// ranks and merge) must give the same counts as countO200k and js-tiktoken, with special-token
// strings counted as plain text.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { countTokens, encode } from 'gpt-tokenizer/encoding/o200k_base';
import { clearO200kPieceCache, countO200k, countO200kReference } from '../../../src/core/tokens/count';
import { CORPORA, randomText, seeded } from './corpora';

const AS_TEXT = { disallowedSpecial: new Set<string>() };
const gpt = (text: string) => countTokens(text, AS_TEXT);
/**
 * gpt-tokenizer 4.0 looks merge candidates up as strings decoded by a TextDecoder that drops a
 * leading byte-order mark, so bytes EF BB BF merge wrongly there ('\ufeffbom': 3, not 2).
 */
const noBom = (text: string) => text.replaceAll('\ufeff', '');

describe('tokens/gpt-tokenizer reference', () => {
  it('counts every corpus (prose, code, JSON, CJK, emoji, special strings) like gpt-tokenizer and js-tiktoken', () => {
    for (const [name, text] of Object.entries(CORPORA)) {
      assert.equal(countO200k(noBom(text)), gpt(noBom(text)), name);
      assert.equal(countO200k(text), countO200kReference(text), name);
    }
  });

  it('follows js-tiktoken, not gpt-tokenizer, on a byte-order mark before a word', () => {
    assert.equal(countO200k('\ufeffbom'), countO200kReference('\ufeffbom'));
    assert.equal(countO200k('\ufeffbom'), 2);
    assert.equal(gpt('\ufeffbom'), 3);
  });

  it('counts special-token strings as text, where gpt-tokenizer must be told to', () => {
    const text = 'a <|endoftext|> b <|endofprompt|> <|im_start|>';
    assert.throws(() => countTokens(text), /special token/i);
    assert.equal(countO200k(text), gpt(text));
    assert.equal(countO200k(text), encode(text, AS_TEXT).length);
    assert.ok(countO200k('<|endoftext|>') > 1);
  });

  it('agrees on random texts over the pattern\'s tricky atoms, with the piece memo cold and warm', () => {
    const next = seeded(11);
    for (let i = 0; i < 300; i++) {
      const text = randomText(next, 1 + Math.floor(next() * 40));
      if (i % 50 === 0) clearO200kPieceCache();
      assert.equal(countO200k(text), countO200kReference(text), JSON.stringify(text));
    }
  });

  it('agrees with gpt-tokenizer on arbitrary well-formed strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }).map(noBom), (text) => {
        assert.equal(countO200k(text), gpt(text));
      }),
      { numRuns: 300, seed: 20260401 },
    );
  });

  it('agrees on short runs (the pieces merged by the short-piece loop and by the heap)', () => {
    for (const unit of ['a', 'ab', 'Zy', '中', '한국', 'é', '=', '😀']) {
      for (const n of [2, 7, 20, 33, 70, 200]) {
        const text = unit.repeat(n);
        assert.equal(countO200k(text), gpt(text), `${unit} x ${n}`);
      }
    }
  });
});
