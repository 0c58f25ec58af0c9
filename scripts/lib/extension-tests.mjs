// Runs mocha tests inside a real VS Code extension host (code-server), reporting through the
// smoke-test driver hooks the workbench calls: codeAutomationLog and codeAutomationExit.
import { format } from 'node:util';
import { makeSandbox, startCodeServer, writeUserSettings } from './code-server.mjs';
import { launchBrowser } from './chromium.mjs';

async function remoteAuthority(url) {
  const html = await (await fetch(`${url}/`)).text();
  const m = html.match(/id="vscode-workbench-web-configuration"\s+data-settings="([^"]*)"/);
  if (!m) throw new Error('workbench configuration not found in the code-server page');
  const json = m[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return JSON.parse(json).remoteAuthority;
}

// Built workbenches ignore the test payload unless the smoke-test driver is enabled.
const ENABLE_DRIVER = `(() => {
  const patch = (el) => {
    try {
      const s = JSON.parse(el.getAttribute('data-settings'));
      s.developmentOptions = { ...(s.developmentOptions || {}), enableSmokeTestDriver: true };
      el.setAttribute('data-settings', JSON.stringify(s));
      return true;
    } catch { return false; }
  };
  const find = () => document.getElementById('vscode-workbench-web-configuration');
  const el = find();
  if (el && patch(el)) return;
  const obs = new MutationObserver(() => { const e = find(); if (e && patch(e)) obs.disconnect(); });
  obs.observe(document, { childList: true, subtree: true });
})();`;

// The workbench forwards its own console too; these lines are its start-up chatter, not tests.
const WORKBENCH_NOISE =
  /^(Resolving connection token|Resolved connection token|Creating a socket|\[reconnection-grace-time\]|Ignoring fetching additional builtin|\[AgentHost|\[AccountPolicyGate\]|\[Service Worker\]|Timed out waiting for authentication provider|\s+at )/;

/**
 * Opens `workspace` in code-server with the extension at `extensionPath` under development and
 * runs the test module at `testsPath`. Resolves to the exit code (0 = all passed).
 */
export async function runExtensionTests({ extensionPath, testsPath, workspace, timeoutMs = 300000, settings = {}, env = {} }) {
  const sandbox = makeSandbox('pcl-it-');
  Object.assign(sandbox.env, env);
  writeUserSettings(sandbox, settings);
  let stopServer;
  let browser;
  const cleanUp = async () => {
    await browser?.close().catch(() => {});
    await stopServer?.();
    sandbox.dispose();
  };
  const onSignal = () => cleanUp().then(() => process.exit(130));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, onSignal);
  try {
    const server = await startCodeServer(sandbox, {
      log: (l) => process.env.PCL_DEBUG && process.stderr.write(`[code-server] ${l}`),
      onSpawn: (s) => (stopServer = s),
    });
    const launched = await launchBrowser(sandbox);
    browser = launched.browser;
    const { context, blocked } = launched;
    const auth = await remoteAuthority(server.url);
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${auth}${extensionPath}`],
      ['extensionTestsPath', `vscode-remote://${auth}${testsPath}`],
    ];
    const page = await context.newPage();
    await page.addInitScript(ENABLE_DRIVER);
    let resolveExit;
    const exited = new Promise((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      // The host's mocha may colour its output; this goes to a log, not a terminal.
      const line = format(...(Array.isArray(args) ? args : [args])).replace(/\x1b\[[0-9;]*m/g, '');
      if (!process.env.PCL_DEBUG && WORKBENCH_NOISE.test(line)) return;
      (type === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
    const q = new URLSearchParams({ folder: workspace, payload: JSON.stringify(payload) });
    await page.goto(`${server.url}/?${q.toString()}`);
    const timer = new Promise((r) => setTimeout(() => r('timeout'), timeoutMs));
    const t0 = Date.now();
    const code = await Promise.race([exited, timer]);
    if (process.env.PCL_DEBUG) process.stderr.write(`tests finished after ${Date.now() - t0} ms\n`);
    if (code === 'timeout') {
      process.stderr.write(`extension host tests did not finish within ${timeoutMs / 1000}s\n`);
      return 1;
    }
    if (blocked.length) process.stderr.write(`blocked non-local requests: ${blocked.join(', ')}\n`);
    return Number(code);
  } finally {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(signal, onSignal);
    await cleanUp();
  }
}
