// Pre-warming (spec §1.8): the request we build, and the result against the emulator.
import { strict as assert } from 'node:assert';
import type { EmulatorHandle } from '../../../src/backends/emulator/server';
import { createAnthropicBackend } from '../../../src/backends/anthropic/backend';
import { buildPrewarmRequest, PREWARM_PLACEHOLDER } from '../../../src/backends/anthropic/prewarm';
import { costOf } from '../../../src/core/cost/cost';
import { createModelTable } from '../../../src/core/models/table';
import type { MessagesRequest } from '../../../src/shared/anthropic';
import { LONG_SYSTEM, TEST_KEY, withEmulator } from './helpers';

function planned(): MessagesRequest {
  return {
    model: 'claude-sonnet-5',
    max_tokens: 1024,
    stream: true,
    tool_choice: { type: 'any' },
    thinking: { type: 'enabled', budget_tokens: 2000 },
    tools: [{ name: 'lookup', input_schema: { type: 'object' } }],
    system: [{ type: 'text', text: LONG_SYSTEM, cache_control: { type: 'ephemeral', ttl: '1h' } }],
    messages: [
      { role: 'user', content: 'First question' },
      { role: 'assistant', content: 'First answer' },
      { role: 'user', content: [{ type: 'text', text: 'Next question', cache_control: { type: 'ephemeral' } }] },
    ],
  };
}

describe('backends/pre-warm', () => {
  it('builds max_tokens 0, unstreamed, with an explicit breakpoint on the last shared block', () => {
    const plan = buildPrewarmRequest(planned());
    const r = plan.request;
    assert.equal(r.max_tokens, 0);
    assert.equal(r.stream, undefined);
    assert.equal(r.thinking, undefined);
    assert.equal(r.tool_choice, undefined);
    assert.deepEqual(plan.stripped, ['stream', 'thinking', 'tool_choice']);
    assert.equal(plan.breakpoint, 'messages[1].content[0]');
    assert.equal(plan.ttl, '5m');
    assert.deepEqual(r.messages[1], { role: 'assistant', content: [{ type: 'text', text: 'First answer', cache_control: { type: 'ephemeral' } }] });
    assert.deepEqual(r.messages[2], { role: 'user', content: [{ type: 'text', text: PREWARM_PLACEHOLDER }] });
    assert.equal(r.messages.length, 3);
    assert.deepEqual((r.system as Array<{ cache_control?: unknown }>)[0]?.cache_control, { type: 'ephemeral', ttl: '1h' }, 'tier markers kept');
    assert.equal(planned().max_tokens, 1024, 'the planned request is not mutated');
  });

  it('a first-turn request warms tools + system; top-level cache_control becomes an explicit mark', () => {
    const plan = buildPrewarmRequest({ model: 'claude-sonnet-5', max_tokens: 10, cache_control: { type: 'ephemeral', ttl: '1h' }, system: 'Sys', messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(plan.breakpoint, 'system[0]');
    assert.equal(plan.ttl, '1h');
    assert.equal(plan.request.cache_control, undefined);
    assert.deepEqual(plan.request.system, [{ type: 'text', text: 'Sys', cache_control: { type: 'ephemeral', ttl: '1h' } }]);
  });

  it('refuses a request with nothing shared to warm', () => {
    assert.throws(() => buildPrewarmRequest({ model: 'm', messages: [{ role: 'user', content: 'only' }] }), /Nothing to pre-warm/);
  });

  describe('against the emulator', () => {
    let emu: EmulatorHandle;
    beforeEach(async () => {
      emu = await withEmulator();
    });
    afterEach(() => emu.close());

    it('reports what was written and what it cost, and the next real turn reads it', async () => {
      const models = createModelTable();
      const b = createAnthropicBackend({ apiKey: TEST_KEY, baseURL: emu.url, maxRetries: 0, models });
      const { tool_choice: _t, thinking: _k, ...sendable } = planned();
      const warm = await b.prewarm(sendable);
      assert.equal(warm.usage.output_tokens, 0);
      assert.ok(warm.written > 1024);
      assert.equal(warm.written, (warm.usage.cache_creation?.ephemeral_1h_input_tokens ?? 0) + (warm.usage.cache_creation?.ephemeral_5m_input_tokens ?? 0));
      assert.ok((warm.usage.cache_creation?.ephemeral_1h_input_tokens ?? 0) > 0, 'the 1h system tier was written');
      assert.deepEqual(warm.cost, costOf(warm.usage, models.resolve('claude-sonnet-5'), { requestedTtl: '5m' }));
      assert.ok((warm.cost?.total ?? 0) > 0);
      const sentBody = emu.requests()[0]?.body as MessagesRequest;
      assert.equal(sentBody.max_tokens, 0);
      assert.equal(sentBody.stream, undefined);
      const turn = await b.send(sendable);
      assert.equal(turn.usage.cache_read_input_tokens, warm.written, 'everything pre-warmed is read');
    });
  });
});
