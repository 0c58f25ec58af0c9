import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PricesFileError, modelsSettingSchema, parseModelOverrides } from '../../../src/core/models/overrides';
import { loadPricesFile } from '../../../src/cli/inputs';
import { CliError } from '../../../src/cli/io';
import { createModelTable } from '../../../src/core/models/table';

const FULL = { input: 3, write5m: 3.75, write1h: 6, read: 0.3, output: 15 };
const parse = (v: unknown) => parseModelOverrides(v, 'setting promptCacheLab.models');

describe('model overrides', () => {
  it('adds a new model with aliases and defaults flagged in its source', () => {
    const { overrides, errors } = parse({ 'my-model': { ...FULL, aliases: ['mm'], minCacheableTokens: 2048, tokenizer: 'claude-legacy' } });
    assert.deepEqual(errors, []);
    const m = createModelTable(overrides).resolve('mm');
    assert.equal(m.id, 'my-model');
    assert.deepEqual(m.prices, FULL);
    assert.equal(m.minCacheableTokens, 2048);
    assert.equal(m.tokenizer, 'claude-legacy');
    assert.match(m.source, /setting promptCacheLab\.models/);
  });

  it('a new model without a minimum assumes the largest confirmed minimum of all models', () => {
    const m = createModelTable(parse({ other: FULL }).overrides).resolve('other');
    assert.equal(m.minCacheableTokens, null);
    assert.equal(m.minCacheableAssumed, 4096);
    assert.equal(m.tokenizer, 'claude-2026');
  });

  it('merges an override of a known id (by alias) and keeps the rest', () => {
    const { overrides, errors } = parse({ 'claude-opus-4-5': { read: 0.4, displayName: 'Opus 4.5 (contract)' } });
    assert.deepEqual(errors, []);
    const m = createModelTable(overrides).resolve('claude-opus-4-5-20251101');
    assert.deepEqual(m.prices, { input: 5, write5m: 6.25, write1h: 10, read: 0.4, output: 25 });
    assert.equal(m.displayName, 'Opus 4.5 (contract)');
    assert.match(m.source, /overridden by setting promptCacheLab\.models \(read, displayName\)/);
  });

  it('later overrides win', () => {
    const a = parse({ 'claude-sonnet-5': { input: 9 } }).overrides;
    const b = parseModelOverrides({ 'claude-sonnet-5': { input: 7 } }, 'file').overrides;
    assert.equal(createModelTable([...a, ...b]).resolve('claude-sonnet-5').prices.input, 7);
  });

  it('a new id must give every price and the error names the missing ones', () => {
    const { overrides, errors } = parse({ 'new-model': { input: 1, output: 5 } });
    assert.equal(overrides.length, 0);
    assert.deepEqual(errors, ['setting promptCacheLab.models: model "new-model": is not a built-in model, so it needs all five prices; missing: write5m, write1h, read']);
  });

  it('a known unpriced id must give every price', () => {
    const { errors } = parse({ 'claude-mythos-preview': { input: 1 } });
    assert.match(errors[0] ?? '', /known model without published prices.*missing: write5m, write1h, read, output/);
  });

  it('rejects bad fields naming id and field, keeping the valid entries', () => {
    const { overrides, errors } = parse({
      good: FULL,
      neg: { ...FULL, input: -1 },
      str: { ...FULL, output: '15' },
      extra: { ...FULL, cache_read: 1 },
      tok: { ...FULL, tokenizer: 'o200k' },
      min: { ...FULL, minCacheableTokens: 1.5 },
      ali: { ...FULL, aliases: 'x' },
      notobj: 5,
      fine: { ...FULL, read: 0.0000001 },
    });
    assert.deepEqual(overrides.map((o) => o.id), ['good']);
    const text = errors.join('\n');
    assert.match(text, /model "neg": field "input" must not be negative, got -1/);
    assert.match(text, /model "str": field "output" must be a number \(USD per million tokens\), got the string "15"/);
    assert.match(text, /model "extra": field "cache_read" is not a known field \(allowed: input, write5m/);
    assert.match(text, /model "tok": field "tokenizer" must be one of claude-legacy, claude-2026/);
    assert.match(text, /model "min": field "minCacheableTokens" must be an integer/);
    assert.match(text, /model "ali": field "aliases" must be an array of non-empty strings/);
    assert.match(text, /model "notobj": must be an object/);
    assert.match(text, /model "fine": field "read" has more than 6 decimals/);
    assert.equal(errors.length, 8);
  });

  it('rejects an alias that already names another model', () => {
    const { overrides, errors } = parse({ mine: { ...FULL, aliases: ['claude-opus-4-5'] } });
    assert.equal(overrides.length, 0);
    assert.match(errors[0] ?? '', /alias "claude-opus-4-5" already names model "claude-opus-4-5-20251101"/);
  });

  it('rejects a non-object root and accepts undefined', () => {
    assert.match(parse([1]).errors[0] ?? '', /must be an object keyed by model id, got an array/);
    assert.deepEqual(parse(undefined), { overrides: [], errors: [] });
  });

  it('the settings schema lists exactly the accepted fields', () => {
    const props = Object.keys(modelsSettingSchema.additionalProperties.properties).sort();
    assert.deepEqual(props, ['aliases', 'contextWindow', 'displayName', 'input', 'minCacheableTokens', 'output', 'read', 'tokenizer', 'write1h', 'write5m']);
    for (const f of props) {
      const { errors } = parse({ x: { ...FULL, [f]: {} } });
      assert.match(errors.join(), new RegExp(`field "${f}" must`), f);
    }
  });
});

describe('loadPricesFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcl-prices-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('loads a valid file', async () => {
    const overrides = await loadPricesFile(file('ok.json', JSON.stringify({ 'claude-mythos-5-2': FULL })));
    assert.equal(createModelTable(overrides).resolve('claude-mythos-5-2').prices.output, 15);
  });

  it('missing file', async () => {
    await assert.rejects(loadPricesFile(join(dir, 'nope.json')), (e: Error) => e instanceof CliError && /^--prices: .*nope\.json does not exist$/.test(e.message));
  });

  it('invalid JSON gives line and column', async () => {
    const p = file('bad.json', '{\n  "a": {"input": 1,}\n}');
    await assert.rejects(loadPricesFile(p), (e: Error) => e instanceof PricesFileError && /invalid JSON: .*line 2, column 20/.test(e.message));
  });

  it('invalid entries fail the whole file, naming the file', async () => {
    const p = file('neg.json', JSON.stringify({ 'claude-sonnet-5': { input: -2 } }));
    await assert.rejects(loadPricesFile(p), (e: Error) => e instanceof PricesFileError && e.message.includes(`prices file ${p}: model "claude-sonnet-5": field "input" must not be negative`));
  });
});
