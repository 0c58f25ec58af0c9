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

/** Polls `probe` until it gives a value (never a fixed sleep: a loaded machine only makes it slower). */
export async function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A free TCP port on 127.0.0.1 (e.g. for promptCacheLab.metrics.port). */
export async function freePort(): Promise<number> {
  const cs = (await import(join(root, 'scripts/lib/code-server.mjs'))) as { freePort(): Promise<number> };
  return cs.freePort();
}

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

  /** Runs a palette command; `keepFocus` leaves the focus where it is (e.g. in the panel, for a command on its editor group). */
  async runCommand(title: string, { keepFocus = false } = {}): Promise<void> {
    if (!keepFocus) await this.page.locator('.monaco-workbench').click({ position: { x: 600, y: 400 } });
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

  /** Picks the row of the open quick pick that shows `label`; returns the row's whole text (label and detail). */
  async pickQuickItem(label: string): Promise<string> {
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ timeout: 20000 });
    const text = await row.innerText();
    await row.click();
    return text;
  }

  /** Clicks `button` on the notification that says `text` (e.g. a question asked by a command). */
  async answerNotification(text: string, button: string): Promise<void> {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    await toast.locator('.monaco-button', { hasText: button }).first().click({ timeout: 20000 });
  }

  /** Waits for a notification saying `text` and returns its text; then clears every notification (so none covers the panel). */
  async notification(text: string | RegExp): Promise<string> {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    await toast.waitFor({ timeout: 20000 });
    const said = await toast.innerText();
    await this.runCommand('Notifications: Clear All Notifications');
    await toast.waitFor({ state: 'detached', timeout: 10000 });
    return said;
  }

  /** The session item's text, e.g. "78% hit · $0.042 · saved $0.31" or "no requests yet" (its icon renders apart; spaces may be no-break spaces). */
  async sessionStatus(): Promise<string | undefined> {
    const text = (await this.statusBar().innerText()).replace(/\u00a0/g, ' ');
    return text.match(/\d+% hit · ≈?\$[\d.]+ · saved ≈?-?\$[\d.]+|no requests yet/)?.[0];
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
