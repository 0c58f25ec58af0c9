// The official SDK against the emulator over real HTTP.
import { strict as assert } from 'node:assert';
import Anthropic from '@anthropic-ai/sdk';
import type { EmulatorHandle } from '../../../src/backends/emulator/server';
import type { MessagesRequest, ToolDefinition } from '../../../src/shared/anthropic';
import { parseScriptText } from '../../../src/backends/emulator/script';
import { createCacheSimulator } from '../../../src/core/cache/simulator';
import { createModelTable } from '../../../src/core/models/table';
import { countO200k } from '../../../src/core/tokens/count';
import { blockTokenCounter } from '../../../src/core/tokens/estimate';
import { cachedRequest, LONG_SYSTEM, sdkClient, T0, withEmulator } from './helpers';

type Params = Anthropic.MessageCreateParamsNonStreaming;
const asParams = (r: MessagesRequest) => r as unknown as Params;

describe('backends/emulator through the official SDK', () => {
  let emu: EmulatorHandle;
  let client: Anthropic;
  beforeEach(async () => {
    emu = await withEmulator();
    client = sdkClient(emu);
  });
  afterEach(() => emu.close());

  it('a first request writes the cache and a second reads it, with usage matching the simulator exactly', async () => {
    const sim = createCacheSimulator({ models: createModelTable() });
    const expectedWrite = sim.commit(cachedRequest(), T0).usage;
    const expectedRead = sim.commit(cachedRequest(), T0).usage;
    assert.ok((expectedWrite.cache_creation_input_tokens ?? 0) > 1024, 'the fixture must be cacheable');

    const first = await client.messages.create(asParams(cachedRequest()));
    assert.deepEqual(first.usage, { ...expectedWrite, output_tokens: first.usage.output_tokens, service_tier: 'standard', inference_geo: 'global' });
    assert.equal(first.usage.cache_read_input_tokens, 0);
    assert.equal(first.usage.cache_creation?.ephemeral_5m_input_tokens, expectedWrite.cache_creation_input_tokens);

    const second = await client.messages.stream(asParams(cachedRequest())).finalMessage();
    assert.equal(second.usage.cache_creation_input_tokens, 0);
    assert.equal(second.usage.cache_read_input_tokens, expectedRead.cache_read_input_tokens);
    assert.equal(second.usage.cache_read_input_tokens, expectedWrite.cache_creation_input_tokens);
    assert.equal(second.usage.input_tokens, expectedRead.input_tokens);
    assert.ok(first.usage.output_tokens > 0 && first.usage.output_tokens <= 64);
    const text = first.content[0]?.type === 'text' ? first.content[0].text : '';
    assert.equal(countO200k(text), first.usage.output_tokens, 'placeholder text is as long as the output tokens billed');
    assert.equal(second.content[0]?.type, 'text');
  });

  it('a 5m entry expires after the clock advances 301 s; a 1h entry does not', async () => {
    await client.messages.create(asParams(cachedRequest('5m')));
    const oneHour = { ...cachedRequest('1h'), system: [{ type: 'text' as const, text: `${LONG_SYSTEM} (1h copy)`, cache_control: { type: 'ephemeral' as const, ttl: '1h' as const } }] };
    await client.messages.create(asParams(oneHour));
    assert.deepEqual(emu.state().entries.map((e) => [e.ttl, e.expires_in_s]).sort(), [['1h', 3600], ['5m', 300]]);
    emu.clock.advance(301);
    assert.deepEqual(emu.state().entries.map((e) => e.ttl), ['1h']);
    const again5m = await client.messages.create(asParams(cachedRequest('5m')));
    assert.equal(again5m.usage.cache_read_input_tokens, 0);
    assert.ok((again5m.usage.cache_creation?.ephemeral_5m_input_tokens ?? 0) > 1024);
    const again1h = await client.messages.create(asParams(oneHour));
    assert.ok((again1h.usage.cache_read_input_tokens ?? 0) > 1024);
    assert.equal(again1h.usage.cache_creation_input_tokens, 0);
  });

  it('a 5-breakpoint request raises BadRequestError with Anthropic\'s message and a request id', async () => {
    const req = cachedRequest();
    req.messages = [{ role: 'user', content: ['a', 'b', 'c', 'd'].map((t) => ({ type: 'text' as const, text: t, cache_control: { type: 'ephemeral' as const } })) }];
    await assert.rejects(client.messages.create(asParams(req)), (err: unknown) => {
      assert.ok(err instanceof Anthropic.BadRequestError);
      assert.equal(err.status, 400);
      assert.equal(err.type, 'invalid_request_error');
      assert.equal(err.apiMessage, 'A maximum of 4 blocks with cache_control may be provided. Found 5.');
      assert.match(String(err.requestID), /^req_emu_/);
      return true;
    });
  });

  it('a 429 with retry-after is retried by the SDK and then succeeds', async () => {
    emu.setFaults({ status: 429, retryAfterS: 1, retryAfterMs: 5 });
    const retrying = sdkClient(emu, { maxRetries: 2 });
    const t = Date.now();
    const msg = await retrying.messages.create(asParams(cachedRequest()));
    assert.equal(msg.type, 'message');
    assert.ok(Date.now() - t < 900, 'retry-after-ms (5 ms) was honoured, not the 1 s retry-after');
    assert.equal(emu.state().requests, 2);
  });

  it('count_tokens equals the simulator total and ignores caching', async () => {
    const sim = createCacheSimulator({ models: createModelTable() });
    const { max_tokens: _m, ...params } = cachedRequest();
    const counted = await client.messages.countTokens(params as unknown as Anthropic.MessageCountTokensParams);
    assert.equal(counted.input_tokens, sim.predict(cachedRequest(), T0).totalInputTokens);
    assert.deepEqual(emu.state().entries, [], 'count_tokens writes nothing');
  });

  it('count_tokens includes the tool-use system prompt overhead once when tools are present (spec §3.2)', async () => {
    const models = createModelTable();
    const tool: ToolDefinition = { name: 'lookup', description: 'Look an order up', input_schema: { type: 'object', properties: { id: { type: 'string' } } } };
    const { max_tokens: _m, ...params } = cachedRequest();
    const count = async (extra: Record<string, unknown>) =>
      (await client.messages.countTokens({ ...params, ...extra } as unknown as Anthropic.MessageCountTokensParams)).input_tokens;
    const toolTokens = blockTokenCounter(models.resolve('claude-sonnet-5').tokenizer)(tool);
    const bare = await count({});
    assert.equal(await count({ tools: [tool] }), bare + toolTokens + 354);
    assert.equal(await count({ tools: [tool], tool_choice: { type: 'any' } }), bare + toolTokens + 474);
  });

  it('streams the exact event sequence of spec §4.2', async () => {
    const types: string[] = [];
    const stream = await client.messages.create({ ...asParams(cachedRequest()), stream: true });
    for await (const e of stream) types.push(e.type);
    const body = types.filter((t) => t === 'content_block_delta').length;
    assert.ok(body >= 1);
    assert.deepEqual(types.filter((t) => t !== 'content_block_delta'), ['message_start', 'content_block_start', 'content_block_stop', 'message_delta', 'message_stop']);
  });

  it('replays a scripted tool_use turn with input_json_delta, then a text turn', async () => {
    emu.setScript({ turns: [
      { content: [{ type: 'text', text: 'Checking.' }, { type: 'tool_use', name: 'get_weather', input: { location: 'Paris', unit: 'c' } }], output_tokens: 42 },
      { content: [{ type: 'text', text: 'Sunny.' }], output_tokens: 3 },
    ] });
    const s1 = await client.messages.stream(asParams(cachedRequest())).finalMessage();
    assert.equal(s1.stop_reason, 'tool_use');
    assert.equal(s1.usage.output_tokens, 42);
    const tool = s1.content[1];
    assert.ok(tool && tool.type === 'tool_use');
    assert.deepEqual(tool.input, { location: 'Paris', unit: 'c' });
    const s2 = await client.messages.create(asParams(cachedRequest()));
    assert.deepEqual(s2.content, [{ type: 'text', text: 'Sunny.' }]);
    assert.equal(s2.stop_reason, 'end_turn');
    assert.equal(emu.state().script_turns_left, 0);
  });

  it('a scripted turn with event_delay_ms streams at that pace (a slow answer to cancel); the next turn is not slowed', async () => {
    const words = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen';
    emu.setScript(parseScriptText(`turns:\n  - text: "${words}"\n    event_delay_ms: 40\n  - text: "${words}"\n`));
    const gaps = async () => {
      const at: number[] = [];
      const stream = await client.messages.create({ ...asParams(cachedRequest()), stream: true });
      for await (const e of stream) if (e.type === 'content_block_delta') at.push(performance.now());
      return at.slice(1).map((t, i) => t - (at[i] as number));
    };
    const slow = await gaps();
    assert.ok(slow.length >= 3, `the answer came in several deltas (${slow.length + 1})`);
    // A lower bound only: a loaded machine can make gaps longer, never shorter than the sleep.
    for (const g of slow) assert.ok(g >= 35, `every delta waited for the delay (gaps ${slow.map(Math.round).join(', ')} ms)`);
    const fast = await gaps();
    assert.ok(fast.some((g) => g < 35), `an unscripted pace is not slowed (gaps ${fast.map(Math.round).join(', ')} ms)`);
  });

  it('refuses an event_delay_ms that is not a number of milliseconds from 0 to 600000', () => {
    for (const bad of ['-1', '"slow"', '600001', '.nan']) {
      assert.throws(() => parseScriptText(`turns:\n  - text: hi\n    event_delay_ms: ${bad}\n`), /turns\[0\]\.event_delay_ms: expected milliseconds from 0 to 600000/, bad);
    }
    assert.equal(parseScriptText('turns:\n  - text: hi\n    event_delay_ms: 0\n').turns[0]?.event_delay_ms, 0);
  });

  it('pre-warm (max_tokens 0): content [], stop_reason max_tokens, 0 output; streaming it is a 400', async () => {
    const warm = await client.messages.create({ ...asParams(cachedRequest()), max_tokens: 0 });
    assert.deepEqual(warm.content, []);
    assert.equal(warm.stop_reason, 'max_tokens');
    assert.equal(warm.usage.output_tokens, 0);
    assert.ok((warm.usage.cache_creation_input_tokens ?? 0) > 1024);
    await assert.rejects(client.messages.create({ ...asParams(cachedRequest()), max_tokens: 0, stream: true }), Anthropic.BadRequestError);
  });

  it('unknown model is a NotFoundError like the API', async () => {
    await assert.rejects(client.messages.create({ ...asParams(cachedRequest()), model: 'claude-nope-9' }), (err: unknown) => {
      assert.ok(err instanceof Anthropic.NotFoundError);
      assert.equal((err as InstanceType<typeof Anthropic.APIError>).apiMessage, 'model: claude-nope-9');
      return true;
    });
  });

  it('no credentials -> AuthenticationError (401 authentication_error)', async () => {
    const anon = new Anthropic({ apiKey: null, authToken: null, baseURL: emu.url, maxRetries: 0, logLevel: 'off', defaultHeaders: { Authorization: null } });
    await assert.rejects(anon.messages.create(asParams(cachedRequest())), Anthropic.AuthenticationError);
  });

  it('reports cache diagnostics on message_start when asked (spec §1.9)', async () => {
    const first = await client.messages.create(asParams(cachedRequest()));
    const changed = { ...cachedRequest(), system: [{ type: 'text' as const, text: `${LONG_SYSTEM}!`, cache_control: { type: 'ephemeral' as const } }], diagnostics: { previous_message_id: first.id } };
    const s = await client.messages.stream(changed as unknown as Params).finalMessage();
    const diag = (s as unknown as { diagnostics: { cache_miss_reason: { type: string } } }).diagnostics;
    assert.equal(diag.cache_miss_reason.type, 'system_changed');
    const none = await client.messages.create({ ...asParams(cachedRequest()), diagnostics: { previous_message_id: null } } as Params);
    assert.equal((none as unknown as { diagnostics: unknown }).diagnostics, null);
  });
});
