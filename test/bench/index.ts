// npm run bench: runs every bench/*.bench.ts and prints one JSON object per line.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

interface BenchModule {
  run: () => Promise<Array<Record<string, unknown>>>;
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => !only || f.startsWith(only))
    .sort();
  for (const f of files) {
    const mod = (await import(join(__dirname, f))) as BenchModule;
    for (const line of await mod.run()) process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}

void main();
