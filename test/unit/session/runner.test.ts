// The session runner with real parts: the official SDK over HTTP against the emulator, the
// in-process forecaster on the sample workspace's prompts.
import { strict as assert } from 'node:assert';
import { deadUrl } from '../../support/net';
import type { AnswerCache, StoredAnswer, ToolExecutor } from '../../../src/core/ports';
import type { MessagesRequest } from '../../../src/shared/anthropic';
import { PlanError } from '../../../src/core/ports';
import { emulatorPort, harness, type Harness } from '../../support/runnerHarness';
import { startEmulator } from '../../../src/backends/emulator/server';

describe('core/session runner: chat turns', () => {
  let h: Harness;
  afterEach(() => h?.close());

  it('records one RequestRecord per turn: the first writes the prefix, the second reads it, costs and predictions included', async () => {
    h = await harness();
    const c = h.conversation();
    const first = await c.send('Review this diff: +const a = 1;', { mode: 'chat' });
    h.clock.t += 30_000;
    const second = await c.send('And this one: -let b;', { mode: 'chat' });
    assert.equal(h.records.length, 2);
    const [r1, r2] = h.records;
    assert.ok(r1 && r2);
    assert.deepEqual([r1.turn, r2.turn, r1.step, r2.step], [1, 2, 0, 0]);
    assert.equal(r1.outcome, 'ok');
    assert.equal(r1.kind, 'send');
    assert.ok(r1.buckets.cacheWrite5m > 1000, 'turn 1 writes the prompt prefix');
    assert.equal(r1.buckets.cacheRead, 0);
    assert.ok(r2.buckets.cacheRead >= r1.buckets.cacheWrite5m, 'turn 2 reads what turn 1 wrote');
    assert.equal(r2.predicted?.buckets.cacheRead, r2.buckets.cacheRead, 'the emulator and the forecast share one cache model');
    assert.ok(r1.cost && r2.cost && r2.cost.total < r1.cost.total);
    assert.equal(r1.prompt.id, 'code-reviewer');
    assert.equal(r1.prompt.path, 'prompts/code-reviewer.prompt.md');
    assert.deepEqual(r1.prompt.version, r2.prompt.version);
    assert.ok(r1.shape.blocks.length >= 2 && r1.shape.breakpoints.length >= 1);
    assert.ok(['hit', 'partial-hit'].includes(r2.explanation?.kind ?? ''), `turn 2 is explained as a hit, got ${r2.explanation?.kind}`);
    assert.equal(first.stop.reason, 'end_turn');
    assert.equal(second.kept, true);
    assert.equal(c.snapshot().messages.length, 4);
    assert.ok(!JSON.stringify(h.records).includes('Review this diff'), 'records hold no message text');
  });

  it('queues a second message sent while the first is answered, in order, instead of refusing it', async () => {
    h = await harness();
    const c = h.conversation();
    const a = c.send('first', { mode: 'chat' });
    const b = c.send('second', { mode: 'chat' });
    assert.equal(c.busy, 2);
    const [ra, rb] = await Promise.all([a, b]);
    assert.deepEqual([ra.turn, rb.turn], [1, 2]);
    const texts = c.snapshot().messages.filter((m) => m.role === 'user').map((m) => JSON.stringify(m.content));
    assert.ok(texts[0]?.includes('first') && texts[1]?.includes('second'));
  });

  it('a failed request is recorded as a failure, never a miss, and does not move the cache model', async () => {
    h = await harness();
    const live = h.port;
    h.port = emulatorPort({ url: await deadUrl() }, live.cacheScope);
    const c = h.conversation();
    const failed = await c.send('hello', { mode: 'chat' });
    assert.equal(failed.stop.reason, 'failed');
    assert.equal(failed.kept, false);
    const [bad] = h.records;
    assert.equal(bad?.outcome, 'failed');
    assert.equal(bad?.explanation, undefined, 'a failure has no cache explanation');
    assert.equal(bad?.cost, undefined);
    assert.equal(bad?.error?.kind, 'connection');
    assert.equal(c.snapshot().messages.length, 0, 'the failed turn is rolled back');
    h.port = live;
    await c.send('hello', { mode: 'chat' });
    const ok = h.records[1];
    assert.equal(ok?.outcome, 'ok');
    assert.equal(ok?.predicted?.buckets.cacheRead, 0, 'the failure wrote nothing into the cache model');
    assert.equal(ok?.buckets.cacheRead, 0);
    assert.equal(ok?.turn, 2, 'the failed attempt keeps its turn number');
  });

  it('the cache scope belongs to each request: after a backend switch the next request is predicted cold', async () => {
    h = await harness();
    const c = h.conversation();
    await c.send('one', { mode: 'chat' });
    const other = await startEmulator({ now: () => h.clock.t });
    try {
      h.port = emulatorPort(other);
      await c.send('two', { mode: 'chat' });
      const [r1, r2] = h.records;
      assert.notEqual(r1?.backend.cacheScope, r2?.backend.cacheScope);
      assert.equal(r2?.predicted?.buckets.cacheRead, 0, 'nothing of the first scope is predicted as read in the second');
      assert.equal(r2?.buckets.cacheRead, 0);
    } finally {
      await other.close();
    }
  });

  it('a prompt with errors rejects with a PlanError naming the line, and nothing is sent or recorded', async () => {
    h = await harness({ prompt: 'prompts/broken.prompt.md' });
    const c = h.conversation();
    await assert.rejects(c.send('hi', { mode: 'chat' }), (err: unknown) => err instanceof PlanError && /line \d+/.test(err.message));
    assert.equal(h.records.length, 0);
    assert.equal(h.emu.state().requests, 0);
  });

  it('cancelling mid-stream ends the turn as aborted, recorded as aborted, the conversation unchanged', async () => {
    h = await harness();
    h.emu.setFaults({ latencyMs: 2000 });
    const c = h.conversation();
    const abort = new AbortController();
    const pending = c.send('slow one', { mode: 'chat', signal: abort.signal });
    setTimeout(() => abort.abort(), 100);
    const r = await pending;
    assert.equal(r.stop.reason, 'aborted');
    assert.equal(h.records[0]?.outcome, 'aborted');
    assert.equal(c.snapshot().messages.length, 0);
  });

  it('in chat mode a tool call is not run: the stop says so and the history stays valid for the next turn', async () => {
    h = await harness({ script: { turns: [{ content: [{ type: 'tool_use', name: 'read_file', input: { path: 'a' } }] }, { content: [{ type: 'text', text: 'ok' }] }] } });
    const c = h.conversation();
    const r = await c.send('read a', { mode: 'chat' });
    assert.equal(r.stop.reason, 'tool_use');
    assert.match(r.stop.message, /agent mode/);
    const next = await c.send('never mind', { mode: 'chat' });
    assert.equal(next.stop.reason, 'end_turn', 'the unrun tool call got an error result, so the API accepts the next turn');
  });
});

describe('core/session runner: agent loops', () => {
  let h: Harness;
  afterEach(() => h?.close());
  const echo: ToolExecutor = {
    definitions: () => [{ name: 'read_file', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } }],
    run: async (call) => ({ content: `contents of ${(call.input as { path: string }).path}`, isError: false }),
  };
  const toolTurn = (path: string) => ({ content: [{ type: 'tool_use' as const, name: 'read_file', input: { path } }] });

  it('runs tools until the model stops; each step reads what the previous one wrote', async () => {
    h = await harness({ tools: echo, script: { turns: [toolTurn('a.md'), toolTurn('b.md'), { content: [{ type: 'text', text: 'done' }] }] } });
    const c = h.conversation();
    const r = await c.send('summarise a and b', { mode: 'agent' });
    assert.equal(r.stop.reason, 'end_turn');
    assert.deepEqual(r.toolRuns.map((t) => t.output.content), ['contents of a.md', 'contents of b.md']);
    assert.deepEqual(h.records.map((x) => [x.kind, x.step]), [['agent-step', 0], ['agent-step', 1], ['agent-step', 2]]);
    assert.deepEqual(h.records[0]?.toolCalls.map((t) => [t.name, t.isError]), [['read_file', false]]);
    assert.ok((h.records[0]?.toolCalls[0]?.resultBytes ?? 0) > 0);
    for (const x of h.records.slice(1)) assert.ok(x.buckets.cacheRead > 0, `step ${x.step} reads the previous step's prefix`);
    const last = c.snapshot().messages;
    assert.equal(last.length, 6, 'user, assistant tool_use, user tool_result ×2, assistant answer');
  });

  it('stops at the iteration limit and leaves a history the API accepts', async () => {
    h = await harness({ tools: echo, script: { turns: [toolTurn('a'), toolTurn('b'), toolTurn('c'), { content: [{ type: 'text', text: 'fine' }] }] } });
    const c = h.conversation();
    const r = await c.send('loop', { mode: 'agent', maxIterations: 2 });
    assert.equal(r.stop.reason, 'iteration_limit');
    assert.match(r.stop.message, /maxIterations/);
    assert.equal(h.records.length, 2);
    const next = await c.send('stop now', { mode: 'agent', maxIterations: 2 });
    assert.notEqual(next.stop.reason, 'failed');
  });

  for (const [reason, expected] of [
    ['max_tokens', /max_tokens/],
    ['refusal', /declined/],
    ['model_context_window_exceeded', /context window/],
    ['stop_sequence', /stop sequence/],
  ] as const) {
    it(`says why the turn ended on stop_reason ${reason}`, async () => {
      h = await harness({ script: { turns: [{ content: [{ type: 'text', text: 'partial' }], stop_reason: reason }] } });
      const r = await h.conversation().send('go', { mode: 'agent' });
      assert.equal(r.stop.reason, reason);
      assert.match(r.stop.message, expected);
      assert.equal(r.stop.canContinue, reason === 'max_tokens');
      assert.equal(h.records[0]?.stopReason, reason);
    });
  }

  it('pause_turn continues the turn without a new user message', async () => {
    h = await harness({ script: { turns: [{ content: [{ type: 'text', text: 'part one' }], stop_reason: 'pause_turn' }, { content: [{ type: 'text', text: 'part two' }] }] } });
    const c = h.conversation();
    const r = await c.send('long job', { mode: 'agent' });
    assert.equal(r.stop.reason, 'end_turn');
    assert.equal(h.records.length, 2);
    assert.match(r.answer, /part one[\s\S]*part two/);
    assert.equal(c.snapshot().messages.filter((m) => m.role === 'user').length, 1);
  });

  it('continues an answer cut at max_tokens', async () => {
    h = await harness({ script: { turns: [{ content: [{ type: 'text', text: 'cut' }], stop_reason: 'max_tokens' }, { content: [{ type: 'text', text: ' rest' }] }] } });
    const c = h.conversation();
    const r = await c.send('write', { mode: 'chat' });
    assert.equal(r.stop.canContinue, true);
    const more = await c.continueTurn({ mode: 'chat' });
    assert.equal(more.stop.reason, 'end_turn');
    assert.equal(c.snapshot().messages.length, 2, 'the continuation extends the same assistant message');
  });

  it('cancelling while a tool runs ends the turn as aborted and rolls it back', async () => {
    const abort = new AbortController();
    const slow: ToolExecutor = {
      definitions: echo.definitions,
      run: (_call, signal) =>
        new Promise((resolve) => {
          signal?.addEventListener('abort', () => resolve({ content: 'cancelled', isError: true }));
          abort.abort();
        }),
    };
    h = await harness({ tools: slow, script: { turns: [toolTurn('a'), { content: [{ type: 'text', text: 'never' }] }] } });
    const c = h.conversation();
    const r = await c.send('go', { mode: 'agent', signal: abort.signal });
    assert.equal(r.stop.reason, 'aborted');
    assert.equal(c.snapshot().messages.length, 0);
    assert.equal(h.records.length, 1, 'the request that was answered stays recorded');
    assert.equal(h.emu.state().requests, 1, 'no further request after the cancel');
  });

  it("a local answer replays whole answers, tool calls included, when the runner's mode allows it", async () => {
    const stored = new Map<string, StoredAnswer>();
    const key = (r: MessagesRequest, mode: string) => `${mode}|${JSON.stringify(r.messages)}`;
    const answers: AnswerCache = {
      get: async (r, mode) => stored.get(key(r, mode)),
      put: async (r, mode, result) => void stored.set(key(r, mode), { result, storedAtMs: 1 }),
    };
    const script = { turns: [toolTurn('a.md'), { content: [{ type: 'text' as const, text: 'done' }] }] };
    h = await harness({ tools: echo, script });
    h.deps.answers = answers;
    h.deps.useAnswers = (mode) => mode === 'agent';
    await h.conversation('one').send('same question', { mode: 'agent' });
    assert.equal(h.emu.state().requests, 2);
    const replay = await h.conversation('two').send('same question', { mode: 'agent' });
    assert.equal(h.emu.state().requests, 2, 'both steps came from the local cache');
    assert.deepEqual(h.records.slice(2).map((r) => [r.outcome, r.toolCalls.map((t) => t.name)]), [['local', ['read_file']], ['local', []]]);
    assert.deepEqual(replay.toolRuns.map((t) => t.call.name), ['read_file'], 'the stored tool call ran again');
    assert.equal(h.records[2]?.cost, undefined, 'a local answer claims no cost');
    await h.conversation('three').send('same question', { mode: 'chat' });
    assert.equal(h.emu.state().requests, 3, 'chat mode is not answered from agent answers');
  });

  it('a tool executor that throws gives the model an error result, not a crash', async () => {
    const broken: ToolExecutor = { definitions: echo.definitions, run: async () => { throw new Error('disk on fire'); } };
    h = await harness({ tools: broken, script: { turns: [toolTurn('a'), { content: [{ type: 'text', text: 'sorry' }] }] } });
    const r = await h.conversation().send('go', { mode: 'agent' });
    assert.equal(r.stop.reason, 'end_turn');
    assert.equal(r.toolRuns[0]?.output.isError, true);
    assert.match(r.toolRuns[0]?.output.content ?? '', /disk on fire/);
    assert.equal(h.records[0]?.toolCalls[0]?.isError, true);
  });
});
