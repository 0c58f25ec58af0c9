import { strict as assert } from 'node:assert';
import { createCacheSimulator } from '../../../src/core/cache/simulator';
import { explainOutcome, type ExplainInput } from '../../../src/core/explain/explain';
import type { MessagesRequest } from '../../../src/shared/anthropic';
import { createModelTable } from '../../../src/core/models/table';
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

// Tool-use overhead for Sonnet 5 with tool_choice auto (spec §3.2): 354 tokens at the start of
// every prefix. tools 10 + instructions 2,029 + 354 = 2,393.
const base = () => req([instructions()], [user(text(10))], { tools: [tool('search')] });

describe('explainOutcome', () => {
  it('full hit', () => {
    const e = run(base(), base(), MIN);
    assert.equal(e.kind, 'hit');
    assert.equal(e.sentence, 'Read 2,393 tokens from cache (99% of input); nothing new to write.');
  });

  it('first request', () => {
    const s = createCacheSimulator({ models: table(), countTokens: () => lengthCounter });
    const r = base();
    const e = explainOutcome({ request: r, atMs: 0, model: sonnet, predicted: s.predict(r, 0) });
    assert.equal(e.sentence, 'First request with this prefix: wrote 2,393 tokens at 5m; nothing to read yet.');
  });

  it('instructions edited: names the block, tier, file line and first differing line', () => {
    const edited = req([instructions('Line one\nLine 2 rewritten\nLine three')], [user(text(10))], { tools: [tool('search')] });
    const e = run(base(), edited, MIN, { sources: { systemSources: [{ file: 'prompts/agent.prompt.md', line: 5 }] } });
    assert.equal(e.kind, 'prefix-changed');
    assert.equal(e.block?.source?.line, 6);
    assert.equal(
      e.sentence,
      'The prompt changed at block 1, system instructions (prompts/agent.prompt.md line 6), first differing line: "Line 2 rewritten": everything from there on no longer matches the cached prefix. 2,393 previously cached tokens were not read.',
    );
    assert.equal(e.tokensMissed, 2393);
  });

  it('TTL expired, and by how long', () => {
    const e = run(base(), base(), 7 * MIN + 30_000);
    assert.equal(e.kind, 'ttl-expired');
    assert.match(e.sentence, /^The 5m cache entry \(2,393 tokens\) expired 2 min 30 s before this request/);
    assert.equal(e.tokensMissed, 2393);
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

  it('tool_choice changed (with the messages cached, the part it invalidates)', () => {
    const withConv = () => req([instructions()], [user(text(10, 'u', { cache_control: cc5 }))], { tools: [tool('search')] });
    const e = run(withConv(), { ...withConv(), tool_choice: { type: 'any' } }, MIN);
    assert.equal(e.kind, 'tool-choice-changed');
    assert.match(e.sentence, /^tool_choice changed from null to \{"type":"any"\}: the messages cache is invalidated/);
    // Only the user turn (10 + 7) is lost: the read prefix now carries the any/tool overhead (474, not 354).
    assert.equal(e.tokensMissed, 17);
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
    assert.match(e.sentence, /^Prediction said 2,393 tokens read, API reported 0: no known cause/);
    assert.equal(e.tokensMissed, 2393);
  });

  it('small estimate differences are not a mismatch', () => {
    const e = run(base(), base(), MIN, { actualUsage: { input_tokens: 17, output_tokens: 5, cache_read_input_tokens: 2100, cache_creation_input_tokens: 0 } });
    assert.equal(e.kind, 'hit');
  });

  it('no breakpoints', () => {
    const r = req([{ type: 'text', text: 'x'.repeat(2000) }], [user(text(10))]);
    assert.equal(run(r, r, MIN).kind, 'no-breakpoints');
  });

  it('top-level cache_control with only an empty text block: automatic caching found no eligible block', () => {
    const s = createCacheSimulator({ models: table(), countTokens: () => lengthCounter });
    const r: MessagesRequest = { model: 'claude-sonnet-5', max_tokens: 10, messages: [user(text(0))], cache_control: cc5 };
    const e = explainOutcome({ request: r, atMs: 0, model: sonnet, predicted: s.predict(r, 0) });
    assert.equal(e.kind, 'no-breakpoints');
    assert.equal(
      e.sentence,
      'Automatic caching (top-level cache_control) found no eligible block: it walks back past thinking and empty text blocks and none was left, so caching was skipped.',
    );
  });
});

describe('explainOutcome: a miss cause only when tokens were lost', () => {
  const conv = (extra: Partial<MessagesRequest> = {}) => req([instructions()], [user(text(10, 'u', { cache_control: cc5 }))], { tools: [tool('search')], ...extra });

  it('sonnet -> opus -> sonnet: the third request is a full hit, not model-changed', () => {
    const s = createCacheSimulator({ models: table(), countTokens: () => lengthCounter });
    s.commit(conv(), 0);
    const second = { ...conv(), model: 'claude-opus-5' };
    const o2 = s.commit(second, MIN);
    const third = conv();
    const o3 = s.commit(third, 2 * MIN);
    const e = explainOutcome({ request: third, atMs: 2 * MIN, model: sonnet, predicted: o3, previous: { request: second, atMs: MIN, outcome: o2 } });
    assert.equal(e.kind, 'hit');
    assert.equal(o3.usage.cache_read_input_tokens, 354 + 2056);
  });

  it('an alias then its dated id is the same model: a full hit, not model-changed', () => {
    const models = createModelTable();
    const s = createCacheSimulator({ models, countTokens: () => lengthCounter });
    const first = { ...conv(), model: 'claude-sonnet-4-5' };
    const second = { ...conv(), model: 'claude-sonnet-4-5-20250929' };
    const o1 = s.commit(first, 0);
    const o2 = s.commit(second, MIN);
    const e = explainOutcome({ request: second, atMs: MIN, model: models.resolve(second.model), models, predicted: o2, previous: { request: first, atMs: 0, outcome: o1 } });
    assert.equal(e.kind, 'hit');
  });

  it('an alias change with a lost entry elsewhere is not blamed on the model (resolved ids are compared)', () => {
    const models = createModelTable();
    const s = createCacheSimulator({ models, countTokens: () => lengthCounter });
    const first = { ...conv(), model: 'claude-sonnet-4-5' };
    const edited = req([instructions('Line one\nLine 2 rewritten\nLine three')], [user(text(10, 'u', { cache_control: cc5 }))], { tools: [tool('search')], model: 'claude-sonnet-4-5-20250929' });
    const o1 = s.commit(first, 0);
    const o2 = s.commit(edited, MIN);
    const e = explainOutcome({ request: edited, atMs: MIN, model: models.resolve(edited.model), models, predicted: o2, previous: { request: first, atMs: 0, outcome: o1 } });
    assert.equal(e.kind, 'prefix-changed');
    assert.equal(e.block?.index, 1);
  });

  it('adding output_config.format keeps the cache: a hit, not settings-changed', () => {
    const e = run(conv(), conv({ output_config: { format: { type: 'json_schema', schema: { type: 'object' } } } }), MIN);
    assert.equal(e.kind, 'hit');
  });

  it('changing output_config.effort invalidates the messages cache and is named', () => {
    const e = run(conv({ output_config: { effort: 'high' } }), conv({ output_config: { effort: 'low' } }), MIN);
    assert.equal(e.kind, 'settings-changed');
    assert.match(e.sentence, /output_config\.effort/);
    assert.equal(e.tokensMissed, 17);
  });
});

describe('explainOutcome: tool_use input key order (§1.6)', () => {
  it('the same tool_use input with its keys reordered misses, and the explainer says why', () => {
    const call = (input: Record<string, unknown>) => ({ type: 'tool_use' as const, id: 'toolu_1', name: 'search', input });
    const turns = (input: Record<string, unknown>): MessagesRequest['messages'] => [
      user(text(10, 'u')),
      assistant(call(input)),
      user({ type: 'tool_result', tool_use_id: 'toolu_1', content: 'result', cache_control: cc5 }),
    ];
    const first = req([instructions()], turns({ a: 1, b: 2 }), { tools: [tool('search')] });
    const second = req([instructions()], turns({ b: 2, a: 1 }), { tools: [tool('search')] });
    const e = run(first, second, MIN);
    assert.equal(e.kind, 'prefix-changed');
    assert.equal(e.block?.index, 3);
    assert.match(e.sentence, /the same tool_use input with keys in a different order: serialise inputs with a stable key order/);
  });
});
