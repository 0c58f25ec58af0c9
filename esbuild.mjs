// Builds every bundle into dist/: the extension host (cjs, `vscode` external), the webview UI
// (browser), the CLI and the engine worker. Flags: --watch, --production, --tests (also the
// integration test bundle, into dist/test).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { WEBVIEW_BUILD } from './scripts/lib/webview-build.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const tests = process.argv.includes('--tests');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: process.argv.includes('--quiet') ? 'warning' : 'info',
  legalComments: 'none',
  // Errors are told apart by class name (backends/errors.ts); bundling renames colliding classes
  // (the SDK's APIConnectionError became APIConnectionError2, so a refused connection was "unknown").
  keepNames: true,
};

// The o200k ranks (2.3 MB) ship once, as dist/ranks/o200k_base.cjs, loaded on first count by
// whichever bundle counts (worker, CLI, planner) instead of being inlined into each.
const sharedRanks = (fromBundleDir = '.') => ({
  name: 'shared-ranks',
  setup(build) {
    build.onResolve({ filter: /^js-tiktoken\/ranks\/o200k_base$/ }, () => ({ path: `${fromBundleDir}/ranks/o200k_base.cjs`, external: true }));
  },
});

const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', plugins: [sharedRanks()] };

// The extension loads src/backends/bundle.ts as the separate dist/backends.js on first request,
// and src/node/bundle.ts (ledger file, agent tools) as dist/node.js once a session starts.
const lazyBackends = {
  name: 'lazy-backends',
  setup(build) {
    build.onResolve({ filter: /\/backends\/bundle$/ }, () => ({ path: './backends.js', external: true }));
    build.onResolve({ filter: /\/node\/bundle$/ }, () => ({ path: './node.js', external: true }));
  },
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  { ...node, entryPoints: { extension: 'src/host/extension.ts' }, outdir: 'dist', external: ['vscode'], plugins: [sharedRanks(), lazyBackends] },
  { ...node, entryPoints: { backends: 'src/backends/bundle.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { node: 'src/node/bundle.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { engineWorker: 'src/node/engineWorker.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { emulatorWorker: 'src/backends/emulator/workerEntry.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  { ...common, ...WEBVIEW_BUILD, outdir: 'dist' },
];
if (tests) {
  builds.push({
    ...node,
    entryPoints: { 'test/integration/index': 'test/integration/index.ts' },
    outdir: 'dist',
    external: ['vscode', 'mocha'],
    plugins: [sharedRanks('../..')],
  });
}

function copyAssets() {
  mkdirSync('dist/ranks', { recursive: true });
  cpSync('node_modules/js-tiktoken/dist/ranks/o200k_base.cjs', 'dist/ranks/o200k_base.cjs');
  mkdirSync('dist/codicons', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) {
    cpSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/codicons/${f}`);
  }
  // uPlot's layout css (legend, cursor, title) is loaded as a stylesheet from the extension: the
  // panel's CSP allows styles from there only.
  mkdirSync('dist/uplot', { recursive: true });
  cpSync('node_modules/uplot/dist/uPlot.min.css', 'dist/uplot/uPlot.min.css');
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
