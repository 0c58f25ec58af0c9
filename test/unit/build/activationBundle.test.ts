// What dist/extension.js may contain: activation must not parse the heavy modules that only a
// request, a session or the panel's template inputs need (they load from dist/backends.js and
// dist/node.js on first use, or run in the engine worker). A new import from the host that drags
// one in fails here, before the activation bench notices.
import { strict as assert } from 'node:assert';
import * as esbuild from 'esbuild';

// As esbuild.mjs: the lazy bundles and the o200k ranks (dist/ranks) are separate files.
const LAZY = /\/(backends|node)\/bundle$|^js-tiktoken\/ranks\//;
// js-tiktoken's small lite module may stay (required on the first count, never at activation).
const HEAVY = ['yaml', 'nunjucks', 'mustache', 'gpt-tokenizer', '@anthropic-ai/sdk', 'prom-client', 'marked', 'dompurify', 'uplot'];

describe('the activation bundle', () => {
  it('keeps the YAML parser, template engines, the SDK, metrics and webview libraries out of dist/extension.js', async function () {
    this.timeout(60_000);
    const r = await esbuild.build({
      entryPoints: ['src/host/extension.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['vscode'],
      metafile: true,
      write: false,
      outfile: 'out.js',
      logLevel: 'silent',
      plugins: [{ name: 'lazy', setup: (b) => b.onResolve({ filter: LAZY }, (a) => ({ path: a.path, external: true })) }],
    });
    const packages = new Set(Object.keys(r.metafile.inputs).map((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1]).filter((p): p is string => !!p));
    assert.deepEqual(HEAVY.filter((p) => packages.has(p)), [], `in the activation bundle: ${[...packages].join(', ')}`);
  });
});
