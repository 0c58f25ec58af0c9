// Drives a real VS Code workbench (code-server) in headless Chromium with the packaged .vsix
// installed, the way a user would: palette, status bar, editor, panel.
import { cpSync, mkdirSync, mkdtempSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Browser, FrameLocator, Page } from 'playwright-core';

const root = resolve(__dirname, '..', '..');

interface Sandbox {
  root: string;
  env: NodeJS.ProcessEnv;
  dispose(): void;
}
interface CodeServerLib {
  makeSandbox(prefix?: string): Sandbox;
  writeUserSettings(s: Sandbox, extra?: Record<string, unknown>): void;
  installExtension(s: Sandbox, vsix: string): void;
  startCodeServer(s: Sandbox, o?: object): Promise<{ url: string; stop(): Promise<void> }>;
}
interface ChromiumLib {
  launchBrowser(s: Sandbox): Promise<{ browser: Browser; context: import('playwright-core').BrowserContext; blocked: string[] }>;
}

export const resultsDir = join(root, 'test-results');

export function packageVsix(): string {
  if (process.env.PCL_VSIX && existsSync(process.env.PCL_VSIX)) return process.env.PCL_VSIX;
  const out = join(mkdtempSync(join(tmpdir(), 'pcl-vsix-')), 'prompt-cache-lab.vsix');
  execFileSync(process.execPath, ['scripts/package.mjs', out], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}

export class Workbench {
  page!: Page;
  blocked: string[] = [];
  workspace = '';
  private browser?: Browser;
  private stopServer?: () => Promise<void>;
  private sandbox?: Sandbox;

  /** `files` are written into the workspace copy; `settings` join the quiet user settings. */
  async start(vsix: string, extra: { settings?: Record<string, unknown>; files?: Record<string, string> } = {}): Promise<void> {
    const cs = (await import(join(root, 'scripts/lib/code-server.mjs'))) as CodeServerLib;
    const chromium = (await import(join(root, 'scripts/lib/chromium.mjs'))) as ChromiumLib;
    this.sandbox = cs.makeSandbox('pcl-e2e-');
    this.workspace = join(this.sandbox.root, 'workspace');
    cpSync(join(root, 'test', 'fixtures', 'workspace'), this.workspace, { recursive: true });
    for (const [rel, text] of Object.entries(extra.files ?? {})) {
      mkdirSync(dirname(join(this.workspace, rel)), { recursive: true });
      writeFileSync(join(this.workspace, rel), text);
    }
    cs.writeUserSettings(this.sandbox, { 'workbench.colorTheme': 'Default Dark Modern', 'promptCacheLab.tokenCount.debounceMs': 100, ...extra.settings });
    cs.installExtension(this.sandbox, vsix);
    const server = await cs.startCodeServer(this.sandbox);
    this.stopServer = server.stop;
    const { browser, context, blocked } = await chromium.launchBrowser(this.sandbox);
    this.browser = browser;
    this.blocked = blocked;
    this.page = await context.newPage();
    await this.page.goto(`${server.url}/?folder=${encodeURIComponent(this.workspace)}`);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await this.statusBar().waitFor({ timeout: 30000 });
  }

  statusBar() {
    return this.page.locator('#workbench\\.parts\\.statusbar');
  }

  async runCommand(title: string): Promise<void> {
    await this.page.locator('.monaco-workbench').click({ position: { x: 600, y: 400 } });
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 20000 });
    await this.page.keyboard.press('Enter');
  }

  /** Answers an input box (e.g. the message of "Send Message with Active Prompt"); with `title`, only once that box (not the closing palette) is shown. */
  async answerInputBox(text: string, title?: string): Promise<void> {
    if (title) await this.page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout: 20000 });
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(text);
    await this.page.keyboard.press('Enter');
  }

  async openFile(name: string): Promise<void> {
    // Quick Open needs the workbench focused (after a reload nothing is).
    await this.page.locator('.monaco-workbench').click({ position: { x: 600, y: 400 } });
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(name);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: name.split('/').pop() ?? name }).first().waitFor({ timeout: 20000 });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.monaco-editor .view-lines').first().waitFor();
  }

  /** The number in the status bar's "≈N tokens" item. */
  async tokenCount(): Promise<number | undefined> {
    const text = await this.statusBar().innerText();
    const m = text.match(/≈([\d,]+) tokens/);
    return m ? Number(m[1]?.replace(/,/g, '')) : undefined;
  }

  panelFrame(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(resultsDir, { recursive: true });
    const file = join(resultsDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async stop(): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    await this.stopServer?.();
    this.sandbox?.dispose();
  }
}
