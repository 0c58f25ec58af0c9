import { strict as assert } from 'node:assert';
import { exitFor, oneLine } from '../../../src/cli/errors';
import { CliError } from '../../../src/cli/io';
import { UsageError } from '../../../src/core/cost/usage';
import { PricesFileError } from '../../../src/core/models/overrides';
import { FileRefusedError } from '../../../src/core/registry/resolve';
import { TraceError } from '../../../src/core/strategies/trace';

describe('cli/errors: one mapping from errors to exit codes', () => {
  it('CLI and engine input errors are exit 2 with their message on one line', () => {
    assert.deepEqual(exitFor(new CliError('bad flag')), { code: 2, message: 'bad flag' });
    assert.deepEqual(exitFor(new CliError('port busy', 1)), { code: 1, message: 'port busy' });
    assert.deepEqual(exitFor(new UsageError('usage.x must be a number')), { code: 2, message: 'usage.x must be a number' });
    assert.deepEqual(exitFor(new TraceError('trace line 3: bad')), { code: 2, message: 'trace line 3: bad' });
    assert.deepEqual(exitFor(new FileRefusedError('a is a directory')), { code: 2, message: 'a is a directory' });
    assert.deepEqual(exitFor(new PricesFileError('first\nsecond\n')), { code: 2, message: 'first; second' });
  });

  it('anything else is a bug: exit 1, said to be one, on one line', () => {
    const r = exitFor(new TypeError("Cannot read properties of null (reading 'type')"));
    assert.deepEqual(r, { code: 1, message: "internal error (a bug in prompt-cache-lab, please report it): TypeError: Cannot read properties of null (reading 'type')" });
    assert.equal(exitFor('thrown string').code, 1);
    assert.equal(oneLine('  a\n  b  \n\nc '), 'a; b; c');
  });
});
