// o200k's pre-tokenizer for ASCII, by hand: where the pattern's match at a position can be
// decided from ASCII characters alone, this finds its end without running the regex (which was
// nine tenths of a count of prose once piece counts were memoised). Anything it cannot decide
// (a character >= 0x80 where the decision looks) returns -1 and the caller runs the regex there.
// Tests compare its pieces with the regex's on random ASCII-heavy text (asciiPieces.test.ts).
//
// The pattern, alternatives in order (U: upper-case letters and marks, L: lower-case letters
// and marks, P: [^\r\n\p{L}\p{N}], C: 's 't 're 've 'm 'll 'd in any case):
//   P?U*L+C? | P?U+L*C? | \p{N}{1,3} | ' '?[^\s\p{L}\p{N}]+[\r\n/]* | \s*[\r\n]+ | \s+(?!\S) | \s+
// For ASCII both letter alternatives come to P? [A-Z]* [a-z]* (one letter at least) C?.

/** The pattern this scanner implements (js-tiktoken's o200k_base pat_str); any other: regex only. */
export const O200K_PATTERN =
  "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)?" +
  "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)?" +
  "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

const UP = 1;
const LO = 2;
const DIGIT = 3;
const NEWLINE = 4;
/** Space, tab, vertical tab, form feed: JavaScript's \s within ASCII, less CR and LF. */
const SPACE = 5;
const OTHER = 6;

const KIND = new Uint8Array(128).fill(OTHER);
for (let c = 65; c <= 90; c++) KIND[c] = UP;
for (let c = 97; c <= 122; c++) KIND[c] = LO;
for (let c = 48; c <= 57; c++) KIND[c] = DIGIT;
KIND[10] = NEWLINE;
KIND[13] = NEWLINE;
for (const c of [9, 11, 12, 32]) KIND[c] = SPACE;

/** Kind of the character at i: 0 past the end, -1 for a non-ASCII one. */
function kindAt(text: string, i: number): number {
  if (i >= text.length) return 0;
  const c = text.charCodeAt(i);
  return c < 128 ? (KIND[c] as number) : -1;
}

const isLetter = (k: number) => k === UP || k === LO;

/** End of [A-Z]*[a-z]*C? from j (a letter), or -1 if a non-ASCII character could extend it. */
function lettersEnd(text: string, j: number): number {
  while (kindAt(text, j) === UP) j++;
  while (kindAt(text, j) === LO) j++;
  if (j >= text.length) return j;
  const c = text.charCodeAt(j);
  if (c >= 128) return -1;
  if (c !== 39) return j;
  // An ASCII letter lower-cased by | 0x20; nothing else maps onto a letter that way.
  const a = j + 1 < text.length ? text.charCodeAt(j + 1) | 0x20 : 0;
  if (a === 115 || a === 116 || a === 109 || a === 100) return j + 2; // 's 't 'm 'd
  const b = j + 2 < text.length ? text.charCodeAt(j + 2) | 0x20 : 0;
  if ((a === 114 && b === 101) || (a === 118 && b === 101) || (a === 108 && b === 108)) return j + 3; // 're 've 'll
  return j;
}

/** End of [^\s\p{L}\p{N}]+[\r\n/]* from j (an OTHER character), or -1. */
function symbolsEnd(text: string, j: number): number {
  let k = kindAt(text, j);
  while (k === OTHER) k = kindAt(text, ++j);
  if (k < 0) return -1;
  for (;;) {
    const c = j < text.length ? text.charCodeAt(j) : 0;
    if (c !== 10 && c !== 13 && c !== 47) return j;
    j++;
  }
}

/** \s*[\r\n]+ | \s+(?!\S) | \s+ from i (a whitespace character), or -1. */
function whitespaceEnd(text: string, i: number): number {
  let j = i;
  let afterNewline = -1;
  let k = kindAt(text, j);
  while (k === SPACE || k === NEWLINE) {
    if (k === NEWLINE) afterNewline = j + 1;
    k = kindAt(text, ++j);
  }
  // A non-ASCII character may be whitespace too (no-break space, U+3000, ...).
  if (k < 0) return -1;
  if (afterNewline >= 0) return afterNewline;
  if (j >= text.length || j - i === 1) return j;
  return j - 1;
}

/** End of the pre-token that starts at i (< text.length), or -1 when the regex must decide. */
export function asciiPieceEnd(text: string, i: number): number {
  const k = kindAt(text, i);
  if (k === UP || k === LO) return lettersEnd(text, i);
  if (k === DIGIT) {
    let j = i + 1;
    while (j - i < 3 && kindAt(text, j) === DIGIT) j++;
    return j - i < 3 && kindAt(text, j) < 0 ? -1 : j;
  }
  if (k === NEWLINE) return whitespaceEnd(text, i);
  if (k === SPACE || k === OTHER) {
    const next = kindAt(text, i + 1);
    if (next < 0) return -1;
    if (isLetter(next)) return lettersEnd(text, i + 1);
    if (k === OTHER) return symbolsEnd(text, i);
    if (next === OTHER && text.charCodeAt(i) === 32) return symbolsEnd(text, i + 1);
    return whitespaceEnd(text, i);
  }
  return -1;
}
