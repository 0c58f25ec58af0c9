// The size limit for prompt files and the tools and context files they name: one figure
// (`promptCacheLab.prompts.maxFileBytes` in the extension, `--max-file-bytes` in `check`), one
// wording, so a refused file always says its size, the limit and how to raise it.

/** Default limit: 2 MB, far above any prompt worth caching, small enough that one file cannot stall a scan. */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface SizeLimit {
  maxBytes: number;
  /** How to raise it, e.g. "the setting promptCacheLab.prompts.maxFileBytes" or "--max-file-bytes". */
  raise: string;
}

export const SETTING_LIMIT_HINT = 'the setting promptCacheLab.prompts.maxFileBytes';

const fmt = (n: number) => n.toLocaleString('en-US');

/** "2.4 MB (2,516,582 bytes)", "512 KB (524,288 bytes)", "900 bytes". */
export function bytesWithUnit(n: number): string {
  if (n < 1024) return `${fmt(n)} bytes`;
  const [value, unit] = n < 1024 ** 2 ? [n / 1024, 'KB'] : n < 1024 ** 3 ? [n / 1024 ** 2, 'MB'] : [n / 1024 ** 3, 'GB'];
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${shown} ${unit} (${fmt(n)} bytes)`;
}

/** A limit the settings may hold: a positive integer, else the default. */
export function validLimit(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : DEFAULT_MAX_FILE_BYTES;
}

/** Without a final period: callers append their own punctuation. */
export function overLimitMessage(what: string, size: number, limit: SizeLimit): string {
  return `${what} is ${bytesWithUnit(size)}, over the ${bytesWithUnit(limit.maxBytes)} limit, so it is not read; to read it, raise ${limit.raise}`;
}
