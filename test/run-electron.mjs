// The standard @vscode/test-electron entry. With VSCODE_EXECUTABLE unset it runs the tests in
// code-server through a small "executable" that takes VS Code's test arguments, because no
// desktop VS Code can be downloaded here; with internet, set PCL_DOWNLOAD_VSCODE=1 to let
// test-electron download VS Code as usual.
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const workspace = mkdtempSync(join(tmpdir(), 'pcl-ws-'));
cpSync(join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });

const options = {
  extensionDevelopmentPath: root,
  extensionTestsPath: join(root, 'dist', 'test', 'integration', 'index.js'),
  launchArgs: [workspace, '--disable-extensions'],
};
if (!process.env.PCL_DOWNLOAD_VSCODE) {
  options.vscodeExecutablePath = process.env.VSCODE_EXECUTABLE ?? join(root, 'scripts', 'code-server-as-vscode.mjs');
}
let code = 0;
try {
  await runTests(options);
} catch (err) {
  console.error(String(err?.message ?? err));
  code = 1;
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
process.exit(code);
