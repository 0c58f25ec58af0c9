import { strict as assert } from 'node:assert';
import { createCacheSimulator } from '../../../src/core/cache/simulator';
import { explainOutcome, type ExplainInput } from '../../../src/core/explain/explain';
import type { MessagesRequest } from '../../../src/shared/anthropic';
import { MIN, assistant, cc5, lengthCounter, model, req, table, text, tool, user } from '../cache/fixtures';

const sonnet = model('claude-sonnet-5');
const instructions = (body = 'Line one\nLine two\nLine three') => ({ type: 'text' as const, text: body + '\n' + 'x'.repeat(2000), cache_control: cc5 });

/** Commits `first` at 0, then commits `second` at `atMs` and explains it. */
function run(first: MessagesRequest, second: MessagesRequest, atMs: number, extra: Partial<ExplainInput> = {}) {
  const s = createCacheSimulator({ models: table(), countTokens: () => lengthCounter });
  const o1 = s.commit(first, 0);
  const o2 = s.commit(second, atMs);
  return explainOutcome({ request: second, atMs, model: sonnet, predicted: o2, previous: { request: first, atMs: 0, outcome: o1 }, ...extra });
}

const base = () => req([instructions()], [user(text(10))], { tools: [tool('search')] });

describe('explainOutcome', () => {
  it('full hit', () => {
    const e = run(base(), base(), MIN);
    assert.equal(e.kind, 'hit');
    assert.equal(e.sentence, 'Read 2,039 tokens from cache (99% of input); nothing new to write.');
  });

  it('first request', () => {
    const s = createCacheSimulator({ models: table(), countTokens: () => lengthCounter });
    const r = base();
    const e = explainOutcome({ request: r, atMs: 0, model: sonnet, predicted: s.predict(r, 0) });
    assert.equal(e.sentence, 'First request with this prefix: wrote 2,039 tokens at 5m; nothing to read yet.');
  });

  it('instructions edited: names the block, tier, file line and first differing line', () => {
    const edited = req([instructions('Line one\nLine 2 rewritten\nLine three')], [user(text(10))], { tools: [tool('search')] });
    const e = run(base(), edited, MIN, { sources: { systemSources: [{ file: 'prompts/agent.prompt.md', line: 5 }] } });
    assert.equal(e.kind, 'prefix-changed');
    assert.equal(e.block?.source?.line, 6);
    assert.equal(
      e.sentence,
      'The prompt changed at block 1, system instructions (prompts/agent.prompt.md line 6), first differing line: "Line 2 rewritten": everything from there on no longer matches the cached prefix. 2,039 previously cached tokens were not read.',
    );
    assert.equal(e.tokensMissed, 2039);
  });

  it('TTL expired, and by how long', () => {
    const e = run(base(), base(), 7 * MIN + 30_000);
    assert.equal(e.kind, 'ttl-expired');
    assert.match(e.sentence, /^The 5m cache entry \(2,039 tokens\) expired 2 min 30 s before this request/);
    assert.equal(e.tokensMissed, 2039);
  });

  it('below the minimum', () => {
    const small = req([{ type: 'text', text: 'x'.repeat(900), cache_control: cc5 }], [user(text(10))]);
    const e = run(small, small, MIN);
    assert.equal(e.kind, 'below-minimum');
    assert.equal(e.sentence, 'The cacheable prefix is 900 tokens, below the 1,024-token minimum for claude-sonnet-5: Anthropic processes it uncached, without an error.');
  });

  it('model changed', () => {
    const e = run(base(), { ...base(), model: 'claude-opus-5' }, MIN);
    assert.equal(e.kind, 'model-changed');
    assert.match(e.sentence, /^Model changed from claude-sonnet-5 to claude-opus-5: the cache is per model/);
  });

  it('tools changed', () => {
    const e = run(base(), { ...base(), tools: [tool('search'), tool('fetch')] }, MIN);
    assert.equal(e.kind, 'tools-changed');
    assert.match(e.sentence, /^Tool definitions changed \(1 → 2 tools\)/);
  });

  it('tool_choice changed', () => {
    const e = run(base(), { ...base(), tool_choice: { type: 'any' } }, MIN);
    assert.equal(e.kind, 'tool-choice-changed');
    assert.match(e.sentence, /^tool_choice changed from null to \{"type":"any"\}: the messages cache is invalidated/);
  });

  it('look-back exceeded', () => {
    const first = req([{ type: 'text', text: 'x'.repeat(2000) }], [user(text(10, 'u', { cache_control: cc5 }))]);
    const msgs: MessagesRequest['messages'] = [user(text(10, 'u'))];
    for (let i = 0; i < 12; i++) msgs.push(assistant(text(5, 'a'), text(5, 'b')), user(text(5, 'c')));
    msgs.push(user(text(5, 'z', { cache_control: cc5 })));
    const e = run(first, req([{ type: 'text', text: 'x'.repeat(2000) }], msgs), MIN);
    assert.equal(e.kind, 'lookback-exceeded');
    assert.match(e.sentence, /^The cached prefix ends at block 1, 37 blocks before the breakpoint at block 38: Anthropic looks back at most 20 blocks/);
    assert.equal(e.tokensMissed, 2017);
  });

  it('concurrent request before the entry existed', () => {
    const s = createCacheSimulator({ models: table(), countTokens: () => lengthCounter });
    const r = base();
    s.commit(r, 0, { availableAtMs: 4000 });
    const e = explainOutcome({ request: r, atMs: 1000, model: sonnet, predicted: s.predict(r, 1000) });
    assert.equal(e.kind, 'concurrent');
    assert.match(e.sentence, /^Sent 3 s before the response that writes this prefix began/);
  });

  it('the API diagnostics reason wins when present', () => {
    const s = createCacheSimulator({ models: table(), countTokens: () => lengthCounter });
    const r = base();
    const predicted = s.commit(r, 0);
    const e = explainOutcome({
      request: r, atMs: 0, model: sonnet, predicted,
      actualUsage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 2040 },
      diagnostics: { cache_miss_reason: { type: 'system_changed', cache_missed_input_tokens: 1800 } },
    });
    assert.equal(e.kind, 'api-diagnostics');
    assert.equal(e.sentence, 'Anthropic reports the system prompt changed since the previous request: 1,800 input tokens missed the cache.');
    assert.equal(e.tokensMissed, 1800);
  });

  it('previous_message_not_found and unavailable', () => {
    const s = createCacheSimulator({ models: table(), countTokens: () => lengthCounter });
    const r = base();
    const predicted = s.commit(r, 0);
    const one = (type: string) =>
      explainOutcome({ request: r, atMs: 0, model: sonnet, predicted, actualUsage: { input_tokens: 1, output_tokens: 1 }, diagnostics: { cache_miss_reason: { type } as never } }).sentence;
    assert.match(one('previous_message_not_found'), /could not find the previous message/);
    assert.match(one('unavailable'), /unavailable \(this also covers a changed tool_choice, thinking or output_config\)/);
  });

  it('prediction mismatch with no known cause', () => {
    const e = run(base(), base(), MIN, { actualUsage: { input_tokens: 2057, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 2040 } });
    assert.equal(e.kind, 'prediction-mismatch');
    assert.match(e.sentence, /^Prediction said 2,039 tokens read, API reported 0: no known cause/);
    assert.equal(e.tokensMissed, 2039);
  });

  it('small estimate differences are not a mismatch', () => {
    const e = run(base(), base(), MIN, { actualUsage: { input_tokens: 17, output_tokens: 5, cache_read_input_tokens: 2100, cache_creation_input_tokens: 0 } });
    assert.equal(e.kind, 'hit');
  });

  it('no breakpoints', () => {
    const r = req([{ type: 'text', text: 'x'.repeat(2000) }], [user(text(10))]);
    assert.equal(run(r, r, MIN).kind, 'no-breakpoints');
  });
});
