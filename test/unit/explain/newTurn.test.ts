// Reproduces, through the send sessions exactly as the product records a response (predict, then
// record with the usage the API reported), requests that read the whole cached prompt and write
// only their own turn: no prompt change may be blamed for them.
import { strict as assert } from 'node:assert';
import { createModelTable } from '../../../src/core/models/table';
import { SendSessions } from '../../../src/core/session/session';
import type { MessageParam, MessagesRequest } from '../../../src/shared/anthropic';

const models = createModelTable();
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const SYSTEM = 'You are a careful support agent for the Acme product line. '.repeat(200);
const cc = { type: 'ephemeral' as const };

/** The planner's shape: a breakpoint on the instructions and one on the last user message. */
function body(messages: MessageParam[], system = SYSTEM): MessagesRequest {
  const last = messages.length - 1;
  return {
    model: 'claude-sonnet-5',
    max_tokens: 64,
    system: [{ type: 'text', text: system, cache_control: cc }],
    messages: messages.map((m, i) => (i === last ? { ...m, content: [{ type: 'text', text: m.content as string, cache_control: cc }] } : m)),
  };
}

const u = (content: string): MessageParam => ({ role: 'user', content });
const a = (content: string): MessageParam => ({ role: 'assistant', content });

function sender() {
  const s = new SendSessions();
  return (request: MessagesRequest, atMs: number) => {
    const usage = { ...s.predict('panel', request, atMs, models).usage, output_tokens: 12 };
    return s.record({ sessionId: 'panel', request, atMs, usage, modelOverrides: {}, defaultModel: 'claude-sonnet-5' }, models).explanation;
  };
}

describe('explain: a new turn on a warm prompt is not a prompt change', () => {
  it('a new conversation on a warm prompt: all of the prompt read, only its first turn written', () => {
    const send = sender();
    send(body([u('Where is my order?')]), T0);
    send(body([u('Where is my order?'), a('It shipped on Monday.'), u('When does it arrive?')]), T0 + 30_000);
    const e = send(body([u('Can I return boots I bought last month?')]), T0 + 60_000);
    assert.equal(e.kind, 'new-conversation');
    assert.doesNotMatch(e.sentence, /The prompt changed at|no longer matches/);
    assert.match(e.sentence, /^New conversation on a warm prompt: read all [\d,]+ cached tokens of the prompt; the only write is this conversation's first turn \([\d,]+ tokens at 5m\)\. Nothing in the prompt changed\./);
  });

  it('the same prompt with a different single user message: read everything cached, wrote only the new turn', () => {
    const send = sender();
    send(body([u('Do you ship to Canada?')]), T0);
    const e = send(body([u('Can I pay by invoice?')]), T0 + 45_000);
    assert.equal(e.kind, 'new-conversation');
    assert.match(e.sentence, /^Same prompt, new user message: read all [\d,]+ cached tokens of the prompt; the only write is the new turn \([\d,]+ tokens at 5m\)\. Nothing in the prompt changed\.$/);
  });

  it('an edited prompt with a new message is still a prompt change, at the instructions', () => {
    const send = sender();
    send(body([u('Do you ship to Canada?')]), T0);
    const e = send(body([u('Can I pay by invoice?')], SYSTEM.replace('careful', 'friendly')), T0 + 45_000);
    assert.equal(e.kind, 'prefix-changed');
    assert.match(e.sentence, /^The prompt changed at block 0, system instructions/);
  });

  it('a new message after the prompt expired is a TTL expiry, not a new conversation', () => {
    const send = sender();
    send(body([u('Do you ship to Canada?')]), T0);
    assert.equal(send(body([u('Can I pay by invoice?')]), T0 + 6 * 60_000).kind, 'ttl-expired');
  });
});
