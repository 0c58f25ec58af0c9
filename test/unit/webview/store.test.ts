import { strict as assert } from 'node:assert';
import { initialState, reduce, startedResync, type UiState } from '../../../src/webview-ui/store';
import type { HostToWebview } from '../../../src/shared/protocol';
import { isWebviewToHost } from '../../../src/shared/protocol';
import { T0, chatState, mapRow, request, turn } from './fixtures';

const snap = (seq = 0): UiState => reduce(initialState(), { type: 'state', seq, state: chatState() });
const run = (s: UiState, ...ms: HostToWebview[]): UiState => ms.reduce(reduce, s);

describe('webview store', () => {
  it('applies a snapshot, then deltas in sequence', () => {
    const s = run(snap(4), { type: 'totals', seq: 5, totals: { ...chatState().totals!, costUsd: 1 } });
    assert.equal(s.seq, 5);
    assert.equal(s.panel.totals?.costUsd, 1);
  });

  it('drops deltas before the first snapshot (the snapshot follows ready)', () => {
    const s0 = initialState();
    assert.equal(reduce(s0, { type: 'forecast', seq: 3, forecast: undefined }), s0);
  });

  it('asks for a resync once on a gap, drops deltas until the snapshot, then resumes', () => {
    const s = snap(1);
    const gap = reduce(s, { type: 'forecast', seq: 3, forecast: undefined });
    assert.ok(gap.awaitingResync && startedResync(s, gap));
    const later = reduce(gap, { type: 'forecast', seq: 4, forecast: undefined });
    assert.equal(later.panel.forecast, s.panel.forecast, 'a delta after a gap is not applied');
    assert.ok(!startedResync(gap, later), 'resync is asked once');
    const again = reduce(later, { type: 'state', seq: 9, state: chatState() });
    assert.equal(again.awaitingResync, false);
    assert.equal(reduce(again, { type: 'forecast', seq: 10, forecast: undefined }).panel.forecast, undefined);
  });

  it('ignores duplicates and keeps unchanged parts by reference', () => {
    const s = snap(1);
    const dup = reduce(s, { type: 'sessions', seq: 1, sessions: [] });
    assert.equal(dup, s);
    const next = reduce(s, { type: 'sessions', seq: 2, sessions: [] });
    assert.equal(next.panel.conversation, s.panel.conversation);
    assert.equal(next.panel.totals, s.panel.totals);
  });

  it('streams into the turn in flight, touching only that turn', () => {
    const s = run(snap(0), { type: 'turn', seq: 1, turn: turn(4, { answer: '', requests: [], inFlight: true }) });
    const a = reduce(s, { type: 'streaming', seq: 2, promptId: 'support-agent', text: 'Hel' });
    const b = reduce(a, { type: 'streaming', seq: 3, promptId: 'support-agent', text: 'Hello' });
    const turns = b.panel.conversation!.turns;
    assert.equal(turns[3]!.answer, 'Hello');
    assert.equal(turns[0], s.panel.conversation!.turns[0], 'other turns keep their objects');
  });

  it('adds a finished request as its turn\'s cost card and as the last request', () => {
    const s = run(snap(0), { type: 'turn', seq: 1, turn: turn(4, { answer: '', requests: [], inFlight: true }) });
    const r = request(4, { answer: 'Done', stop: 'The answer reached max_tokens.' });
    const n = reduce(s, { type: 'request', seq: 2, request: r });
    const t = n.panel.conversation!.turns[3]!;
    assert.deepEqual(t.requests, [r]);
    assert.equal(t.answer, 'Done');
    assert.equal(t.inFlight, false);
    assert.equal(n.panel.lastRequest, r);
    // The same request again (a re-post) replaces its card instead of adding one.
    assert.equal(reduce(n, { type: 'request', seq: 3, request: r }).panel.conversation!.turns[3]!.requests.length, 1);
  });

  it('keeps an agent turn in flight (cancellable) after a step that stopped for tools, until its last step', () => {
    const s = run(snap(0), { type: 'turn', seq: 1, turn: turn(4, { answer: '', requests: [], inFlight: true }) });
    const step = reduce(s, { type: 'request', seq: 2, request: request(4, { kind: 'agent-step', step: 0, continues: true }) });
    assert.equal(step.panel.conversation!.turns[3]!.inFlight, true);
    const last = reduce(step, { type: 'request', seq: 3, request: request(4, { kind: 'agent-step', step: 1, at: T0 + 5000 }) });
    assert.equal(last.panel.conversation!.turns[3]!.inFlight, false);
    assert.equal(last.panel.conversation!.turns[3]!.requests.length, 2);
  });

  it('keeps a pre-warm out of the conversation', () => {
    const n = reduce(snap(0), { type: 'request', seq: 1, request: request(0, { kind: 'prewarm', turn: 0 }) });
    assert.equal(n.panel.conversation!.turns.length, 3);
    assert.equal(n.panel.lastRequest?.kind, 'prewarm');
  });

  it('applies tool runs, tool prompts, map rows, modes and prompts', () => {
    const n = run(
      snap(0),
      { type: 'toolRun', seq: 1, turn: 2, run: { name: 'read_file', input: { path: 'a' }, output: 'x', isError: false } },
      { type: 'toolPrompt', seq: 2, turn: 2, pending: { toolUseId: 't1', name: 'ask', input: {} } },
      { type: 'mapRow', seq: 3, row: mapRow(4) },
      { type: 'mode', seq: 4, mode: 'agent', agent: { allowed: false, reason: 'untrusted' } },
      { type: 'prompts', seq: 5, prompts: [], selectedPromptId: 'triage' },
      { type: 'conversation', seq: 6, conversation: undefined },
    );
    assert.equal(n.seq, 6);
    assert.equal(n.panel.map!.length, 4);
    assert.equal(n.panel.mode, 'agent');
    assert.equal(n.panel.agent?.reason, 'untrusted');
    assert.equal(n.panel.selectedPromptId, 'triage');
    assert.equal(n.panel.conversation, undefined);
    const t2 = run(snap(0), { type: 'toolRun', seq: 1, turn: 2, run: { name: 'r', input: null, output: '', isError: true } }).panel.conversation!.turns[1]!;
    assert.equal(t2.toolRuns.length, 1);
  });

  it('inserts turns in order', () => {
    const n = run(snap(0), { type: 'turn', seq: 1, turn: turn(6) }, { type: 'turn', seq: 2, turn: turn(5) });
    assert.deepEqual(n.panel.conversation!.turns.map((t) => t.turn), [1, 2, 3, 5, 6]);
  });
});

describe('webview protocol validation', () => {
  const ok: unknown[] = [
    { type: 'ready' }, { type: 'resync', lastSeq: -1 }, { type: 'send', text: 'hi', mode: 'chat' }, { type: 'cancel' },
    { type: 'newConversation' }, { type: 'retryLast' }, { type: 'continue' }, { type: 'selectPrompt', id: 'p' },
    { type: 'setMode', mode: 'agent' }, { type: 'typing', text: '' }, { type: 'openFile', path: 'a.md', line: 3 },
    { type: 'runCommand', command: 'prewarm' }, { type: 'answerTool', toolUseId: 't', content: 'x', isError: false },
    { type: 'openSession', id: 's1' }, { type: 'exportStats' }, { type: 'clearCaches' },
  ];
  const bad: unknown[] = [
    null, 'ready', [], { type: 'nope' }, { type: 'ready', extra: 1 }, { type: 'send', text: 'hi' }, { type: 'send', text: 1, mode: 'chat' },
    { type: 'send', text: 'x', mode: 'auto' }, { type: 'resync', lastSeq: 1.5 }, { type: 'resync', lastSeq: -2 }, { type: 'selectPrompt', id: '' },
    { type: 'openFile', path: 'a', line: -1 }, { type: 'runCommand', command: 'rm' }, { type: 'answerTool', toolUseId: 't', content: 'x' },
    { type: 'typing', text: 'x'.repeat((1 << 20) + 1) }, { type: 'openSession', id: 'x'.repeat(201) }, { type: 'cancel', seq: 1 },
  ];
  it('accepts every well-formed message', () => ok.forEach((m) => assert.ok(isWebviewToHost(m), JSON.stringify(m))));
  it('refuses malformed, unknown and over-long messages and extra keys', () => bad.forEach((m) => assert.ok(!isWebviewToHost(m), JSON.stringify(m).slice(0, 80))));
});

describe('webview store with a host that sends only streaming and request (before the turn deltas are wired)', () => {
  it('streams into a new turn, never over a finished answer, and files the request under its number', () => {
    const s = snap(0);
    const a = run(s, { type: 'streaming', seq: 1, promptId: 'support-agent', text: 'Part' });
    const turns = a.panel.conversation!.turns;
    assert.equal(turns.length, 4);
    assert.equal(turns[2]!.answer, s.panel.conversation!.turns[2]!.answer, 'turn 3 keeps its answer');
    assert.equal(turns[3]!.answer, 'Part');
    const b = reduce(a, { type: 'request', seq: 2, request: request(7, { answer: 'Part and whole' }) });
    assert.deepEqual(b.panel.conversation!.turns.map((t) => [t.turn, t.answer.slice(0, 14), !!t.inFlight]), [
      [1, 'Answer **1**:\n', false], [2, 'Answer **2**:\n', false], [3, 'Answer **3**:\n', false], [7, 'Part and whole', false],
    ].map(([n, a, f]) => [n, (a as string).slice(0, 14), f]));
  });
});

describe('webview store: conversation overrides and past sessions', () => {
  it('an overrides delta replaces the overrides; a map delta replaces every row', async () => {
    const { overrides } = await import('./fixtures');
    const s = run(snap(0), { type: 'overrides', seq: 1, overrides: overrides({ model: 'claude-haiku-4-5' }) }, { type: 'map', seq: 2, rows: [mapRow(7)] });
    assert.equal(s.panel.overrides?.model, 'claude-haiku-4-5');
    assert.deepEqual(s.panel.map?.map((r) => r.turn), [7]);
    const cleared = run(s, { type: 'overrides', seq: 3, overrides: undefined });
    assert.equal(cleared.panel.overrides, undefined);
  });

  it('a draft handed back carries its seq, so the composer applies each one once', () => {
    const s = run(snap(0), { type: 'draft', seq: 1, text: 'not sent' });
    assert.deepEqual(s.panel.draft, { text: 'not sent', id: 1 });
    const other = run(s, { type: 'totals', seq: 2, totals: s.panel.totals! });
    assert.equal(other.panel.draft, s.panel.draft, 'an unrelated delta keeps the same draft object');
  });
});

describe('PanelToHost validation of the pickers', () => {
  it('accepts the pickers\' messages', () => {
    for (const m of [
      { type: 'setModel', model: 'claude-haiku-4-5' }, { type: 'setModel', model: '' },
      { type: 'setBackend', backend: 'anthropic' }, { type: 'setTtl', tier: 'context', ttl: '1h' }, { type: 'setTtl', tier: 'system', ttl: 'default' },
      { type: 'setInputs', inputs: { product: 'x', prs: '' } }, { type: 'backToCurrent' },
    ]) assert.ok(isWebviewToHost(m), JSON.stringify(m));
  });

  it('refuses bad ones: unknown tiers and TTLs, a non-string input, bad names, too many inputs, extra keys', () => {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    for (const m of [
      { type: 'setModel', model: 3 }, { type: 'setModel', model: 'x'.repeat(201) }, { type: 'setBackend', backend: 'auto' },
      { type: 'setTtl', tier: 'tools', ttl: '1h' }, { type: 'setTtl', tier: 'system', ttl: '10m' },
      { type: 'setInputs', inputs: { a: 1 } }, { type: 'setInputs', inputs: JSON.parse('{"__proto__":"x"}') }, { type: 'setInputs', inputs: { constructor: 'x' } }, { type: 'setInputs', inputs: { 'a b': 'x' } },
      { type: 'setInputs', inputs: many }, { type: 'setInputs', inputs: ['x'] }, { type: 'backToCurrent', id: 's1' },
    ]) assert.ok(!isWebviewToHost(m), JSON.stringify(m));
  });
});
