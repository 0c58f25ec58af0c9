// Builds every bundle into dist/: the extension host (cjs, `vscode` external), the webview UI
// (browser), the CLI and the tokenizer worker. Flags: --watch, --production, --tests (also the
// integration test bundle, into dist/test).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, rmSync, existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const tests = process.argv.includes('--tests');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };

/** @type {esbuild.BuildOptions[]} */
const builds = [
  { ...node, entryPoints: { extension: 'src/host/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  { ...node, entryPoints: { tokenWorker: 'src/core/tokens/worker.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: { webview: 'src/webview-ui/main.ts' },
    outdir: 'dist',
  },
];
if (tests) {
  builds.push({
    ...node,
    entryPoints: { 'test/integration/index': 'test/integration/index.ts' },
    outdir: 'dist',
    external: ['vscode', 'mocha'],
  });
}

function copyAssets() {
  mkdirSync('dist/codicons', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) {
    cpSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/codicons/${f}`);
  }
}

if (!watch && existsSync('dist')) rmSync('dist', { recursive: true, force: true });
copyAssets();
if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
