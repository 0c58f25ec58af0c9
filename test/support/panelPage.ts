// The panel's browser side in real Chromium: the webview bundle built with esbuild, served with
// the production HTML shell and CSP (src/webview/htmlShell.ts) from 127.0.0.1, and a stand-in
// for acquireVsCodeApi that records what the panel posts. Used by the Chromium tests and the
// panel bench. The bundle goes to a temporary folder, so dist/ (which other tests read) is left alone.
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { panelShell } from '../../src/webview/htmlShell';

const root = resolve(__dirname, '..', '..');

interface ChromiumLib {
  chromiumPath(): string;
  launchBrowser(s: { root: string; env: NodeJS.ProcessEnv }): Promise<{ browser: Browser; context: BrowserContext; blocked: string[] }>;
}

/** Whether Chromium can run here; CI installs it, so only a local run may skip. */
export function chromiumAvailable(): boolean {
  return !!process.env.CHROMIUM || existsSync('/usr/bin/chromium') || existsSync('/usr/bin/chromium-browser');
}

/** Builds the webview bundle with esbuild.mjs's options (scripts/lib/webview-build.mjs); `minify` for size figures. */
export async function buildWebview(outdir: string, minify = false): Promise<string> {
  const esbuild = await import('esbuild');
  const { WEBVIEW_BUILD } = (await import(join(root, 'scripts/lib/webview-build.mjs'))) as { WEBVIEW_BUILD: import('esbuild').BuildOptions };
  await esbuild.build({ ...WEBVIEW_BUILD, absWorkingDir: root, outdir, minify, logLevel: 'warning' });
  return join(outdir, 'webview.js');
}

// The stand-in for the VS Code webview API, plus a Dark Modern-like theme so screenshots look
// like the real panel (the shell's CSP allows this stylesheet: it comes from the same origin).
const STUB = `(() => {
  window.__posted = [];
  // VS Code keeps a webview's state across reloads of the page; sessionStorage does here.
  const saved = sessionStorage.getItem('vscodeState');
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(m),
    getState: () => (saved ? JSON.parse(saved) : undefined),
    setState: (s) => sessionStorage.setItem('vscodeState', JSON.stringify(s)),
  });
  const link = document.createElement('link');
  link.rel = 'stylesheet'; link.id = 'theme'; link.href = '/test/theme-dark.css';
  document.head.append(link);
  document.body.classList.add('vscode-dark');
  // Resolves once the page has dispatched them all: a sentinel posted last arrives last.
  window.__deliver = (ms) => new Promise((done) => {
    const f = (e) => { if (e.data === '__sent') { removeEventListener('message', f); done(); } };
    addEventListener('message', f);
    for (const m of ms) window.postMessage(m, '*');
    window.postMessage('__sent', '*');
  });
  // For the bench: time to handle the messages, to a clean layout, and to the next frame.
  window.__time = async (ms) => {
    const t0 = performance.now();
    await window.__deliver(ms);
    const handled = performance.now() - t0;
    void document.body.offsetHeight;
    const layout = performance.now() - t0;
    await new Promise((r) => requestAnimationFrame(() => r()));
    const frame = performance.now() - t0;
    // The map and charts draw in a later task; "settled" is when they are done and painted.
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => requestAnimationFrame(() => r()));
    return { handled, layout, frame, settled: performance.now() - t0 };
  };
})();`;

const THEMES: Record<string, string> = {
  dark: `body { --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: monospace; --vscode-editor-font-size: 12px; --vscode-foreground: #cccccc; --vscode-descriptionForeground: #9d9d9d; --vscode-editor-background: #1f1f1f; --vscode-sideBar-background: #181818; --vscode-panel-border: #2b2b2b; --vscode-widget-border: #313131; --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #026ec1; --vscode-button-secondaryBackground: #313131; --vscode-button-secondaryForeground: #cccccc; --vscode-button-secondaryHoverBackground: #3c3c3c; --vscode-input-background: #313131; --vscode-input-foreground: #cccccc; --vscode-input-border: #3c3c3c; --vscode-focusBorder: #0078d4; --vscode-textLink-foreground: #4daafc; --vscode-textCodeBlock-background: #2b2b2b; --vscode-errorForeground: #f85149; --vscode-editorWarning-foreground: #cca700; --vscode-badge-background: #616161; --vscode-badge-foreground: #f8f8f8; --vscode-progressBar-background: #0078d4; --vscode-charts-blue: #3794ff; --vscode-charts-orange: #d18616; --vscode-charts-green: #89d185; --vscode-charts-red: #f14c4c; --vscode-charts-purple: #b180d7; --vscode-charts-yellow: #cca700; --vscode-editorWidget-border: #454545; }`,
  light: `body { --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: monospace; --vscode-foreground: #3b3b3b; --vscode-descriptionForeground: #717171; --vscode-editor-background: #ffffff; --vscode-panel-border: #e5e5e5; --vscode-button-background: #005fb8; --vscode-button-foreground: #ffffff; --vscode-input-background: #ffffff; --vscode-input-foreground: #3b3b3b; --vscode-charts-blue: #1a85ff; --vscode-charts-orange: #d18616; --vscode-charts-green: #388a34; --vscode-charts-red: #e51400; --vscode-charts-purple: #652d90; --vscode-editorWidget-border: #c8c8c8; --vscode-widget-border: #e5e5e5; --vscode-sideBar-background: #f8f8f8; --vscode-button-secondaryBackground: #e5e5e5; --vscode-button-secondaryForeground: #3b3b3b; --vscode-input-border: #cecece; --vscode-textCodeBlock-background: #f0f0f0; --vscode-textLink-foreground: #005fb8; --vscode-focusBorder: #005fb8; --vscode-errorForeground: #e51400; --vscode-editorWarning-foreground: #bf8803; --vscode-badge-background: #cccccc; --vscode-badge-foreground: #3b3b3b; --vscode-editor-font-size: 12px; }`,
};

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html' };

function serve(bundleDir: string): Promise<{ server: Server; origin: string }> {
  const files: Record<string, string> = {
    '/dist/webview.js': join(bundleDir, 'webview.js'),
    '/dist/codicons/codicon.css': join(root, 'node_modules/@vscode/codicons/dist/codicon.css'),
    '/dist/codicons/codicon.ttf': join(root, 'node_modules/@vscode/codicons/dist/codicon.ttf'),
    '/dist/uplot/uPlot.min.css': join(root, 'node_modules/uplot/dist/uPlot.min.css'),
    '/media/panel.css': join(root, 'media/panel.css'),
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const theme = /^\/test\/theme-(\w+)\.css$/.exec(path)?.[1];
    let body: string | Buffer | undefined;
    if (path === '/') body = panelShell({ cspSource: origin, nonce: 'testnonce123', asset: (...p) => `${origin}/${p.join('/')}`, prelude: `${origin}/test/stub.js` });
    else if (path === '/test/stub.js') body = STUB;
    else if (theme && THEMES[theme]) body = THEMES[theme];
    else if (files[path]) body = readFileSync(files[path] as string);
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': path === '/' ? 'text/html' : (TYPES[extname(path)] ?? 'application/octet-stream') }).end(body);
  });
  let origin = '';
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ok({ server, origin });
  }));
}

export interface PanelPage {
  page: Page;
  /** CSP violations seen by the page (event listener from before any script) and in the console. */
  violations(): Promise<string[]>;
  posted(): Promise<unknown[]>;
  /** Delivers host messages the way VS Code does: `message` events on the window. */
  send(...messages: unknown[]): Promise<void>;
  reload(): Promise<void>;
  close(): Promise<void>;
}

export async function openPanel(): Promise<PanelPage> {
  const tmp = mkdtempSync(join(tmpdir(), 'pcl-panel-'));
  await buildWebview(join(tmp, 'bundle'));
  const { server, origin } = await serve(join(tmp, 'bundle'));
  const chromium = (await import(join(root, 'scripts/lib/chromium.mjs'))) as ChromiumLib;
  const { browser, context } = await chromium.launchBrowser({ root: tmp, env: process.env });
  // Runs before any page script: catches a violation even in <head>.
  await context.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const consoleCsp: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) consoleCsp.push(m.text());
  });
  const load = async () => {
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => (window as unknown as { __posted?: unknown[] }).__posted?.length);
  };
  await load();
  return {
    page,
    violations: async () => [...(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)), ...consoleCsp],
    posted: () => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted),
    // Then one task and a frame, so the parts drawn after a message (map, charts) are there too.
    send: async (...messages) => {
      await page.evaluate((ms) => (window as unknown as { __deliver(m: unknown[]): Promise<void> }).__deliver(ms), messages);
      await page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
    },
    reload: load,
    close: async () => {
      await browser.close();
      server.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
