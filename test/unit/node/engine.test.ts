import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { countO200k } from '../../../src/core/tokens/count';
import { SupersededError, EngineClient } from '../../../src/node/engineClient';
import { CORPORA } from '../tokens/corpora';

// The real worker source, started through a tsx shim (see workerShim.cjs).
const SHIM = join(__dirname, 'engineWorkerShim.cjs');

describe('node/EngineClient (real worker)', function () {
  this.timeout(60_000);
  let client: EngineClient | undefined;
  afterEach(() => client?.dispose());

  it('counts exactly, incrementally per document, in request order', async () => {
    client = new EngineClient(SHIM);
    const text = CORPORA.mixed as string;
    const first = await client.count('doc-a', text);
    assert.equal(first.rawTokens, countO200k(text));
    assert.ok(first.ms >= 0);
    const order: string[] = [];
    const edited = `${text}\nmore words here`;
    const results = await Promise.all([
      client.count('doc-a', edited).then((r) => (order.push('a'), r)),
      client.count('doc-b', 'hello world').then((r) => (order.push('b'), r)),
    ]);
    assert.deepEqual(order, ['a', 'b']);
    assert.equal(results[0].rawTokens, countO200k(edited));
    assert.equal(results[1].rawTokens, 2);
  });

  it('drops a queued request superseded by a newer one for the same document', async () => {
    client = new EngineClient(SHIM);
    const inFlight = client.count('d', 'first');
    const queued = client.count('d', 'second version');
    const latest = client.count('d', 'third and final version');
    await assert.rejects(queued, SupersededError);
    assert.equal((await inFlight).rawTokens, countO200k('first'));
    assert.equal((await latest).rawTokens, countO200k('third and final version'));
  });

  it('restarts once after a crash and retries, then fails clearly', async () => {
    const workers: Worker[] = [];
    client = new EngineClient(SHIM, { onSpawn: (w) => workers.push(w) });
    assert.equal((await client.count('d', 'warm up')).rawTokens, 2);
    // Large enough that the worker is still counting when it is killed.
    const big = (CORPORA.mixed as string).repeat(30);
    const retried = client.count('d', big);
    await workers[0]?.terminate();
    assert.equal((await retried).rawTokens, countO200k(big));
    assert.equal(workers.length, 2);
    const failing = client.count('fresh-doc', big.replace(/e/g, 'o'));
    await workers[1]?.terminate();
    await assert.rejects(failing, /worker stopped twice/);
    await assert.rejects(client.count('d', 'x'), /worker stopped twice/);
  });

  it('rejects pending work on dispose and after it', async () => {
    client = new EngineClient(SHIM);
    const p = client.count('d', 'something');
    client.dispose();
    await assert.rejects(p, /disposed/);
    await assert.rejects(client.count('d', 'x'), /disposed/);
  });

  it('forget drops a document without disturbing others', async () => {
    client = new EngineClient(SHIM);
    await client.count('a', 'alpha beta');
    client.forget('a');
    assert.equal((await client.count('a', 'alpha beta gamma')).rawTokens, countO200k('alpha beta gamma'));
  });
});
