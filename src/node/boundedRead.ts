// Reading a file named by user input, safely: the type and size are checked with stat BEFORE the
// file is opened (opening a FIFO blocks; /dev/zero never ends; a 1.5 GB file must not be read
// whole to learn it is over a 512 KB limit), and the read itself stops at a hard byte cap.
import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { looksBinary } from '../core/tokens/textInput';

export type ReadRefusal = 'missing' | 'not-file' | 'too-large' | 'binary' | 'not-utf8' | 'unreadable' | 'aborted';

export type BytesRead = { ok: true; bytes: Buffer } | { ok: false; reason: ReadRefusal; message: string };
export type TextRead = { ok: true; text: string; bytes: number } | { ok: false; reason: ReadRefusal; message: string };

export interface BoundedReadOptions {
  /** Hard cap: larger files are refused from their size, and a read never returns more. */
  maxBytes: number;
  /** How the file is named in messages (default: the path). */
  label?: string;
  signal?: AbortSignal;
}

/** Human size: 512 KB, 1.5 GB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}

/** Why `st` is not a regular file, or undefined when it is one. */
export function notRegularFile(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'is a directory';
  if (st.isFIFO()) return 'is a named pipe (FIFO), not a regular file';
  if (st.isCharacterDevice()) return 'is a character device, not a regular file';
  if (st.isBlockDevice()) return 'is a block device, not a regular file';
  if (st.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

const refuse = (reason: ReadRefusal, message: string) => ({ ok: false as const, reason, message });

function tooLarge(label: string, size: number, max: number) {
  return refuse('too-large', `${label} is ${formatBytes(size)}, over the ${formatBytes(max)} limit`);
}

function errnoMessage(label: string, err: unknown) {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return refuse('missing', `${label} does not exist`);
  if (code === 'EACCES' || code === 'EPERM') return refuse('unreadable', `${label} cannot be read (permission denied)`);
  return refuse('unreadable', `${label} cannot be read (${code ?? (err as Error).message})`);
}

/** The bytes of a regular file of at most `maxBytes`; everything else is refused with a one-line message. */
export async function readBytesBounded(path: string, options: BoundedReadOptions): Promise<BytesRead> {
  const label = options.label ?? path;
  if (options.signal?.aborted) return refuse('aborted', `reading ${label} was cancelled`);
  let st: Stats;
  try {
    st = await stat(path);
  } catch (err) {
    return errnoMessage(label, err);
  }
  const why = notRegularFile(st);
  if (why) return refuse('not-file', `${label} ${why}`);
  if (st.size > options.maxBytes) return tooLarge(label, st.size, options.maxBytes);
  try {
    return await readOpened(path, label, options);
  } catch (err) {
    return errnoMessage(label, err);
  }
}

async function readOpened(path: string, label: string, options: BoundedReadOptions): Promise<BytesRead> {
  // O_NONBLOCK: if the path was swapped for a FIFO after the stat, open still returns at once,
  // and the fstat below refuses it.
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    const why = notRegularFile(st);
    if (why) return refuse('not-file', `${label} ${why}`);
    // One byte over the cap tells a file that grew since the stat from one that fits exactly.
    const buf = Buffer.alloc(Math.min(options.maxBytes, st.size) + 1);
    let filled = 0;
    while (filled < buf.length) {
      if (options.signal?.aborted) return refuse('aborted', `reading ${label} was cancelled`);
      const { bytesRead } = await fh.read(buf, filled, buf.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > options.maxBytes) return refuse('too-large', `${label} is over the ${formatBytes(options.maxBytes)} limit`);
    return { ok: true, bytes: buf.subarray(0, filled) };
  } finally {
    await fh.close();
  }
}

/** Refuses binary content (NUL or dense control bytes, the check `count` uses) and invalid UTF-8. */
export function decodeText(bytes: Uint8Array, label: string): TextRead {
  if (looksBinary(bytes)) return refuse('binary', `${label} looks binary (NUL or control bytes); only text files can be used`);
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), bytes: bytes.length };
  } catch {
    return refuse('not-utf8', `${label} is not valid UTF-8 text`);
  }
}

/** A UTF-8 text file of at most `maxBytes`, refused when missing, not a regular file, too large or binary. */
export async function readTextBounded(path: string, options: BoundedReadOptions): Promise<TextRead> {
  const read = await readBytesBounded(path, options);
  return read.ok ? decodeText(read.bytes, options.label ?? path) : read;
}

/** Reads a stream (stdin) up to `maxBytes`, stopping as soon as it goes over instead of buffering the rest. */
export async function readStreamBounded(stream: AsyncIterable<Buffer | string>, maxBytes: number, label = 'stdin'): Promise<BytesRead> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += b.length;
    if (total > maxBytes) return refuse('too-large', `${label} is over the ${formatBytes(maxBytes)} limit`);
    chunks.push(b);
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}
