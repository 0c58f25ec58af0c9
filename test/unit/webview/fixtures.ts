// Panel states for the store tests, the Chromium tests and the render bench. Numbers are
// plausible, not priced: the panel shows what the host sends and never computes costs.
import type { PanelState, RequestView } from '../../../src/shared/protocol';
import type { MapRowView, TurnView } from '../../../src/shared/panelViews';

export const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
export const INJECTION = 'Here: <img src=x onerror="window.__pwned=1"> and <script>window.__pwned=2</script> **bold** [link](javascript:alert(1))';

export function request(turn: number, over: Partial<RequestView> = {}): RequestView {
  const warm = turn > 1;
  return {
    kind: 'send', outcome: 'ok', model: 'claude-sonnet-5', promptId: 'support-agent', at: T0 + turn * 60_000, backend: 'offline', turn, step: 0,
    usage: { input: 40 + turn, cacheWrite5m: warm ? 120 : 0, cacheWrite1h: warm ? 0 : 4200, cacheRead: warm ? 4200 : 0, output: 180 },
    bucketUsd: { input: 0.00008, cacheWrite5m: warm ? 0.0003 : 0, cacheWrite1h: warm ? 0 : 0.0168, cacheRead: warm ? 0.00084 : 0, output: 0.0018 },
    costUsd: warm ? 0.00302 : 0.01868, noCacheUsd: 0.01048, savedUsd: warm ? 0.00746 : -0.0082, hitRatio: warm ? 0.96 : 0, costExact: true,
    summary: warm ? 'Read the system and context tiers (4,200 tokens).' : 'Wrote the system tier for 1h (4,200 tokens).',
    explanation: warm ? 'Hit: the prefix up to the context breakpoint was unchanged.' : 'Cold start: nothing was cached yet.',
    predicted: { input: 40 + turn, cacheWrite5m: warm ? 120 : 0, cacheWrite1h: warm ? 0 : 4200, cacheRead: warm ? 4200 : 0, costUsd: warm ? 0.0012 : 0.017 },
    ttftMs: warm ? 210 : 640, totalMs: warm ? 900 : 1500,
    ...over,
  };
}

export function turn(n: number, over: Partial<TurnView> = {}): TurnView {
  return {
    turn: n, mode: 'chat', user: `Question number ${n}: how do refunds work?`,
    answer: `Answer **${n}**:\n\n- refunds take 5 days\n- \`code\` stays code`, toolRuns: [], requests: [request(n)], ...over,
  };
}

export function mapRow(n: number): MapRowView {
  return {
    turn: n, step: 0,
    segments: [
      { tier: 'tools', tokens: 800, status: n > 1 ? 'read' : 'written' },
      { tier: 'system', tokens: 2400, status: n > 1 ? 'read' : 'written' },
      { tier: 'context', tokens: 1000, status: n > 1 ? 'read' : 'written' },
      ...(n > 1 ? [{ tier: 'history' as const, tokens: 120 * n, status: 'written' as const }] : []),
      { tier: 'new', tokens: 40, status: 'uncached' },
    ],
    breakpoints: [{ segment: 1, ttl: '1h' }, { segment: 2, ttl: '5m' }, ...(n > 1 ? [{ segment: 3, ttl: '5m' as const }] : [])],
  };
}

export function baseState(turns: TurnView[], now = Date.now()): PanelState {
  const rows = turns.map((t) => mapRow(t.turn));
  return {
    backend: { kind: 'offline', detail: 'offline emulator on 127.0.0.1:43123', hasKey: false },
    tokens: { document: 'prompts/support.prompt.md', tokens: 4210, rawTokens: 3900, model: 'claude-sonnet-5', factor: 1.08 },
    prompts: [
      { id: 'support-agent', path: 'prompts/support.prompt.md', model: 'claude-sonnet-5' },
      { id: 'triage', path: '.prompts/triage.md', model: 'claude-haiku-4-5' },
    ],
    selectedPromptId: 'support-agent', mode: 'chat', agent: { allowed: true },
    conversation: { id: 'c1', promptId: 'support-agent', turns },
    totals: {
      requests: turns.length, answered: turns.length, local: 0, failed: 0, aborted: 0,
      tokens: { input: 130, cacheWrite5m: 240, cacheWrite1h: 4200, cacheRead: 8400, output: 540 },
      costUsd: 0.02472, noCacheUsd: 0.03144, savedUsd: 0.00672, savedVsAutoUsd: 0.0021, costExact: true, hitRatio: 0.648, apiMs: 3300, budgetUsd: 0.05,
    },
    forecast: { cacheRead: 4200, cacheWrite: 180, input: 12, costUsd: 0.0014, note: 'reads system + context; writes the new turn' },
    timeline: {
      hostNowMs: now,
      entries: [
        { tier: 'system', ttl: '1h', warmUntilMs: now + 3_540_000, tokens: 3200 },
        { tier: 'context', ttl: '5m', warmUntilMs: now + 250_000, tokens: 1000 },
        { tier: 'conversation', ttl: '5m', warmUntilMs: null },
      ],
      nextRead: 'context',
    },
    map: rows,
    sessions: [
      { id: 's2', startedMs: T0, requests: turns.length, costUsd: 0.02472, savedUsd: 0.00672, current: true },
      { id: 's1', startedMs: T0 - 86_400_000, requests: 12, costUsd: 0.081, savedUsd: 0.052 },
    ],
  };
}

export const chatState = (): PanelState => baseState([turn(1), turn(2), turn(3)]);

export function agentState(): PanelState {
  const s = baseState([turn(1)]);
  const agentTurn = turn(2, {
    mode: 'agent', user: 'Read the FAQ and summarise it',
    answer: 'The FAQ says refunds take five days.',
    toolRuns: [
      { name: 'read_file', input: { path: 'docs/faq.md' }, output: '# FAQ\nRefunds take 5 days.', isError: false },
      { name: 'read_file', input: { path: 'docs/missing.md' }, output: 'ENOENT: no such file', isError: true },
    ],
    requests: [request(2, { kind: 'agent-step', step: 0 }), request(2, { kind: 'agent-step', step: 1, at: T0 + 125_000 })],
    pendingTool: { toolUseId: 'toolu_01', name: 'lookup_order', input: { order: 'A-17' } },
  });
  return { ...s, mode: 'agent', conversation: { id: 'c1', promptId: 'support-agent', turns: [turn(1), agentTurn] } };
}

export function failureState(): PanelState {
  const failed = request(2, {
    outcome: 'failed', error: 'overloaded_error (529): the API is overloaded. Retry in a moment.', costUsd: undefined, noCacheUsd: undefined,
    savedUsd: undefined, hitRatio: undefined, explanation: undefined, bucketUsd: undefined,
    usage: { input: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0 }, summary: 'The request failed. It is counted as a failure, not as a cache miss.',
  });
  const s = baseState([turn(1), turn(2, { answer: '', requests: [failed] })]);
  return { ...s, agent: { allowed: false, reason: 'Agent mode is off in an untrusted workspace: tools could read and write files.' } };
}

export function localState(): PanelState {
  const local = request(2, {
    outcome: 'local', localCache: true, costUsd: 0, noCacheUsd: 0, savedUsd: 0, hitRatio: undefined, explanation: undefined, bucketUsd: undefined, predicted: undefined, ttftMs: null, totalMs: 4,
    usage: { input: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0 }, summary: 'Answered from the local response cache: nothing was billed.',
  });
  return baseState([turn(1), turn(2, { requests: [local] })]);
}

export const injectionState = (): PanelState => baseState([turn(1, { answer: INJECTION, user: '<img src=x onerror="window.__pwned=3">' })]);

export function bigState(n: number): PanelState {
  return baseState(Array.from({ length: n }, (_, i) => turn(i + 1)));
}

export function overrides(over: Partial<import('../../../src/shared/panelViews').OverridesView> = {}): import('../../../src/shared/panelViews').OverridesView {
  return {
    promptPath: 'prompts/release-notes.prompty', promptModel: 'claude-sonnet-5', models: ['claude-sonnet-5', 'claude-haiku-4-5', 'claude-opus-4-5'],
    ttl: { system: 'default', context: 'default', conversation: 'default' },
    inputs: [{ name: 'product', value: 'Acme Outfitters app', sample: 'Acme Outfitters app' }, { name: 'prs', value: 'feat: size finder', sample: 'feat: size finder' }],
    ...over,
  };
}

/** A reopened past session: two turns, the second without its transcript. */
export function pastState(): PanelState {
  const s = chatState();
  return {
    ...s,
    conversation: {
      id: 'past:s1', promptId: 'support-agent',
      turns: [turn(1), { turn: 2, mode: 'chat', user: '', answer: '', textUnavailable: true, toolRuns: [], requests: [request(2)] }],
      past: { sessionId: 's1', startedMs: T0, textMissing: 1 },
    },
  };
}
