import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Where a CLI command writes; tests pass buffers, the binary passes the process streams. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** All of stdin as UTF-8; throws CliError once it goes over `maxBytes` (without reading the rest). */
  readStdin: (maxBytes: number) => Promise<string>;
}

/** A usage or input error: printed as one line on stderr, exit code 2. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

export type CliCommand = (argv: string[], io: CliIO) => Promise<number>;

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict flag parsing: an unknown flag or a missing value is a CliError naming it. */
export function parseFlags<O extends Options>(argv: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new CliError((err as Error).message.replace(/\s+/g, ' ').trim());
  }
}

export function printJson(io: CliIO, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
