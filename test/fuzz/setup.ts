// Defaults for every fast-check property in the fuzz tier (a property may still set its own):
// a fixed number of runs keeps the tier's time bounded; the seed is random unless PCL_FUZZ_SEED
// is set, and a failure prints the seed (and path) that replays it.
import fc from 'fast-check';

function fromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer, got "${raw}"`);
  return n;
}

const seed = fromEnv('PCL_FUZZ_SEED');
fc.configureGlobal({ numRuns: fromEnv('PCL_FUZZ_RUNS') ?? 200, ...(seed === undefined ? {} : { seed }) });
