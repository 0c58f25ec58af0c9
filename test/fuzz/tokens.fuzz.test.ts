// countO200k on arbitrary text against js-tiktoken's encoder (the pinned reference) and
// gpt-tokenizer: any string, lone surrogates included, with the piece memo warm and cold, and
// texts built from repeated words (memo hits) and short runs (both merge loops).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { asciiPieceEnd, O200K_PATTERN } from '../../src/core/tokens/asciiPieces';
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

/** Asserts that every piece end the ASCII scanner claims is the regex's; returns the claims. */
function scannerAgrees(text: string): number {
  const re = new RegExp(O200K_PATTERN, 'gu');
  let decided = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const end = asciiPieceEnd(text, m.index);
    if (end < 0) continue;
    decided++;
    assert.equal(end, m.index + m[0].length, `${JSON.stringify(text)} at ${m.index}`);
  }
  return decided;
}

describe('fuzz: token counts', () => {
  it('the ASCII pre-tokenizer ends pieces where the regex does on every three-character string over ASCII and wide neighbours', () => {
    const chars = [...Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)), 'é', '\u00a0', '٣', '\u0301'];
    let decided = 0;
    for (const a of chars) for (const b of chars) for (const c of chars) decided += scannerAgrees(a + b + c);
    assert.ok(decided > 4_000_000, `decided ${decided}`);
  });

  it('the ASCII pre-tokenizer agrees with the regex on arbitrary mostly-ASCII text', () => {
    const mostlyAscii = fc.oneof(
      { weight: 3, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)), maxLength: 80 }) },
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
    );
    fc.assert(fc.property(fc.array(mostlyAscii, { maxLength: 6 }), (parts) => void scannerAgrees(parts.join(''))));
  });

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
