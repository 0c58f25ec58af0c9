// Debian's Chromium driven by playwright-core, confined to loopback.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root) {
    process.stderr.write('[setup] installing Chromium with apt-get (one time)\n');
    execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null'], {
      stdio: 'inherit',
    });
    if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  }
  throw new Error('Chromium not found. Install it with: sudo apt-get install -y chromium   (or set CHROMIUM=/path/to/chromium)');
}

export async function launchBrowser(sandbox) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    env: sandbox.env,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      `--user-data-dir=${join(sandbox.root, 'chromium')}`,
    ].filter((a) => !a.startsWith('--user-data-dir')),
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const blocked = [];
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'data:' || u.protocol === 'blob:' || ['127.0.0.1', 'localhost'].includes(u.hostname) || u.protocol.startsWith('vscode')) {
      return route.continue();
    }
    blocked.push(u.href);
    return route.abort();
  });
  return { browser, context, blocked };
}
