// npm start: build and package the extension, install it into a cached code-server (a real
// VS Code), open the sample workspace and serve it on http://127.0.0.1:<PORT> (default 8080).
// The offline emulator is the backend there, so no key or network is needed. Ctrl+C stops
// everything and removes the throw-away folder.
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { installExtension, makeSandbox, startCodeServer, writeUserSettings } from './lib/code-server.mjs';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`PORT must be a TCP port number, got "${process.env.PORT}"`);
  process.exit(2);
}

if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
  console.warn(`Warning: HOST=${host} serves VS Code without authentication to other machines.`);
}

const sandbox = makeSandbox('pcl-start-');
let server;
let stopServer;
let stopping = false;
// Ctrl+C in a terminal signals the whole foreground group (npm, sh and this script); npm dies of it
// at once, so the clean-up below may run after the terminal is gone (when npm led its session): a
// failed write (EIO) must not end this process before the folder is removed.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  try {
    // Waits until code-server's whole process group has exited, so nothing re-creates files in
    // the sandbox after it is removed; the wait itself keeps this process alive.
    await stopServer?.();
    sandbox.dispose();
  } catch (err) {
    console.error(`Could not remove ${sandbox.root}: ${err.message}`);
    code ||= 1;
  }
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(0));

try {
  const vsix = join(sandbox.root, 'prompt-cache-lab.vsix');
  console.log('Building and packaging the extension…');
  execFileSync(process.execPath, ['scripts/package.mjs', vsix], { stdio: ['ignore', 'ignore', 'inherit'] });
  writeUserSettings(sandbox, { 'workbench.colorTheme': 'Default Dark Modern' });
  installExtension(sandbox, vsix);
  const workspace = join(sandbox.root, 'workspace');
  cpSync('test/fixtures/workspace', workspace, { recursive: true });
  server = await startCodeServer(sandbox, { port, host, onSpawn: (s) => (stopServer = s) });
  server.child.on('exit', (code) => {
    if (!stopping) {
      console.error(`code-server stopped unexpectedly (code ${code}).`);
      stop(1);
    }
  });
  const url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
  console.log(`\nPrompt Cache Lab is running in VS Code at:\n\n  ${url}\n\nSample workspace (a throw-away copy): ${workspace}\nPress Ctrl+C to stop.`);
} catch (err) {
  // Ctrl+C while building or installing also stops that child (it is in the same foreground
  // group), and during start-up it makes the health check fail: neither is a failure to report.
  if (stopping || ['SIGINT', 'SIGTERM', 'SIGHUP'].includes(err.signal)) stop(0);
  else reportFailure(err);
}

function reportFailure(err) {
  console.error(`npm start failed: ${err.message}`);
  if (String(err.message).includes('EADDRINUSE') || String(err.message).includes('healthz')) {
    console.error(`Is port ${port} already in use? Try PORT=8081 npm start.`);
  }
  stop(1);
}
