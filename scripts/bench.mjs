// Runs the benchmarks under tsx after a build (activation is measured on the built bundle).
import { execFileSync, spawnSync } from 'node:child_process';
execFileSync(process.execPath, ['esbuild.mjs', '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/bench/index.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
