// npm run package: a production build, then prompt-cache-lab-<version>.vsix via vsce.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const out = process.argv[2] ?? `${pkg.name}-${pkg.version}.vsix`;
execFileSync(process.execPath, ['esbuild.mjs', '--production', '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
execFileSync(
  process.execPath,
  ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '--out', out],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
console.log(`${out} (${(statSync(out).size / 1024).toFixed(0)} KiB)`);
