#!/usr/bin/env node
// Stands in for the VS Code executable that @vscode/test-electron spawns: takes its
// --extensionDevelopmentPath=…, --extensionTestsPath=… and folder arguments and runs the same
// tests in code-server's extension host. The exit code is the tests' result.
import { runExtensionTests } from './lib/extension-tests.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const extensionPath = flag('extensionDevelopmentPath');
const testsPath = flag('extensionTestsPath');
const workspace = args.find((a) => !a.startsWith('-'));
if (!extensionPath || !testsPath || !workspace) {
  console.error('usage: code-server-as-vscode --extensionDevelopmentPath=DIR --extensionTestsPath=FILE FOLDER');
  process.exit(2);
}
const code = await runExtensionTests({ extensionPath, testsPath, workspace });
process.exit(code);
