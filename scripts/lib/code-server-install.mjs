// Installs code-server (and the Node 24 it needs) into a cache folder outside the clone, keyed by
// version, so a fresh machine sets itself up and later runs reuse it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = '24';

export function cacheDir() {
  return process.env.PCL_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'prompt-cache-lab');
}

function log(msg) {
  process.stderr.write(`[setup] ${msg}\n`);
}

function npmInstall(prefix, spec, env) {
  mkdirSync(prefix, { recursive: true });
  if (!existsSync(join(prefix, 'package.json'))) writeFileSync(join(prefix, 'package.json'), '{"private":true}\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', prefix, spec], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env,
  });
}

/** Returns the directory holding the `node` 24 binary, installing it from the npm registry if needed. */
export function ensureNode24() {
  const prefix = join(cacheDir(), `node${NODE_MAJOR}`);
  // The `node` package installs its platform binary as node-<platform>-<arch>.
  const bin = join(prefix, 'node_modules', 'node', 'node_modules', `node-${process.platform}-${process.arch}`, 'bin');
  const marker = join(prefix, '.complete');
  if (!existsSync(marker) || !existsSync(join(bin, 'node'))) {
    log(`installing Node ${NODE_MAJOR} into ${prefix} (one time)`);
    rmSync(prefix, { recursive: true, force: true });
    npmInstall(prefix, `node@${NODE_MAJOR}`, { ...process.env, npm_config_yes: 'true' });
    if (!existsSync(join(bin, 'node'))) throw new Error(`Node ${NODE_MAJOR} did not install where expected: ${bin}`);
    writeFileSync(marker, new Date().toISOString());
  }
  return bin;
}

/** code-server's native modules build against Kerberos headers (gssapi/gssapi.h). */
function ensureKerberosHeaders() {
  if (existsSync('/usr/include/gssapi/gssapi.h')) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) {
    throw new Error('code-server needs the Kerberos headers to install. Run: sudo apt-get install -y libkrb5-dev');
  }
  log('installing libkrb5-dev with apt-get (one time)');
  execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libkrb5-dev >/dev/null'], { stdio: 'inherit' });
}

/** Returns { nodeBin, entry } to run code-server, installing it on first use. */
export function ensureCodeServer() {
  const nodeBin = ensureNode24();
  const prefix = join(cacheDir(), `code-server-${CODE_SERVER_VERSION}`);
  const entry = join(prefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const marker = join(prefix, '.complete');
  if (!existsSync(marker) || !existsSync(entry)) {
    ensureKerberosHeaders();
    log(`installing code-server ${CODE_SERVER_VERSION} into ${prefix} (one time, about 2 minutes)`);
    rmSync(prefix, { recursive: true, force: true });
    const nodeDir = join(nodeBin, '..');
    // Under `npm test` the parent npm's user agent (naming Node 20) is inherited, and code-server's
    // postinstall reads the Node version from it; the child npm must describe itself.
    const { npm_config_user_agent: _parentAgent, ...env } = process.env;
    npmInstall(prefix, `code-server@${CODE_SERVER_VERSION}`, {
      ...env,
      PATH: `${nodeBin}:${process.env.PATH}`,
      npm_config_yes: 'true',
      npm_config_unsafe_perm: 'true',
      npm_config_nodedir: nodeDir,
    });
    if (!existsSync(entry)) throw new Error(`code-server did not install where expected: ${entry}`);
    writeFileSync(marker, new Date().toISOString());
  }
  return { nodeBin, entry };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = ensureCodeServer();
  console.log(JSON.stringify(r));
}
