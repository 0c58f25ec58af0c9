import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StreamAccumulator, parseSseTranscript } from '../../../src/backends/anthropic/accumulator';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/sse', name), 'utf8');

function replay(name: string) {
  const texts: string[] = [];
  const usages: unknown[] = [];
  const acc = new StreamAccumulator({ onText: (d) => texts.push(d), onUsage: (u) => usages.push(u) });
  for (const e of parseSseTranscript(fixture(name))) acc.push(e);
  return { acc, texts, usages };
}

describe('backends/StreamAccumulator on recorded SSE transcripts (spec §4.2)', () => {
  it('takes the 5m/1h split from message_start and overwrites (never adds) message_delta counters', () => {
    const { acc, usages } = replay('cache-write-5m-1h.txt');
    assert.deepEqual(acc.usage, {
      input_tokens: 50,
      output_tokens: 503, // two deltas (200 then 503) are cumulative: not 703, not 704
      cache_creation_input_tokens: 248,
      cache_read_input_tokens: 100000,
      cache_creation: { ephemeral_5m_input_tokens: 148, ephemeral_1h_input_tokens: 100 },
      service_tier: 'standard',
      inference_geo: 'global',
    });
    assert.equal(acc.text, 'Hello friend');
    assert.equal(acc.stopReason, 'end_turn');
    assert.equal(acc.stopped, true);
    assert.equal(acc.messageId, 'msg_01CacheSplit');
    assert.equal(usages.length, 3); // start + two deltas
  });

  it('lets cumulative message_delta input counters replace the message_start values', () => {
    const { acc, texts } = replay('web-search-cumulative.txt');
    assert.equal(acc.usage?.input_tokens, 10682);
    assert.equal(acc.usage?.output_tokens, 510);
    assert.deepEqual(acc.usage?.server_tool_use, { web_search_requests: 1 });
    assert.deepEqual(acc.usage?.cache_creation, { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 });
    assert.deepEqual(texts, ['H', 'ello frien', 'd']);
    assert.equal(acc.text, 'Hello friend');
  });

  it('tolerates unknown events, unknown deltas and null usage fields; assembles thinking and tool input', () => {
    const { acc } = replay('tool-use-thinking-nulls.txt');
    assert.deepEqual(acc.usage, {
      input_tokens: 472,
      output_tokens: 89,
      cache_creation_input_tokens: null,
      cache_read_input_tokens: null,
      cache_creation: null,
      service_tier: 'standard',
      inference_geo: null,
      output_tokens_details: { thinking_tokens: 31 },
    });
    const content = acc.content() as unknown as Array<Record<string, unknown>>;
    assert.equal(content.length, 3);
    assert.deepEqual(content[0], { type: 'thinking', thinking: 'The user wants the weather.', signature: 'EqQBCgIYAhIM' });
    assert.deepEqual(content[1], { type: 'text', text: 'Let me check.' });
    assert.deepEqual(content[2], { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { location: 'San Francisco, CA' } });
    assert.equal(acc.stopReason, 'tool_use');
    assert.equal(acc.text, 'Let me check.');
  });

  it('keeps the partial text and the usage received before a mid-stream error event', () => {
    const { acc } = replay('mid-stream-error.txt');
    assert.deepEqual(acc.error, { type: 'overloaded_error', message: 'Overloaded' });
    assert.equal(acc.text, 'The first half of an answer');
    assert.equal(acc.usage?.cache_read_input_tokens, 4096);
    assert.equal(acc.stopped, false);
    assert.equal(acc.stopReason, null);
  });

  it('keeps an unfinished tool input as partial_json instead of inventing one', () => {
    const acc = new StreamAccumulator();
    acc.push({ type: 'message_start', message: { id: 'm', usage: { input_tokens: 3, output_tokens: 1 } } });
    acc.push({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 't', name: 'x', input: {} } });
    acc.push({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"a": 1' } });
    assert.deepEqual(acc.content(), [{ type: 'tool_use', id: 't', name: 'x', input: {}, partial_json: '{"a": 1' }]);
  });

  it('ignores garbage events and a message_delta without usage', () => {
    const acc = new StreamAccumulator();
    for (const e of [null, 42, 'x', [], { type: 'message_delta' }, { type: 'content_block_delta', index: 7, delta: { type: 'text_delta', text: 'lost' } }]) acc.push(e);
    assert.deepEqual(acc.usage, { input_tokens: 0, output_tokens: 0 });
    assert.equal(acc.text, '');
  });

  it('rejects a transcript whose data is not JSON with a clear message', () => {
    assert.throws(() => parseSseTranscript('event: x\ndata: {oops\n\n'), /not JSON/);
  });
});
