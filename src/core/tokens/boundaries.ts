// Where o200k_base's pre-tokenizer necessarily splits, so that
//   countO200k(a + b) === countO200k(a) + countO200k(b)   for a cut between a and b.
// The pattern (js-tiktoken ranks/o200k_base `pat_str`) is, in order:
//   W1/W2  [^\r\n\p{L}\p{N}]?<letters/marks>+('s|'t|...)?   a word, with ONE optional leading char
//   N      \p{N}{1,3}
//   P      ` ?[^\s\p{L}\p{N}]+[\r\n/]*`                  punctuation, swallowing newlines and '/'
//   S1     \s*[\r\n]+        S2  \s+(?!\S)        S3  \s+
// It has no lookbehind and no anchors, so the matches of a suffix starting at a match boundary
// are the matches of the whole text from there; BPE runs per match, so counts add up exactly.
// A cut at p is safe when no match can span p AND the prefix alone matches the same way (the
// only end-of-input sensitive piece is S2's `(?!\S)`). The rules below each prove both.

/** JavaScript `\s` (what the `u`-flag pattern uses), as char codes; pinned by a test. */
export function isWhitespace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

const LF = 10;
const CR = 13;
const SLASH = 47;

/**
 * Line rule, for p just after a '\n': safe unless the text at p continues a match that can
 * hold that newline. Only P (tail `[\r\n/]*`) and S1 (`\s*[\r\n]+`, greedy up to the LAST
 * newline of a whitespace run) can hold a newline, and S1 is tried before S2/S3 at every start
 * inside the run. So: text[p] must not be '/', and the whitespace run starting at p (the next
 * line's indentation) must hold no further '\r' or '\n'. The prefix then ends with the same P
 * or S1 match; S2 never sees the end of the prefix because S1 wins first.
 */
export function isLineBoundary(text: string, p: number): boolean {
  if (p <= 0 || p >= text.length || text.charCodeAt(p - 1) !== LF) return false;
  if (text.charCodeAt(p) === SLASH) return false;
  for (let j = p; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === LF || c === CR) return false;
    if (!isWhitespace(c)) return true;
  }
  return true;
}

const LETTER = /^\p{L}$/u;
const MARK_OR_LETTER = /^[\p{L}\p{M}]$/u;
const NUMBER = /^\p{N}$/u;
const APOSTROPHE = 39;

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * Intra-line rules, used only to split very long lines:
 *  R1 text[p-1] is not whitespace and text[p] is whitespace other than CR/LF: whitespace other
 *     than CR/LF can sit only at the START of a W, P or whitespace match, and a whitespace
 *     match cannot contain the non-space text[p-1]; no S2 match ends the prefix.
 *  R2 text[p-1] is a letter (so its match is W) and text[p] is neither a letter, a mark nor an
 *     apostrophe (the contraction suffix): W cannot continue.
 *  R3 text[p-1] is a number (so its match is N) and text[p] is not: N cannot continue.
 * Surrogate pairs are never cut (the pattern runs on code points); R2/R3 skip astral chars.
 */
export function isIntraLineBoundary(text: string, p: number): boolean {
  if (p <= 0 || p >= text.length) return false;
  const a = text.charCodeAt(p - 1);
  const b = text.charCodeAt(p);
  if (isLowSurrogate(b)) return false;
  if (isWhitespace(b)) return b !== LF && b !== CR && !isWhitespace(a);
  if (isHighSurrogate(a) || isLowSurrogate(a) || isHighSurrogate(b)) return false;
  const ca = String.fromCharCode(a);
  const cb = String.fromCharCode(b);
  if (LETTER.test(ca)) return b !== APOSTROPHE && !MARK_OR_LETTER.test(cb);
  if (NUMBER.test(ca)) return !NUMBER.test(cb);
  return false;
}
