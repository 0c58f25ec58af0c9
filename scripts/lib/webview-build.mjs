// The webview bundle's esbuild options, shared by esbuild.mjs and the panel's Chromium tests and
// bench (test/support/panelPage.ts), so what is tested and measured is what ships.
export const WEBVIEW_BUILD = {
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  legalComments: 'none',
  keepNames: true,
  entryPoints: { webview: 'src/webview-ui/main.ts' },
};
