// Entry point the extension host loads (extensionTestsPath). The suites are required after mocha
// has installed its globals; esbuild bundles them as lazily initialised modules.
import Mocha from 'mocha';
import { join } from 'node:path';

export function run(): Promise<void> {
  process.env.PCL_TIER = 'integration';
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60000,
    color: false,
    reporter: join(__dirname, '..', '..', '..', 'test', 'support', 'count-reporter.cjs'),
  });
  // The host is not a terminal: plain text for the log the runner prints.
  (Mocha.reporters.Base as unknown as { useColors: boolean }).useColors = false;
  // PCL_GREP=<text> runs only the tests whose title contains it (while working on one).
  if (process.env.PCL_GREP) mocha.grep(process.env.PCL_GREP);
  mocha.suite.emit('pre-require', globalThis, 'integration', mocha);
  /* eslint-disable @typescript-eslint/no-require-imports */
  require('./activation.test');
  require('./engine.test');
  require('./send.test');
  require('./ledger.test');
  require('./stats.test');
  require('./prompts.test');
  require('./panelPicks.test');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration tests failed`)) : resolve()));
  });
}
