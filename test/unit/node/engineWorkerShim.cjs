// Starts the TypeScript worker source inside a Worker so the tests exercise the real worker code
// without a build. tsx's require hook is installed in-thread: `--import tsx` in a Worker's
// execArgv does not reach worker threads on Node 20.
require('tsx/cjs');
require('../../../src/node/engineWorker.ts');
