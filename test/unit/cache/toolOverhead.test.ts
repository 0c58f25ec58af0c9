import { strict as assert } from 'node:assert';
import { createCacheSimulator } from '../../../src/core/cache/simulator';
import { toolUseOverheadTokens } from '../../../src/core/cache/toolOverhead';
import { createModelTable } from '../../../src/core/models/table';
import type { MessagesRequest } from '../../../src/shared/anthropic';
import { MIN, cc5, lengthCounter, model, req, table, text, tool, user } from './fixtures';

describe('tool-use system prompt overhead (spec §3.2)', () => {
  const models = createModelTable();
  const of = (id: string, tool_choice?: MessagesRequest['tool_choice']) =>
    toolUseOverheadTokens(models.resolve(id), { tools: [tool('t')], ...(tool_choice ? { tool_choice } : {}) });

  it('has the documented figures per model, auto/none vs any/tool', () => {
    assert.deepEqual([of('claude-opus-5'), of('claude-opus-5', { type: 'any' })], [286, 406]);
    assert.deepEqual([of('claude-opus-4-8'), of('claude-opus-4-8', { type: 'tool', name: 't' })], [290, 410]);
    assert.deepEqual([of('claude-opus-4-7'), of('claude-opus-4-7', { type: 'any' })], [675, 804]);
    assert.deepEqual([of('claude-opus-4-6'), of('claude-sonnet-4-6', { type: 'any' })], [497, 589]);
    assert.deepEqual([of('claude-opus-4-5'), of('claude-sonnet-4-5'), of('claude-haiku-4-5', { type: 'any' })], [496, 496, 588]);
    assert.deepEqual([of('claude-sonnet-5'), of('claude-sonnet-5', { type: 'none' }), of('claude-sonnet-5', { type: 'any' })], [354, 354, 474]);
    assert.deepEqual([of('claude-opus-4-1-20250805'), of('claude-opus-4-20250514'), of('claude-sonnet-4-20250514', { type: 'any' })], [313, 313, 315]);
    assert.deepEqual([of('claude-3-5-haiku-20241022'), of('claude-3-5-haiku-20241022', { type: 'any' })], [264, 355]);
  });

  it('is 0 without tools (or with an empty tools array)', () => {
    assert.equal(toolUseOverheadTokens(models.resolve('claude-sonnet-5'), {}), 0);
    assert.equal(toolUseOverheadTokens(models.resolve('claude-sonnet-5'), { tools: [] }), 0);
  });

  it('every built-in model has a figure (undocumented ones assume the nearest documented generation)', () => {
    for (const m of models.all()) assert.ok(toolUseOverheadTokens(m, { tools: [tool('t')] }) > 0, m.id);
    assert.equal(of('claude-opus-5-5'), 286);
    assert.equal(of('claude-sonnet-5-5'), 354);
  });

  it('is counted once at the start of the prefix: block totals, writes and the minimum check', () => {
    const s = createCacheSimulator({ models: table(), countTokens: () => lengthCounter });
    // tool (10) + system 700 + user (10 + 7) = 727 tokens of blocks: below 1,024 without the
    // overhead, 727 + 354 = 1,081 with it, so the write happens.
    const r = req([text(700)], [user(text(10, 'u', { cache_control: cc5 }))], { tools: [tool('search')] });
    const out = s.commit(r, 0);
    assert.equal(out.totalInputTokens, 1081);
    assert.equal(out.usage.cache_creation_input_tokens, 1081);
    assert.equal(out.usage.input_tokens, 0);
    assert.equal(out.breakpoints[0]?.prefixTokens, 1081);
    assert.equal(s.commit(r, MIN).usage.cache_read_input_tokens, 1081);
  });

  it('tool_choice any uses the larger figure; without tools nothing is added', () => {
    const s = createCacheSimulator({ models: table(), countTokens: () => lengthCounter });
    const base = req([text(700)], [user(text(10))], { tools: [tool('search')] });
    assert.equal(s.predict({ ...base, tool_choice: { type: 'any' } }, 0).totalInputTokens, 727 + 474);
    const { tools: _t, ...noTools } = base;
    assert.equal(s.predict(noTools, 0).totalInputTokens, 717);
  });

  it('a model without a table row and without a family assumes the Sonnet 5 figure', () => {
    assert.equal(toolUseOverheadTokens(model('custom-model'), { tools: [tool('t')] }), 354);
  });
});
