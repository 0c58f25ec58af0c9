import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { panelCsp, panelShell } from '../../../src/webview/htmlShell';

const root = join(__dirname, '..', '..', '..');

describe('panel HTML shell', () => {
  const html = panelShell({ cspSource: 'vscode-resource:', nonce: 'N0nce', asset: (...p) => `vscode-resource:/${p.join('/')}` });

  it('carries the strict CSP: nothing by default, styles and fonts from the extension, nonce scripts, no unsafe-*', () => {
    assert.equal(panelCsp('S', 'N'), "default-src 'none'; style-src S; font-src S; img-src S data:; script-src 'nonce-N'");
    assert.ok(html.includes(`content="${panelCsp('vscode-resource:', 'N0nce')}"`));
    assert.doesNotMatch(html, /unsafe-|style=|<style/);
    const scripts = [...html.matchAll(/<script[^>]*>/g)].map((m) => m[0]);
    assert.ok(scripts.length >= 1 && scripts.every((s) => s.includes('nonce="N0nce"') && s.includes(' src=')), scripts.join('\n'));
  });

  it('links only files that are built or copied and packaged (uPlot\'s css included)', () => {
    const allowed = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n');
    const build = readFileSync(join(root, 'esbuild.mjs'), 'utf8');
    const files = [...html.matchAll(/(?:href|src)="vscode-resource:\/([^"]+)"/g)].map((m) => m[1] as string);
    assert.ok(files.includes('dist/uplot/uPlot.min.css'));
    for (const f of files) {
      const packaged = allowed.includes(`!${f}`) || allowed.some((a) => a.endsWith('/**') && f.startsWith(a.slice(1, -2)));
      assert.ok(packaged, `${f} is in the .vscodeignore allow-list`);
      if (f.startsWith('dist/') && f !== 'dist/webview.js') assert.ok(build.includes(`dist/${f.split('/')[1]}`), `${f} is copied by esbuild.mjs`);
    }
  });
});
