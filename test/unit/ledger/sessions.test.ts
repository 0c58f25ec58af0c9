import { strict as assert } from 'node:assert';
import { DEFAULT_IDLE_MINUTES, gapsByPrompt, lastSessionOf, sessionFor, sessionIdAt } from '../../../src/core/ledger/sessions';
import { makeRecord } from '../../support/records';

const T0 = Date.UTC(2026, 11, 1, 18, 23, 0);
const MIN = 60_000;

describe('ledger sessions', () => {
  let n = 0;
  const newId = () => `s${++n}`;

  it('continues the last session until the idle gap exceeds idleMinutes (default 30)', () => {
    assert.equal(DEFAULT_IDLE_MINUTES, 30);
    const first = sessionFor(undefined, T0, { newId });
    assert.equal(first.started, true);
    const a = sessionFor(first.state, T0 + 30 * MIN, { newId });
    assert.equal(a.started, false, 'exactly 30 minutes idle still continues');
    assert.equal(a.state.sessionId, first.state.sessionId);
    assert.equal(a.state.lastAtMs, T0 + 30 * MIN);
    assert.equal(a.state.startedAtMs, T0);
    const b = sessionFor(a.state, T0 + 60 * MIN + 1, { newId });
    assert.equal(b.started, true);
    assert.notEqual(b.state.sessionId, a.state.sessionId);
    const c = sessionFor(b.state, T0 + 70 * MIN, { newId, idleMinutes: 5 });
    assert.equal(c.started, true, 'a custom idle limit');
  });

  it('an explicit new session starts one at once; an earlier timestamp continues', () => {
    const s = sessionFor(undefined, T0, { newId }).state;
    assert.equal(sessionFor(s, T0 + 1000, { newId, startNew: true }).started, true);
    const skew = sessionFor(s, T0 - 5000, { newId });
    assert.equal(skew.started, false);
    assert.equal(skew.state.lastAtMs, T0);
  });

  it('session ids are sortable by start and carry a random suffix', () => {
    assert.equal(sessionIdAt(T0, () => 0.5), 's-20261201T182300Z-i000');
    assert.match(sessionIdAt(T0), /^s-20261201T182300Z-[0-9a-z]{4}$/);
    assert.equal(sessionFor(undefined, T0).state.sessionId.slice(0, 19), 's-20261201T182300Z-');
  });

  it('resumes from the ledger: the latest record names the session and its start', () => {
    const rs = [
      makeRecord({ sessionId: 'old', atMs: T0 }),
      makeRecord({ sessionId: 'cur', atMs: T0 + 50 * MIN }),
      makeRecord({ sessionId: 'cur', atMs: T0 + 40 * MIN }),
    ];
    assert.deepEqual(lastSessionOf(rs), { sessionId: 'cur', startedAtMs: T0 + 40 * MIN, lastAtMs: T0 + 50 * MIN });
    assert.equal(lastSessionOf([]), undefined);
  });

  it('gapsByPrompt: seconds between request starts per prompt, across sessions, in time order', () => {
    const rs = [
      makeRecord({ promptId: 'a', atMs: T0 + 3660_000, sessionId: 's2' }),
      makeRecord({ promptId: 'a', atMs: T0 }),
      makeRecord({ promptId: 'b', atMs: T0 + 10_000 }),
      makeRecord({ promptId: 'a', atMs: T0 + 100_000, outcome: 'local' }),
      makeRecord({ promptId: 'a', atMs: T0 + 200_000, outcome: 'failed', usage: null }),
      makeRecord({ promptId: 'a', atMs: T0 + 60_000 }),
      makeRecord({ promptId: 'b', atMs: T0 + 20_000, outcome: 'aborted' }),
    ];
    const gaps = gapsByPrompt(rs);
    assert.deepEqual([...gaps.entries()], [['a', [60, 3600]], ['b', [10]]]);
  });
});
