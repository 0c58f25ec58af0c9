// Every file and stdin the CLI reads on user input goes through here: a bounded read (type and
// size checked before opening, a hard byte cap), so a FIFO, /dev/zero, a folder or a 1.5 GB file
// is a one-line error with exit 2, never a hang or an out-of-memory.
import { parsePricesText, type ModelOverride } from '../core/models/overrides';
import { MAX_JSON_DEPTH, jsonTooDeepAt } from '../shared/nesting';
import { formatBytes, readBytesBounded, readTextBounded } from '../node/boundedRead';
import { CliError, type CliIO } from './io';

/** Byte caps per kind of input; each far above any real file of that kind. */
export const INPUT_LIMITS = {
  prompt: 4 * 1024 * 1024,
  trace: 256 * 1024 * 1024,
  prices: 1024 * 1024,
  script: 16 * 1024 * 1024,
  usage: 1024 * 1024,
} as const;

/** A text file for `what` (e.g. "--trace"); any refusal is a CliError naming the flag and the file. */
export async function readInputText(path: string, what: string, maxBytes: number): Promise<string> {
  const read = await readTextBounded(path, { maxBytes, label: path });
  if (!read.ok) throw new CliError(`${what}: ${read.message}`);
  return read.text;
}

/** The raw bytes of a file (for `count`, which classifies binary and encodings itself). */
export async function readInputBytes(path: string, what: string, maxBytes: number): Promise<Buffer> {
  const read = await readBytesBounded(path, { maxBytes, label: path });
  if (!read.ok) throw new CliError(what ? `${what}: ${read.message}` : read.message);
  return read.bytes;
}

/** Stdin, capped: the process reader stops at the cap; the length check covers injected readers. */
export async function readStdinText(io: CliIO, maxBytes: number): Promise<string> {
  const text = await io.readStdin(maxBytes);
  if (text.length > maxBytes || Buffer.byteLength(text) > maxBytes) throw new CliError(`stdin is over the ${formatBytes(maxBytes)} limit`);
  return text;
}

/** JSON from the command line or stdin, with the nesting limit checked before parsing. */
export function parseJsonInput(text: string, what: string, example: string): unknown {
  const deep = jsonTooDeepAt(text);
  if (deep >= 0) throw new CliError(`${what} is nested more than ${MAX_JSON_DEPTH} levels deep (at position ${deep}); ${example}`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`${what} is not valid JSON (${(err as Error).message}); ${example}`);
  }
}

/** A --prices file: bounded read, then the engine's validation (PricesFileError, mapped to exit 2). */
export async function loadPricesFile(path: string): Promise<ModelOverride[]> {
  return parsePricesText(await readInputText(path, '--prices', INPUT_LIMITS.prices), path);
}
