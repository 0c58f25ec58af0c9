// The hand-written ASCII pre-tokenizer must end every piece exactly where o200k's regex does, or
// give up (-1) and let the regex decide.
import { strict as assert } from 'node:assert';
import { asciiPieceEnd, O200K_PATTERN } from '../../../src/core/tokens/asciiPieces';
import { seeded } from './corpora';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ranks = require('js-tiktoken/ranks/o200k_base') as { pat_str?: string; default?: { pat_str: string } };
const PATTERN = (ranks.default ?? ranks).pat_str as string;

const ASCII = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));
/** Non-ASCII characters next to ASCII ones: letters, marks, digits, spaces, symbols, surrogates. */
const WIDE = ['é', 'Ǆ', 'ʰ', '中', '\u0301', '٣', '½', '\u00a0', '\u3000', '\u2028', '\ufeff', '\u0085', '—', '😀', '\ud800'];
const REPRESENTATIVE = ['a', 'Z', 's', 'S', 't', 'r', 'e', 'E', 'l', 'L', 'v', 'm', 'd', "'", '1', '0', ' ', '\t', '\v', '\n', '\r', '/', '.', '-', '\u001f', '\u0000', '\u007f', 'é', '\u00a0', '٣', '\u0301'];

/** Checks every piece of `text` whose end the scanner claims to know; returns how many it decided. */
function check(text: string): number {
  let decided = 0;
  for (const m of text.matchAll(new RegExp(PATTERN, 'gu'))) {
    const end = asciiPieceEnd(text, m.index);
    if (end < 0) continue;
    decided++;
    assert.equal(end, m.index + m[0].length, `${JSON.stringify(text)} at ${m.index}: regex piece ${JSON.stringify(m[0])}`);
  }
  return decided;
}

describe('tokens/ascii pieces', () => {
  it('implements the pattern js-tiktoken ships (a changed one turns the scanner off)', () => {
    assert.equal(O200K_PATTERN, PATTERN);
  });

  it('agrees with the regex on every string of one or two characters over ASCII and wide neighbours', () => {
    const all = [...ASCII, ...WIDE];
    let decided = 0;
    for (const a of all) for (const b of all) decided += check(a + b);
    assert.ok(decided > 20_000, `decided ${decided}`);
  });

  it('agrees on every string of three to four representative characters', () => {
    let decided = 0;
    for (const a of REPRESENTATIVE) for (const b of REPRESENTATIVE) for (const c of REPRESENTATIVE) decided += check(a + b + c);
    const next = seeded(17);
    for (let i = 0; i < 30_000; i++) {
      let s = '';
      for (let k = 0; k < 4; k++) s += REPRESENTATIVE[Math.floor(next() * REPRESENTATIVE.length)];
      decided += check(s);
    }
    assert.ok(decided > 50_000, `decided ${decided}`);
  });

  it('agrees on long random texts of words, numbers, contractions, code and whitespace', () => {
    const atoms = [...ASCII, ...WIDE, ' the', "'s", "'LL", "'ve", "'Re", '123456', '  ', '\n\n', ' \n ', '\r\n', './', '.\n/', '//', 'HELLO', 'camelCase', 'x\u0301'];
    const next = seeded(23);
    let decided = 0;
    for (let i = 0; i < 400; i++) {
      let s = '';
      const n = 20 + Math.floor(next() * 200);
      for (let k = 0; k < n; k++) s += atoms[Math.floor(next() * atoms.length)];
      decided += check(s);
    }
    assert.ok(decided > 20_000, `decided ${decided}`);
  });

  it('leaves a decision that needs a non-ASCII character to the regex', () => {
    assert.equal(asciiPieceEnd('cafe\u0301', 0), -1);
    assert.equal(asciiPieceEnd(' \u00a0x', 0), -1);
    assert.equal(asciiPieceEnd('12٣', 0), -1);
    assert.equal(asciiPieceEnd('中', 0), -1);
    assert.equal(asciiPieceEnd('123٣', 0), 3);
    assert.equal(asciiPieceEnd("it's中", 0), 4);
  });
});
