// The one mapping from a thrown error to what the CLI prints and its exit code. Bad input is
// always one line and exit 2; only a bug in the CLI itself is exit 1, and says so.
import { CacheControlError } from '../core/cache/simulator';
import { UsageError } from '../core/cost/usage';
import { PricesFileError } from '../core/models/overrides';
import { UnknownModelError, UnpricedModelError } from '../core/models/table';
import { PlanError } from '../core/ports';
import { FileRefusedError } from '../core/registry/resolve';
import { TraceError } from '../core/strategies/trace';
import { CliError } from './io';

/** Engine errors that mean "the input is wrong": each is raised where the input is validated. */
const INPUT_ERRORS = [UsageError, TraceError, PricesFileError, UnknownModelError, UnpricedModelError, CacheControlError, PlanError, FileRefusedError];

/** Messages may list several problems on several lines; the CLI prints them as one line. */
export function oneLine(message: string): string {
  return message.trim().replace(/\s*\n\s*/g, '; ');
}

export function exitFor(err: unknown): { code: number; message: string } {
  if (err instanceof CliError) return { code: err.exitCode, message: oneLine(err.message) };
  if (INPUT_ERRORS.some((k) => err instanceof k)) return { code: 2, message: oneLine((err as Error).message) };
  const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { code: 1, message: `internal error (a bug in prompt-cache-lab, please report it): ${oneLine(what)}` };
}
