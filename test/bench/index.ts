// npm run bench [-- <name-prefix>] [-- --smoke]: runs every bench/*.bench.ts and prints one JSON
// object per line. `--smoke` (what CI runs) takes few iterations through the same code paths, so a
// bench that breaks fails CI; its figures are not measurements.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchOptions {
  smoke: boolean;
}

interface BenchModule {
  run: (opts: BenchOptions) => Promise<Array<Record<string, unknown>>>;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opts: BenchOptions = { smoke: args.includes('--smoke') };
  const only = args.find((a) => !a.startsWith('--'));
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => !only || f.startsWith(only))
    .sort();
  for (const f of files) {
    const mod = (await import(join(__dirname, f))) as BenchModule;
    for (const line of await mod.run(opts)) process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
