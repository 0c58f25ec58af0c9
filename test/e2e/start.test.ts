// `npm start` as a user runs it: in a terminal, with the workbench open in a browser, stopped with
// Ctrl+C. The README promises that this stops everything and removes the throw-away folder. The
// terminal is a real pseudo-terminal (util-linux `script`) and Ctrl+C is the ^C byte typed into
// it, so the kernel signals the whole foreground process group (npm, sh, node) as a terminal does.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { killLeftovers, processesUnder, type Proc } from './processes';

const root = resolve(__dirname, '..', '..');

interface Sandbox {
  root: string;
  env: NodeJS.ProcessEnv;
  dispose(): void;
}
interface Libs {
  makeSandbox(prefix?: string): Sandbox;
  freePort(): Promise<number>;
  launchBrowser(s: Sandbox): Promise<{ browser: Browser; context: import('playwright-core').BrowserContext }>;
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const list = (ps: Proc[]) => ps.map((p) => `${p.pid} ${p.cmd.slice(0, 160)}`).join('\n  ');

describe('npm start in a terminal', function () {
  this.timeout(90000);
  // Everything npm start creates lands in this folder (TMPDIR), and its processes carry that TMPDIR.
  let tmp = '';
  let browserSandbox: Sandbox | undefined;
  let browser: Browser | undefined;
  let seen: Proc[] = [];

  before(function () {
    if (!existsSync('/usr/bin/script') || !existsSync('/proc/self/environ')) this.skip();
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    browserSandbox?.dispose();
    killLeftovers([...seen, ...(tmp ? processesUnder(tmp) : [])]);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('Ctrl+C stops npm, code-server and the extension host and removes the throw-away folder', async () => {
    const libs = {
      ...((await import(join(root, 'scripts/lib/code-server.mjs'))) as object),
      ...((await import(join(root, 'scripts/lib/chromium.mjs'))) as object),
    } as Libs;
    tmp = mkdtempSync(join(tmpdir(), 'pcl-start-test-'));
    const port = await libs.freePort();
    const env = { ...process.env, TMPDIR: tmp, PORT: String(port), SHELL: '/bin/sh' };
    // -q no banner, -f flush at once, -e exit with the command's status, -c the command.
    const terminal = spawn('script', ['-qfec', 'npm start', '/dev/null'], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    terminal.stdout.on('data', (d) => (output += String(d)));
    terminal.stderr.on('data', (d) => (output += String(d)));
    const closed = new Promise<number | null>((r) => terminal.once('close', (code) => r(code)));

    const ready = await until('"Press Ctrl+C to stop." from npm start', () => (/Press Ctrl\+C to stop\./.test(output) ? output : undefined), 60000).catch((err: Error) => {
      throw new Error(`${err.message}; it printed:\n${output}`);
    });
    const url = /(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)/.exec(ready)?.[1];
    const workspace = /Sample workspace \(a throw-away copy\): (\S+)/.exec(ready)?.[1];
    assert.ok(url && workspace, `npm start printed its URL and folder:\n${ready}`);
    const folder = dirname(workspace);
    assert.ok(folder.startsWith(`${tmp}/`) && existsSync(workspace), `the throw-away folder ${folder} is in TMPDIR`);

    // Open the workbench, so the extension host and the servers it starts are running as well.
    browserSandbox = libs.makeSandbox('pcl-e2e-start-browser-');
    const launched = await libs.launchBrowser(browserSandbox);
    browser = launched.browser;
    const page = await launched.context.newPage();
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await until('the extension host', () => processesUnder(tmp).find((p) => p.cmd.includes('--type=extensionHost')), 30000);
    seen = processesUnder(tmp);
    assert.ok(seen.some((p) => p.cmd.includes('scripts/start.mjs')), `npm start's node is found:\n  ${list(seen)}`);

    terminal.stdin.write('\x03'); // Ctrl+C, typed into the terminal
    await until('the terminal to close', () => (terminal.exitCode !== null || terminal.signalCode !== null ? true : undefined), 15000);
    await closed;
    const gone = () => (!existsSync(folder) && processesUnder(tmp).length === 0 ? true : undefined);
    await until('the folder to be removed and every process to exit', gone, 15000).catch((err: Error) => {
      throw new Error(`${err.message}; folder exists: ${existsSync(folder)}; running:\n  ${list(processesUnder(tmp))}\nnpm start printed:\n${output}`);
    });
    // A process that escaped the stop could still re-create files a moment later.
    await new Promise((r) => setTimeout(r, 2000));
    assert.deepEqual(readdirSync(tmp), [], 'nothing was left or re-created in TMPDIR');
    assert.deepEqual(processesUnder(tmp), [], 'no process of npm start is left');
  });
});
