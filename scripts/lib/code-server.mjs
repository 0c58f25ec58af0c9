// Runs code-server (a real VS Code) in a throw-away folder: nothing is written to $HOME and the
// whole process group is stopped on exit, so no late tsserver re-creates files after clean-up.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer } from './code-server-install.mjs';

const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'git.enabled': false,
  'npm.fetchOnlinePackageInfo': false,
  'json.schemaDownload.enable': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'workbench.tips.enabled': false,
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh sandbox folder with the XDG/TMP variables that keep VS Code and Chromium inside it. */
export function makeSandbox(prefix = 'pcl-vscode-') {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const dirs = { root, user: join(root, 'user'), ext: join(root, 'ext'), tmp: join(root, 'tmp') };
  for (const d of [dirs.user, dirs.ext, dirs.tmp, join(root, 'xdg-data'), join(root, 'xdg-config'), join(root, 'xdg-cache')]) {
    mkdirSync(d, { recursive: true });
  }
  mkdirSync(join(dirs.user, 'User'), { recursive: true });
  const env = {
    ...process.env,
    XDG_DATA_HOME: join(root, 'xdg-data'),
    XDG_CONFIG_HOME: join(root, 'xdg-config'),
    XDG_CACHE_HOME: join(root, 'xdg-cache'),
    TMPDIR: dirs.tmp,
    EXTENSIONS_GALLERY: '{}',
  };
  // Never let a developer's Anthropic environment reach the extension under test.
  for (const k of Object.keys(env)) if (k.startsWith('ANTHROPIC_')) delete env[k];
  // Retries: a file being closed by a process that just exited can make one pass fail (ENOTEMPTY).
  return { ...dirs, env, dispose: () => rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }) };
}

export function writeUserSettings(sandbox, extra = {}) {
  writeFileSync(join(sandbox.user, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...extra }, null, 2));
}

function baseArgs(sandbox) {
  return ['--config', '/dev/null', '--user-data-dir', sandbox.user, '--extensions-dir', sandbox.ext];
}

export function installExtension(sandbox, vsixPath) {
  const { nodeBin, entry } = ensureCodeServer();
  execFileSync(join(nodeBin, 'node'), [entry, ...baseArgs(sandbox), '--install-extension', vsixPath, '--force'], {
    env: sandbox.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function waitHealthy(url, child, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited early with code ${child.exitCode}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs / 1000}s`);
}

/** Starts code-server; resolves to { url, stop }. `stop` kills the whole process group. */
export async function startCodeServer(sandbox, { port, host = '127.0.0.1', log = () => {}, onSpawn = () => {} } = {}) {
  const { nodeBin, entry } = ensureCodeServer();
  const p = port ?? (await freePort());
  const args = [
    entry,
    ...baseArgs(sandbox),
    '--bind-addr',
    `${host}:${p}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  const child = spawn(join(nodeBin, 'node'), args, { env: sandbox.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => log(String(d)));
  child.stderr.on('data', (d) => log(String(d)));
  const url = `http://${host}:${p}`;
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      /* already gone */
    }
  };
  // Anything left in the group (a tsserver, the extension host, a file watcher) can still write
  // into the sandbox, so the group has to be empty before the caller removes that folder.
  const groupAlive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch (err) {
      return err.code === 'EPERM';
    }
  };
  // Polls with ordinary (ref'd) timers: they keep the caller's event loop alive until the group
  // is gone, or a Ctrl+C handler that awaits stop() would see Node exit with the wait pending.
  const groupGone = async (ms) => {
    const deadline = Date.now() + ms;
    while (groupAlive()) {
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
    return true;
  };
  let stopping;
  /**
   * Resolves once the whole process group has exited: SIGTERM, then SIGKILL after 1.5 s (the
   * graceful shutdown can take a minute), then at most 3 s more (zombies no one reaps never leave
   * the group, and they write nothing). The pipes are closed first, so a slow shutdown does not
   * hold the caller's stdio. Calling it again returns the same promise.
   */
  const stop = () => {
    stopping ??= (async () => {
      child.stdout.destroy();
      child.stderr.destroy();
      signal('SIGTERM');
      if (!(await groupGone(1500))) {
        signal('SIGKILL');
        await groupGone(3000);
      }
      child.unref();
    })();
    return stopping;
  };
  // The caller can stop it from here on, even while it is still starting (Ctrl+C during start-up).
  onSpawn(stop);
  try {
    await waitHealthy(url, child);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port: p, child, stop };
}
