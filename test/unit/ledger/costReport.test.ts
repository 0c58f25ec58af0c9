import { strict as assert } from 'node:assert';
import { costReport, ownRate, usd } from '../../../src/core/ledger/costReport';
import { readsByTier, tierSavings } from '../../../src/core/ledger/tierSavings';
import { reviewTtls } from '../../../src/core/ledger/ttlReview';
import { createModelTable } from '../../../src/core/models/table';
import { WARM_USAGE, makeRecord, threeTurnConversation } from '../../support/records';

const models = createModelTable();
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} ≠ ${b}`);

const conversation = () => threeTurnConversation(T0);

describe('cost report: the Show Cost Analysis document', () => {
  it('formats dollars by size', () => {
    assert.deepEqual([usd(0), usd(0.0136), usd(0.00144), usd(13.6), usd(1234.5), usd(-0.0032)], ['$0.0000', '$0.0136', '$0.00144', '$13.60', '$1,234.50', '-$0.00320']);
  });

  it('per tier: reads are the first tokens of the prefix, saved at (input − read) each', () => {
    // The default shape: tools 800, system 2,200, context 3,000, conversation 300; 6,000 read.
    const r = makeRecord({ usage: WARM_USAGE });
    assert.deepEqual(readsByTier(r), { tools: 800, system: 2200, context: 3000, conversation: 0 });
    const s = tierSavings([r, makeRecord({ outcome: 'failed', usage: null }), makeRecord({ outcome: 'local' })], models);
    assert.equal(s.requests, 1);
    close(s.tiers[0]!.savedUsd, 800 * 1.8e-6, 'tools');
    close(s.tiers[1]!.savedUsd, 2200 * 1.8e-6, 'system');
    close(s.tiers[2]!.savedUsd, 3000 * 1.8e-6, 'context');
    assert.equal(s.writePremiumUsd, 0);
    // Estimated blocks are rescaled to the billed total: twice the tokens billed, twice each block.
    const big = makeRecord({ usage: { ...WARM_USAGE, input_tokens: 600, cache_read_input_tokens: 12_000 } });
    assert.deepEqual(readsByTier(big), { tools: 1600, system: 4400, context: 6000, conversation: 0 });
  });

  it('a session against no caching and the replayed strategies, figures by hand', () => {
    const md = costReport(conversation(), { title: 'session s-1', models });
    assert.match(md, /^# Cost analysis: session s-1\n\n3 requests \(3 answered\) from 2026-12-01T09:00:00\.000Z to 2026-12-01T09:11:00\.000Z; model: claude-sonnet-5\./);
    // Recorded amounts are exact (no ≈); the hit ratio is 4,000 read of 6,900 input-side tokens.
    assert.match(md, /\| What happened \| \$0\.0136 \| — \| 58\.0% \|/);
    assert.match(md, /\| No caching \| \$0\.0168 \| \+\$0\.00320 \| 0\.0% \|/);
    assert.match(md, /\| Automatic caching \(replayed\) \| ≈\$0\.0154 \| ≈\+\$0\.00182 \|/);
    assert.match(md, /\| System prompt only \(replayed\) \| ≈\$0\.0152 \| ≈\+\$0\.00160 \|/);
    assert.match(md, /Caching saved \$0\.00320 against no caching \(19\.0% of the cost without caching\), over 3 answered requests/);
    assert.match(md, /No replayed strategy would have cost less/);
    // Tiers: 2 × 2,000 system tokens read × $1.8/MTok = $0.0072; the 1h write of 2,000 cost 2,000 × $2/MTok more.
    assert.match(md, /\| system \| ≈4,000 \| ≈\$0\.00720 \|/);
    assert.match(md, /writes cost ≈\$0\.00400 more .* net saving is ≈\$0\.00320\./);
    assert.match(md, /\*\*claude-sonnet-5\*\*: 5m: .*pays off from the first read.* 1h: .*pays off from read 2: 3 uses/);
  });

  it('projects at the records’ own rate by default, or at the rate given', () => {
    const rs = conversation();
    const own = costReport(rs, { title: 's', models });
    // 3 requests in one day; 30 days: $0.0136 × 30 = $0.408, no caching $0.504.
    assert.match(own, /## Projection: ≈3 requests a day for 30 days \(the rate of these records/);
    assert.match(own, /\| As recorded \| ≈\$0\.00453 \| ≈\$0\.4080 \| ≈\$0\.0960 \|/);
    assert.match(own, /\| No caching \| ≈\$0\.00560 \| ≈\$0\.5040 \| ≈\$0\.0000 \|/);
    const given = costReport(rs, { title: 's', models, requestsPerDay: 100, days: 20 });
    // $0.0136 / 3 × 100 × 20 = $9.0667; no caching $0.0168 / 3 × 2000 = $11.20.
    assert.match(given, /## Projection: ≈100 requests a day for 20 days\n/);
    assert.match(given, /\| As recorded \| ≈\$0\.00453 \| ≈\$9\.07 \| ≈\$2\.13 \|/);
    assert.match(given, /\| No caching \| ≈\$0\.00560 \| ≈\$11\.20 \|/);
    assert.equal(ownRate({ firstAtMs: T0, lastAtMs: T0 + 2 * 86_400_000 }, 30), 10, 'three calendar days');
  });

  it('TTL per tier from the gaps (1 min and 10 min: 1h for the system tier); a declared TTL wins', () => {
    const [review] = reviewTtls(conversation(), models);
    assert.equal(review?.gaps, 2);
    assert.deepEqual(review?.tiers.map((t) => [t.tier, t.used, t.recommended]), [['system', '1h', '1h'], ['conversation', null, '5m']]);
    const md = costReport(conversation(), { title: 's', models, declared: { 'support-agent': { system: '5m' } } });
    assert.match(md, /### support-agent \(2 gaps between uses\)/);
    assert.match(md, /\| system \| 1h \| 5m \(change\) \| the prompt file declares 5m, although history favours 1h/);
  });

  it('estimates carry ≈: a recorded cost priced on an assumption', () => {
    const rs = conversation();
    for (const r of rs) if (r.cost) r.cost.exact = false;
    const md = costReport(rs, { title: 's', models });
    assert.match(md, /\| What happened \| ≈\$0\.0136 \|/);
    assert.match(md, /Caching saved ≈\$0\.00320/);
    // Every dollar amount outside the exact rows is marked.
    const unmarked = md.split('\n').filter((l) => /(?<!≈[+-]?)\$\d/.test(l) && !/^- \*\*/.test(l));
    assert.deepEqual(unmarked, []);
  });

  it('nothing priced: says so instead of showing zeros', () => {
    const md = costReport([makeRecord({ outcome: 'failed', usage: null })], { title: 's', models });
    assert.match(md, /No answered request with a known price: nothing to compare\./);
    assert.doesNotMatch(md, /## Projection/);
    assert.match(costReport([], { title: 'empty', models }), /0 requests \(0 answered\); models: none\./);
  });
});
