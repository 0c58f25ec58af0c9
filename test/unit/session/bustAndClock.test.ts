// A one-off cache bust and the emulator's advanced clock, through the real runner: the official
// SDK over HTTP against the emulator, the in-process forecaster, one record per request.
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CacheBust } from '../../../src/core/plan/bust';
import type { PlannedRequest } from '../../../src/core/ports';
import { createLocalForecaster } from '../../../src/core/session/localForecaster';
import { SendSessions } from '../../../src/core/session/session';
import { harness, WORKSPACE, type Harness } from '../../support/runnerHarness';

describe('core/session: a one-off cache bust and the emulator clock', () => {
  let h: Harness;
  afterEach(() => h?.close());

  it('the bust reads nothing and writes every tier, predicted and explained as deliberate; a failed attempt keeps it; the next request reads again', async () => {
    h = await harness();
    let pending = false;
    let nonces = 0;
    const busts = { next: (): CacheBust | undefined => (pending ? { nonce: `n0nce${++nonces}` } : undefined), used: () => void (pending = false) };
    const path = join(WORKSPACE, 'prompts/code-reviewer.prompt.md');
    h.deps.forecaster = createLocalForecaster({ promptPath: path, root: WORKSPACE, readText: () => readFile(path, 'utf8'), defaultModel: 'claude-sonnet-5', sessions: new SendSessions(), busts });
    const c = h.conversation();
    const planned: PlannedRequest[] = [];
    const onEvent = (e: { type: string; planned?: PlannedRequest }) => void (e.type === 'planned' && e.planned && planned.push(e.planned));
    await c.send('Review: +const a = 1;', { mode: 'chat', onEvent });
    pending = true;
    h.emu.setFaults({ status: 529 });
    h.clock.t += 10_000;
    await c.send('Review: -let b;', { mode: 'chat', onEvent });
    assert.equal(h.records[1]?.outcome, 'failed');
    assert.equal(pending, true, 'a failed request does not use the bust up');
    h.clock.t += 10_000;
    await c.send('Review: -let b;', { mode: 'chat', onEvent });
    const [first, , busted] = h.records;
    assert.ok(first && busted);
    assert.equal(pending, false, 'the answered request used it up');
    assert.equal(nonces, 2, 'each attempt gets its own nonce');
    assert.equal(busted.bust, true, 'the ledger record marks it');
    assert.equal(busted.buckets.cacheRead, 0, 'nothing read');
    assert.ok(busted.buckets.cacheWrite5m + busted.buckets.cacheWrite1h > first.buckets.cacheWrite5m + first.buckets.cacheWrite1h, 'every tier written anew, the new turn included');
    assert.equal(busted.predicted?.buckets.cacheRead, 0, 'the forecast said cold');
    assert.match(planned[2]?.predicted?.sentence ?? '', /Cold on purpose: this request carries the one-off cache bust/);
    assert.equal(busted.explanation?.kind, 'cache-bust');
    assert.match(busted.explanation?.sentence ?? '', /^Deliberate cache bust: .*nothing was read and every tier was written anew/);
    assert.deepEqual(busted.prompt.version, first.prompt.version, 'the nonce is not a new prompt version');
    h.clock.t += 10_000;
    await c.send('Thanks.', { mode: 'chat', onEvent });
    const after = h.records[3];
    assert.ok(after && after.buckets.cacheRead > 0, 'the following request reads the entries from before the bust');
    assert.equal(after.bust, undefined);
    assert.equal(after.predicted?.buckets.cacheRead, after.buckets.cacheRead, 'and the forecast agrees');
    assert.notEqual(after.explanation?.kind, 'prefix-changed', 'the nonce leaving is not a prompt change');
  });

  it('after the emulator clock moves 6 min, the next request is predicted and recorded as a miss of the 5m entries', async () => {
    h = await harness();
    const wall = h.port;
    h.port = { ...wall, now: () => h.emu.clock.nowMs() };
    const c = h.conversation();
    await c.send('Review: +const a = 1;', { mode: 'chat' });
    h.clock.t += 30_000;
    h.emu.clock.advance(6 * 60);
    await c.send('Review: -let b;', { mode: 'chat' });
    const [, late] = h.records;
    assert.ok(late);
    assert.equal(late.atMs, h.clock.t, 'the record keeps the wall clock');
    assert.equal(late.cacheAtMs, h.clock.t + 6 * 60_000, "and the cache's clock");
    assert.equal(late.predicted?.buckets.cacheRead, late.buckets.cacheRead, 'prediction and emulator agree');
    const fiveMinuteWrites = h.records[0]?.buckets.cacheWrite5m ?? 0;
    assert.ok(fiveMinuteWrites > 0 && late.buckets.cacheWrite5m >= fiveMinuteWrites, 'the 5m entries were written again');
    assert.equal(late.explanation?.kind, 'ttl-expired');
  });
});
