// npm test: four tiers, each ending with "<tier>: N passed, N failed", then one total line.
//   unit         plain mocha in Node (core, shared, backends with the real SDK over HTTP, CLI)
//   fuzz         fast-check properties over generated input (test/fuzz), a bounded number of runs
//   integration  mocha inside a real VS Code extension host (code-server) via @vscode/test-electron
//   e2e          the packaged .vsix in code-server, driven by headless Chromium; screenshots
// Usage: node scripts/test.mjs [unit|fuzz|integration|e2e ...]
import { spawn } from 'node:child_process';

// A tier may have a wall-clock limit: generated inputs can hit a pathologically slow path, and a
// fuzz run that never ends must fail instead of holding up CI.
const tiers = {
  unit: [process.execPath, ['node_modules/mocha/bin/mocha.js']],
  fuzz: [process.execPath, ['node_modules/mocha/bin/mocha.js', '--config', 'test/fuzz/.mocharc.json'], { limitMs: 5 * 60 * 1000 }],
  integration: [process.execPath, ['test/run-electron.mjs']],
  e2e: [process.execPath, ['node_modules/mocha/bin/mocha.js', '--config', 'test/e2e/.mocharc.json']],
};

function runTier(name) {
  const [cmd, args, { limitMs } = {}] = tiers[name];
  return new Promise((resolve) => {
    let last;
    let partial = '';
    const summary = new RegExp(`^${name}: (\\d+) passed, (\\d+) failed$`);
    const child = spawn(cmd, args, { env: { ...process.env, PCL_TIER: name }, stdio: ['ignore', 'pipe', 'inherit'] });
    const limit =
      limitMs &&
      setTimeout(() => {
        process.stdout.write(`${name}: stopped after ${limitMs / 1000}s, its time limit\n`);
        child.kill('SIGKILL');
      }, limitMs);
    // Parse whole lines: a summary can arrive split across two chunks.
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (partial + String(chunk)).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) last = summary.exec(line) ?? last;
    });
    child.on('close', (code) => {
      clearTimeout(limit);
      last = summary.exec(partial) ?? last;
      const passed = last ? Number(last[1]) : 0;
      let failed = last ? Number(last[2]) : 0;
      // A tier that crashed before reporting, or exited non-zero with no failure counted, counts as one failure.
      if (!last || (code !== 0 && failed === 0)) {
        failed += 1;
        process.stdout.write(`${name}: the tier exited with code ${code} ${last ? 'after reporting no failure' : 'before reporting its results'}\n`);
      }
      resolve({ passed, failed });
    });
  });
}

function build() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['esbuild.mjs', '--tests', '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`build failed with code ${code}`))));
  });
}

const selected = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(tiers);
for (const t of selected) if (!tiers[t]) throw new Error(`unknown tier ${t}; use ${Object.keys(tiers).join(', ')}`);
await build();
let passed = 0;
let failed = 0;
for (const t of selected) {
  const r = await runTier(t);
  passed += r.passed;
  failed += r.failed;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
