// countO200k on arbitrary text against js-tiktoken's encoder (the pinned reference) and
// gpt-tokenizer: any string, lone surrogates included, with the piece memo warm and cold, and
// texts built from repeated words (memo hits) and short runs (both merge loops).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { clearO200kPieceCache, countO200k, countO200kReference } from '../../src/core/tokens/count';

const AS_TEXT = { disallowedSpecial: new Set<string>() };

/** Words from a small vocabulary so pieces repeat, mixed with runs of up to a few hundred bytes. */
const wordy = fc
  .array(
    fc.oneof(
      fc.constantFrom(' the', ' prompt', "'s", ' cache', '\n', '  ', '中文', ' 😀', '<|endoftext|>', ' é', '123456', '.\n/'),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
      fc.tuple(fc.constantFrom('a', 'ab', '中', '=', 'Zy', 'é'), fc.integer({ min: 2, max: 120 })).map(([u, n]) => u.repeat(n)),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('fuzz: token counts', () => {
  it('equal js-tiktoken on any string (lone surrogates too), memo warm or cold', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 80 })), fc.boolean(), (text, cold) => {
        if (cold) clearO200kPieceCache();
        assert.equal(countO200k(text), countO200kReference(text));
      }),
    );
  });

  it('equal js-tiktoken and gpt-tokenizer on texts of repeated words and short runs', () => {
    fc.assert(
      fc.property(wordy, (text) => {
        const n = countO200k(text);
        assert.equal(n, countO200kReference(text));
        // gpt-tokenizer 4.0 merges a byte-order mark wrongly (gptTokenizer.test.ts).
        if (!text.includes('\ufeff')) assert.equal(n, countTokens(text, AS_TEXT));
      }),
    );
  });
});
