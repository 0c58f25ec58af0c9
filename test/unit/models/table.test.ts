import { strict as assert } from 'node:assert';
import { PRICE_TABLE_VERSION } from '../../../src/core/models/data';
import { DEFAULT_MODEL_ID, UnknownModelError, assumedMinCacheable, createModelTable } from '../../../src/core/models/table';

// spec §3.1 "The complete SDK 1.14 Model union"
const SDK_MODELS = [
  'claude-fable-5-2', 'claude-mythos-5-2', 'claude-haiku-5-5', 'claude-sonnet-5-5', 'claude-fable-5-1', 'claude-opus-5-5',
  'claude-mythos-5-1', 'claude-sonnet-5', 'claude-fable-5', 'claude-mythos-5', 'claude-opus-5', 'claude-opus-4-8',
  'claude-opus-4-7', 'claude-mythos-preview', 'claude-opus-4-6', 'claude-sonnet-4-6', 'claude-haiku-4-5',
  'claude-haiku-4-5-20251001', 'claude-opus-4-5', 'claude-opus-4-5-20251101', 'claude-sonnet-4-5', 'claude-sonnet-4-5-20250929',
];

describe('model table', () => {
  const table = createModelTable();

  it('resolves every id of the SDK 1.14 Model union and the default', () => {
    for (const id of SDK_MODELS) assert.ok(table.tryResolve(id), id);
    assert.equal(table.resolve(DEFAULT_MODEL_ID).id, 'claude-sonnet-5');
  });

  it('resolves aliases to the dated canonical id', () => {
    assert.equal(table.resolve('claude-opus-4-5').id, 'claude-opus-4-5-20251101');
    assert.equal(table.resolve('claude-sonnet-4-5').id, 'claude-sonnet-4-5-20250929');
    assert.equal(table.resolve('claude-haiku-4-5').id, 'claude-haiku-4-5-20251001');
  });

  it('ids and aliases are unique', () => {
    const names = table.all().flatMap((m) => [m.id, ...m.aliases]);
    assert.equal(new Set(names).size, names.length);
  });

  it('unknown or wrongly-cased ids throw a message listing ids and how to add one', () => {
    assert.equal(table.tryResolve('Claude-Sonnet-5'), undefined);
    assert.throws(() => table.resolve('Claude-Sonnet-5'), (e: Error) =>
      e instanceof UnknownModelError && /Did you mean "claude-sonnet-5"/.test(e.message));
    assert.throws(() => table.resolve('gpt-4o'), (e: Error) =>
      e instanceof UnknownModelError && e.message.includes('claude-opus-4-8') &&
      /promptCacheLab\.models/.test(e.message) && /--prices <file\.json>/.test(e.message));
  });

  it('stores read prices per model instead of deriving 0.1x', () => {
    assert.equal(table.resolve('claude-opus-5-5').prices.read, 0.2); // 0.05x
    assert.equal(table.resolve('claude-fable-5-1').prices.read, 0.25); // 0.025x
    assert.equal(table.resolve('claude-sonnet-5-5').prices.read, 0.1); // the 2026-10-07 cut
    assert.equal(table.resolve('claude-3-haiku-20240307').prices.write5m, 0.3); // 1.2x, not 1.25x
  });

  it('flags third-party prices as unconfirmed', () => {
    for (const id of ['claude-fable-5-2', 'claude-sonnet-5-5', 'claude-haiku-5-5', 'claude-mythos-5-2']) {
      assert.equal(table.resolve(id).confirmed, false, id);
    }
    assert.equal(table.resolve('claude-sonnet-5').confirmed, true);
    assert.match(table.resolve('claude-sonnet-5-5').source, /UNCONFIRMED/);
  });

  it('marks unpriced models with NaN prices so nothing can silently use them', () => {
    const m = table.resolve('claude-mythos-preview');
    assert.equal(m.pricesUnknown, true);
    assert.ok(Number.isNaN(m.prices.input));
  });

  it('carries the spec §2 minimums, and the documented assumption where unknown', () => {
    const min = (id: string) => [table.resolve(id).minCacheableTokens, table.resolve(id).minCacheableConfirmed, assumedMinCacheable(table.resolve(id))];
    assert.deepEqual(min('claude-opus-5'), [512, true, 512]);
    assert.deepEqual(min('claude-opus-4-8'), [1024, true, 1024]);
    assert.deepEqual(min('claude-opus-4-7'), [2048, true, 2048]);
    assert.deepEqual(min('claude-opus-4-6'), [4096, true, 4096]);
    assert.deepEqual(min('claude-haiku-4-5'), [4096, true, 4096]);
    assert.deepEqual(min('claude-fable-5-1'), [512, false, 512]);
    assert.deepEqual(min('claude-3-opus-20240229'), [1024, false, 1024]);
    // null -> the largest confirmed minimum of the family on the same tokenizer (else the family)
    assert.deepEqual(min('claude-opus-5-5'), [null, false, 2048]);
    assert.deepEqual(min('claude-sonnet-5-5'), [null, false, 1024]);
    assert.deepEqual(min('claude-haiku-5-5'), [null, false, 4096]);
    assert.deepEqual(min('claude-fable-5-2'), [null, false, 512]);
    assert.deepEqual(min('claude-mythos-5-2'), [null, false, 2048]);
    assert.match(table.resolve('claude-opus-5-5').minCacheableNote ?? '', /no source gives a minimum; assuming 2048.*claude-opus-4-7/);
  });

  it('assigns tokenizer generations, geo, context and fast data', () => {
    const gen = (id: string) => table.resolve(id).tokenizer;
    for (const id of ['claude-opus-4-7', 'claude-opus-4-8', 'claude-opus-5', 'claude-fable-5', 'claude-mythos-5', 'claude-sonnet-5', 'claude-haiku-5-5']) {
      assert.equal(gen(id), 'claude-2026', id);
    }
    for (const id of ['claude-opus-4-6', 'claude-sonnet-4-6', 'claude-opus-4-5', 'claude-haiku-4-5']) assert.equal(gen(id), 'claude-legacy', id);
    assert.equal(table.resolve('claude-opus-4-6').usGeoMultiplier, true);
    assert.equal(table.resolve('claude-opus-4-5').usGeoMultiplier, false);
    assert.equal(table.resolve('claude-sonnet-4-6').contextWindow, 1_000_000);
    assert.equal(table.resolve('claude-sonnet-4-5').contextWindow, 200_000);
    assert.deepEqual(table.resolve('claude-opus-4-8').fast, { input: 10, output: 50 });
    assert.deepEqual(table.resolve('claude-haiku-5-5').longContext?.threshold, 100_000);
  });

  it('exposes a dated price source', () => {
    assert.match(PRICE_TABLE_VERSION, /^prices as of 2026-11-27/);
  });
});
