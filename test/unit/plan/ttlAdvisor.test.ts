import { strict as assert } from 'node:assert';
import { adviseTtl, ttlCosts } from '../../../src/core/plan/ttlAdvisor';

const min = 60;

describe('adviseTtl', () => {
  it('dense traffic (gaps < 5 min): 5m, since 1h only adds write premium', () => {
    const a = adviseTtl([30, 60, 90, 120, 45]);
    assert.equal(a.ttl, '5m');
    assert.match(a.reason, /history favours 5m.*5 within 5 min/);
  });

  it('a prompt used every 10-30 minutes: 1h (5m entries would be written and never read)', () => {
    const a = adviseTtl([10 * min, 25 * min, 15 * min, 30 * min]);
    assert.equal(a.ttl, '1h');
    assert.match(a.reason, /4 between 5 and 60 min/);
  });

  it('exact expected costs per use', () => {
    // 5m: 1.25 + 1.25 + 1.25 + 0.1 = 3.85 over 4 uses; 1h: 2 + 0.1×3 = 2.3 over 4 uses.
    const c = ttlCosts([600, 1200, 100]);
    assert.ok(Math.abs(c.perUse5m - 3.85 / 4) < 1e-12, String(c.perUse5m));
    assert.ok(Math.abs(c.perUse1h - 2.3 / 4) < 1e-12, String(c.perUse1h));
  });

  it('gaps over an hour: 5m (1h never gets read either and costs more to write)', () => {
    assert.equal(adviseTtl([2 * 3600, 3 * 3600, 5 * 3600]).ttl, '5m');
  });

  it('decides per write: a 1h entry pays when it outlives at least ~0.65 gaps of 5-60 min before a gap over an hour', () => {
    assert.equal(adviseTtl([19 * min, 2 * 3600]).ttl, '1h', 'one 5-60 min gap per long one: 1.15 > 0.75');
    assert.equal(adviseTtl([19 * min, 2 * 3600, 3 * 3600]).ttl, '5m', 'one per two long ones: 1.15 < 1.5');
    assert.match(adviseTtl([19 * min, 2 * 3600]).reason, /≈ 1\.0 such gaps per 1h entry/);
  });

  it('explicit declaration wins and says when history disagrees', () => {
    const a = adviseTtl([10 * min, 20 * min, 30 * min], '5m');
    assert.equal(a.ttl, '5m');
    assert.match(a.reason, /declares 5m, although history favours 1h/);
  });

  it('no history: declared, else 5m; junk gaps are ignored', () => {
    assert.deepEqual(adviseTtl([], '1h').ttl, '1h');
    assert.equal(adviseTtl([NaN, -5, Infinity]).ttl, '5m');
    assert.match(adviseTtl([NaN]).reason, /no gap between uses seen yet, so Anthropic's default 5m/);
  });

  it('one gap of 5-60 min is enough: 1h pays 0.75 more once and saves a 1.15 re-write', () => {
    assert.equal(adviseTtl([20 * min]).ttl, '1h');
    assert.equal(adviseTtl([NaN, -5, Infinity, 600]).ttl, '1h');
    assert.equal(adviseTtl([90]).ttl, '5m');
  });

  it('only the latest gaps count, so a prompt whose use changes is followed', () => {
    const dense = Array.from({ length: 60 }, () => 60);
    assert.equal(adviseTtl([...dense, 20 * min, 20 * min]).ttl, '1h');
    assert.equal(adviseTtl([...Array.from({ length: 10 }, () => 20 * min), ...dense]).ttl, '5m');
  });
});
