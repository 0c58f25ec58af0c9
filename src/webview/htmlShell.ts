// The panel's HTML shell and its CSP, without VS Code: html.ts fills in the webview's URIs, and
// the Chromium tests load the very same page (same CSP) from a local server.
export interface ShellInput {
  /** `webview.cspSource`: the only origin styles, fonts and images may come from. */
  cspSource: string;
  nonce: string;
  /** URI of an extension file, e.g. asset('dist', 'webview.js'). */
  asset: (...path: string[]) => string;
  /** A script to run first (tests: a stand-in for acquireVsCodeApi); carries the same nonce. */
  prelude?: string;
}

export function panelCsp(cspSource: string, nonce: string): string {
  return ["default-src 'none'", `style-src ${cspSource}`, `font-src ${cspSource}`, `img-src ${cspSource} data:`, `script-src 'nonce-${nonce}'`].join('; ');
}

export function panelShell({ cspSource, nonce, asset, prelude }: ShellInput): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${panelCsp(cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('dist', 'codicons', 'codicon.css')}">
<link rel="stylesheet" href="${asset('dist', 'uplot', 'uPlot.min.css')}">
<link rel="stylesheet" href="${asset('media', 'panel.css')}">
<title>Prompt Cache Lab</title>
</head>
<body>
<main id="app"><p class="muted">Loading…</p></main>
${prelude ? `<script nonce="${nonce}" src="${prelude}"></script>\n` : ''}<script nonce="${nonce}" src="${asset('dist', 'webview.js')}"></script>
</body>
</html>`;
}
