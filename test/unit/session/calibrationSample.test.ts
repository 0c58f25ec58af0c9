import { strict as assert } from 'node:assert';
import { toolUseOverheadTokens } from '../../../src/core/cache/toolOverhead';
import { createModelTable } from '../../../src/core/models/table';
import { calibrationSample } from '../../../src/core/session/calibrationSample';
import { countO200k } from '../../../src/core/tokens/count';
import type { MessagesRequest } from '../../../src/shared/anthropic';

describe('session/calibrationSample', () => {
  const model = createModelTable().resolve('claude-sonnet-5');
  const system = 'You are a careful support agent for an outdoor clothing shop. '.repeat(20);
  const question = 'Where is my order AO-12345678? It was due on Monday.';
  const request: MessagesRequest = { model: model.id, max_tokens: 100, system: [{ type: 'text', text: system }], messages: [{ role: 'user', content: question }] };

  it('pairs the raw o200k count of the text with the billed input less framing', () => {
    const usage = { input_tokens: 40, cache_read_input_tokens: 0, cache_creation_input_tokens: 900, cache_creation: { ephemeral_5m_input_tokens: 900, ephemeral_1h_input_tokens: 0 }, output_tokens: 12 };
    const s = calibrationSample(request, usage, model);
    assert.deepEqual(s, { generation: 'claude-2026', rawTokens: countO200k(system) + countO200k(question), actualTokens: 940 - 7 });
  });

  it('removes the tool-use system prompt the API adds when tools are present', () => {
    const withTools: MessagesRequest = { ...request, tools: [{ name: 'lookup_order', description: 'Find an order', input_schema: { type: 'object' } }] };
    const usage = { input_tokens: 1500, output_tokens: 1 };
    const s = calibrationSample(withTools, usage, model);
    assert.equal(s?.actualTokens, 1500 - 7 - toolUseOverheadTokens(model, withTools));
    assert.ok(toolUseOverheadTokens(model, withTools) > 0);
  });

  it('gives no sample for requests with images, or when the usage is smaller than the framing', () => {
    const withImage: MessagesRequest = { ...request, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AA==' } }, { type: 'text', text: question }] }] };
    assert.equal(calibrationSample(withImage, { input_tokens: 2000, output_tokens: 1 }, model), undefined);
    assert.equal(calibrationSample(request, { input_tokens: 5, output_tokens: 1 }, model), undefined);
  });
});
