// Classifies raw file bytes before counting: a count is only shown for something that is text.
// Never throws on content; every non-countable case carries a message for the user.

/** Above this, counting happens only off the main thread (the host's worker). */
export const OFF_THREAD_BYTES = 20 * 1024 * 1024;
/** Above this, we refuse: far beyond any context window (1M tokens is ~4-5 MB of text). */
export const MAX_COUNT_BYTES = 64 * 1024 * 1024;

/** Bytes inspected to decide whether a file is binary. */
const SNIFF_BYTES = 8192;

export type TextInput =
  | { kind: 'empty'; message: string }
  | { kind: 'binary'; message: string }
  | { kind: 'too-large'; bytes: number; message: string }
  | {
      kind: 'text';
      text: string;
      bytes: number;
      /** Invalid UTF-8 was decoded with U+FFFD replacement characters. */
      replaced: boolean;
      /** Large enough that a UI must count it off the main thread. */
      offThread: boolean;
      /** Set when the count needs a caveat (replacement characters). */
      warning?: string;
    };

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Binary if the head holds a NUL byte (what git and editors use) or more than 10% control
 * characters other than tab, LF, FF and CR. A UTF-16 file with a BOM is text.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  if (n >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i] as number;
    if (b === 0) return true;
    if (b < 32 && b !== 9 && b !== 10 && b !== 12 && b !== 13) control++;
  }
  return n > 0 && control / n > 0.1;
}

/** The refusal for input above MAX_COUNT_BYTES (also used before reading a file, from its size). */
export function tooLarge(bytes: number): TextInput {
  return {
    kind: 'too-large',
    bytes,
    message: `input is ${mb(bytes)}; token counts are limited to ${mb(MAX_COUNT_BYTES)} (no Claude context window holds that much text)`,
  };
}

function decodeUtf16(bytes: Uint8Array): string {
  const le = bytes[0] === 0xff;
  return new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(2));
}

/** Decides what to do with `bytes` read from a file or stdin. */
export function classifyBytes(bytes: Uint8Array): TextInput {
  if (bytes.length > MAX_COUNT_BYTES) return tooLarge(bytes.length);
  if (bytes.length === 0) return { kind: 'empty', message: 'file is empty (0 tokens)' };
  if (looksBinary(bytes)) {
    return { kind: 'binary', message: 'file looks binary (NUL or control bytes), not text; nothing to count' };
  }
  const utf16 = bytes.length >= 2 && (bytes[0] === 0xff || bytes[0] === 0xfe) && (bytes[1] === 0xfe || bytes[1] === 0xff);
  let text: string;
  let replaced = false;
  if (utf16) {
    text = decodeUtf16(bytes);
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      text = new TextDecoder('utf-8').decode(bytes);
      replaced = true;
    }
  }
  return textResult(text, bytes.length, replaced);
}

function textResult(text: string, bytes: number, replaced: boolean): TextInput {
  return {
    kind: 'text',
    text,
    bytes,
    replaced,
    offThread: bytes > OFF_THREAD_BYTES,
    ...(replaced ? { warning: 'invalid UTF-8 (or U+FFFD characters): counted with replacement characters' } : {}),
  };
}

/**
 * Same classification for text that was already decoded (stdin through CliIO, an editor
 * buffer): replacement characters stand in for invalid bytes, and NUL / control density for
 * binary content.
 */
export function classifyText(text: string): TextInput {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_COUNT_BYTES) return tooLarge(bytes);
  if (text.length === 0) return { kind: 'empty', message: 'input is empty (0 tokens)' };
  const head = text.slice(0, SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0) return { kind: 'binary', message: 'input looks binary (NUL or control bytes), not text; nothing to count' };
    if (c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13) control++;
  }
  if (control / head.length > 0.1) {
    return { kind: 'binary', message: 'input looks binary (NUL or control bytes), not text; nothing to count' };
  }
  return textResult(text, bytes, text.includes('\uFFFD'));
}
