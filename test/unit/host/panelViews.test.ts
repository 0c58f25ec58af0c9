// The panel's views from records: the breakpoint map, the cache timeline and the header totals.
import { strict as assert } from 'node:assert';
import { createTotals } from '../../../src/core/ledger/reducers';
import { createModelTable } from '../../../src/core/models/table';
import { mapRowOf, timelineOf, totalsViewOf } from '../../../src/host/panel/views';
import { makeRecord } from '../../support/records';

const T = Date.UTC(2026, 11, 1, 9);

describe('host/panel views', () => {
  it('maps a warm request: tools, system and context read, the new conversation part uncached, breakpoints on their segments', () => {
    const row = mapRowOf(makeRecord({ atMs: T }));
    assert.deepEqual(row.segments.map((s) => [s.tier, s.status, s.tokens]), [['tools', 'read', 800], ['system', 'read', 2200], ['context', 'read', 3000], ['new', 'uncached', 300]]);
    assert.deepEqual(row.breakpoints, [{ segment: 1, ttl: '1h' }, { segment: 2, ttl: '5m' }]);
  });

  it('maps a cold request as written up to what the usage says was written', () => {
    const cold = makeRecord({ atMs: T, usage: { input_tokens: 300, output_tokens: 5, cache_creation_input_tokens: 6000, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 3000, ephemeral_1h_input_tokens: 3000 } } });
    assert.deepEqual(mapRowOf(cold).segments.map((s) => s.status), ['written', 'written', 'written', 'uncached']);
  });

  it('the timeline: each reached breakpoint warm for its TTL from the request, cold once expired', () => {
    const r = makeRecord({ atMs: T });
    const warm = timelineOf([r], T + 60_000);
    assert.deepEqual(warm.entries.map((e) => [e.tier, e.ttl, e.warmUntilMs]), [['system', '1h', T + 3_600_000], ['context', '5m', T + 300_000]]);
    assert.equal(warm.nextRead, 'context');
    const later = timelineOf([r], T + 600_000);
    assert.deepEqual(later.entries.map((e) => [e.tier, e.warmUntilMs]), [['system', T + 3_600_000], ['context', null]]);
    assert.equal(timelineOf([makeRecord({ atMs: T, outcome: 'failed', usage: null })], T).entries.length, 0, 'a failure warms nothing');
  });

  it('the timeline counts only records of the cache in use (an emulator since reset, or the other backend, holds none)', () => {
    const r = makeRecord({ atMs: T });
    assert.equal(timelineOf([r], T + 60_000, r.backend.cacheScope).entries.length, 2);
    assert.deepEqual(timelineOf([r], T + 60_000, 'offline-emulator@later').entries, []);
    assert.equal(timelineOf([r], T + 60_000, 'offline-emulator@later').nextRead, undefined);
  });

  it('totals: the ledger figures, API time summed, the budget, and the saving against automatic caching', () => {
    const records = [makeRecord({ atMs: T }), makeRecord({ atMs: T + 30_000 })];
    const acc = createTotals();
    records.forEach((r) => acc.add(r));
    const v = totalsViewOf(acc.result(), records, 1.5, createModelTable());
    assert.equal(v.costUsd, acc.result().costUsd);
    assert.equal(v.apiMs, 4200);
    assert.equal(v.budgetUsd, 1.5);
    assert.equal(typeof v.savedVsAutoUsd, 'number');
    assert.equal(totalsViewOf(acc.result(), records, 0).budgetUsd, undefined);
  });
});
