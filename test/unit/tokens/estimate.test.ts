import { strict as assert } from 'node:assert';
import type { ContentBlock, MessagesRequest, ToolDefinition } from '../../../src/shared/anthropic';
import { flattenRequest } from '../../support/referenceWalker';
import { countO200k } from '../../../src/core/tokens/count';
import {
  blockTokenCounter,
  Calibration,
  calibrationFactor,
  DEFAULT_FACTORS,
  estimateTokens,
  MAX_FACTOR,
  MIN_FACTOR,
} from '../../../src/core/tokens/estimate';

const TEXT = 'The quick brown fox jumps over the lazy dog. '.repeat(40);

describe('tokens/estimate', () => {
  it('uses 1.2 for the legacy tokenizer and 1.3x that for the 2026 one', () => {
    assert.equal(calibrationFactor('claude-legacy'), 1.2);
    assert.equal(calibrationFactor('claude-2026'), 1.56);
    assert.ok(Math.abs(DEFAULT_FACTORS['claude-2026'] / DEFAULT_FACTORS['claude-legacy'] - 1.3) < 1e-9);
  });

  it('returns integer estimates scaled from the raw o200k count', () => {
    const raw = countO200k(TEXT);
    assert.equal(estimateTokens(TEXT, 'claude-legacy'), Math.round(raw * 1.2));
    assert.equal(estimateTokens(TEXT, 'claude-2026'), Math.round(raw * 1.56));
    assert.equal(estimateTokens('', 'claude-2026'), 0);
    assert.equal(estimateTokens('a', 'claude-legacy'), 1);
    assert.ok(Number.isInteger(estimateTokens('Hello, world', 'claude-2026')));
  });

  it('blockTokenCounter = flattenRequest default counts x factor, images fixed', () => {
    const tools: ToolDefinition[] = [{ name: 'lookup', description: 'Find a row', input_schema: { type: 'object', properties: { q: { type: 'string' } } } }];
    const content: ContentBlock[] = [
      { type: 'text', text: TEXT, cache_control: { type: 'ephemeral' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'tool_use', id: 't1', name: 'lookup', input: { z: 1, a: [1, 2] } },
      { type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'row 1' }] },
    ] as ContentBlock[];
    const request: MessagesRequest = { model: 'm', tools, system: 'You are terse.', messages: [{ role: 'user', content }] };
    const raw = flattenRequest(request);
    const est = flattenRequest(request, blockTokenCounter('claude-2026'));
    assert.equal(est.length, raw.length);
    raw.forEach((b, i) => {
      const expected = b.type === 'image' ? 1600 : Math.max(b.tokens > 0 ? 1 : 0, Math.round(b.tokens * 1.56));
      assert.equal(est[i]?.tokens, expected, `block ${i} (${b.type})`);
    });
  });

  describe('Calibration', () => {
    it('starts at the default and moves towards observed ratios, weighted by size', () => {
      const c = new Calibration();
      assert.equal(c.factor('claude-2026'), 1.56);
      assert.ok(c.observe('claude-2026', 10_000, 14_000));
      // (1.56*2000 + 14000) / (2000 + 10000)
      assert.ok(Math.abs(c.factor('claude-2026') - (1.56 * 2000 + 14_000) / 12_000) < 1e-12);
      assert.equal(c.factor('claude-legacy'), 1.2, 'generations are independent');
      for (let i = 0; i < 200; i++) c.observe('claude-2026', 10_000, 14_000);
      assert.ok(Math.abs(c.factor('claude-2026') - 1.4) < 0.01);
    });

    it('clamps absurd ratios and ignores unusable observations', () => {
      const c = new Calibration();
      for (let i = 0; i < 300; i++) c.observe('claude-legacy', 10_000, 1_000_000);
      assert.ok(c.factor('claude-legacy') <= MAX_FACTOR);
      const d = new Calibration();
      for (let i = 0; i < 300; i++) d.observe('claude-legacy', 10_000, 1);
      assert.ok(d.factor('claude-legacy') >= MIN_FACTOR);
      assert.equal(d.observe('claude-legacy', 10, 30), false, 'too small: framing dominates');
      assert.equal(d.observe('claude-legacy', NaN, 30), false);
      assert.equal(d.observe('claude-legacy', 1000, -5), false);
      assert.equal(d.observe('nope' as never, 1000, 1000), false);
    });

    it('round-trips through JSON and survives corrupt storage', () => {
      const c = new Calibration();
      c.observe('claude-legacy', 5000, 6500);
      const back = Calibration.fromJSON(JSON.parse(JSON.stringify(c)));
      assert.equal(back.factor('claude-legacy'), c.factor('claude-legacy'));
      assert.equal(back.samples('claude-legacy'), 1);
      for (const bad of [null, 42, 'x', {}, { version: 2 }, { version: 1, generations: { 'claude-legacy': { raw: -1, actual: 1, samples: 1 } } }]) {
        assert.equal(Calibration.fromJSON(bad).factor('claude-legacy'), 1.2);
      }
    });

    it('feeds estimates when passed along', () => {
      const c = new Calibration();
      for (let i = 0; i < 100; i++) c.observe('claude-legacy', 10_000, 20_000);
      const raw = countO200k(TEXT);
      assert.equal(estimateTokens(TEXT, 'claude-legacy', c), Math.round(raw * c.factor('claude-legacy')));
      assert.ok(estimateTokens(TEXT, 'claude-legacy', c) > estimateTokens(TEXT, 'claude-legacy'));
    });
  });
});
