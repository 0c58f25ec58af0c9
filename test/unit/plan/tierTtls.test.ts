import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createModelTable } from '../../../src/core/models/table';
import { buildPromptPlan } from '../../../src/core/plan/pipeline';
import { conversationShape } from '../../../src/core/plan/shape';
import { continuationChance, firstTurnBreakEven, tierTtls } from '../../../src/core/plan/tierTtls';
import type { ComposedRequest } from '../../../src/core/plan/types';
import { nodeFiles } from '../../../src/node/nodeFiles';
import { SONNET_5, WORKSPACE } from './scenarios';

const min = 60;
const every20min = [20 * min, 18 * min, 22 * min];

describe('tierTtls: the stable tiers follow history, a declared TTL wins', () => {
  it('without history: 5m (Anthropic default), context follows the system tier', () => {
    const c = tierTtls([]);
    assert.deepEqual(c.ttl, { system: '5m', context: '5m', conversation: '5m' });
    assert.match(c.reasons.system, /no gap between uses seen yet/);
    assert.equal(c.skipConversation, undefined);
  });

  it('a prompt used every 20 minutes: 1h for system and context', () => {
    const c = tierTtls(every20min);
    assert.equal(c.ttl.system, '1h');
    assert.equal(c.ttl.context, '1h');
    assert.match(c.reasons.system, /history favours 1h/);
  });

  it('a declared TTL wins over history, and the reason says history disagrees', () => {
    const c = tierTtls(every20min, { system: '5m', context: '5m' });
    assert.equal(c.ttl.system, '5m');
    assert.equal(c.ttl.context, '5m');
    assert.match(c.reasons.system, /the prompt file declares 5m, although history favours 1h/);
  });

  it('rotating documents: the context tier follows its own (longer) gaps and lifts the system tier to 1h', () => {
    const c = tierTtls([60, 90, 120], {}, { contextGapsSeconds: [9 * min, 12 * min] });
    assert.equal(c.ttl.context, '1h');
    assert.equal(c.ttl.system, '1h');
    assert.match(c.reasons.system, /context breakpoint after it is 1h/);
  });
});

describe('tierTtls: a new document set', () => {
  const ctx = (contextSets: { seen: number; returned: number } | undefined, declared = {}) =>
    tierTtls([60, 90], declared, { contextGapsSeconds: [60], ...(contextSets ? { contextSets } : {}) }).ttl.context;
  it('starts at 1h when the prompt\'s other sets tend to come back (rotation), else keeps the system TTL', () => {
    assert.equal(ctx({ seen: 1, returned: 0 }), '1h', 'one other set, nothing known: (0+1)/2 = 0.5 > 0.39');
    assert.equal(ctx({ seen: 3, returned: 0 }), '5m', 'three sets replaced for good: 0.25');
    assert.equal(ctx({ seen: 3, returned: 2 }), '1h', 'sets rotate back: 0.75');
    assert.equal(ctx({ seen: 0, returned: 0 }), '5m', 'the first set: its own (short) gaps decide');
    assert.equal(ctx(undefined), '5m', 'a known set: its gaps decide');
    assert.equal(ctx({ seen: 1, returned: 0 }, { context: '5m' }), '5m', 'declared wins');
  });
});

describe('tierTtls: the conversation tier by break-even', () => {
  const pauses = [60, 70, 50, 25 * min, 60, 80, 30 * min];
  it('a long conversation resumed after pauses: 1h (re-writing it would cost more than the premium on the new turn)', () => {
    const c = tierTtls(pauses, {}, { turnGapsSeconds: pauses, conversation: { cachedTokens: 6000, newTokens: 300, firstTurn: false } });
    assert.equal(c.ttl.conversation, '1h');
    assert.equal(c.ttl.system, '1h', 'a 1h conversation entry needs 1h before it');
  });

  it('the same rhythm with a short conversation and a big new turn: 5m', () => {
    const c = tierTtls(pauses, {}, { turnGapsSeconds: pauses, conversation: { cachedTokens: 900, newTokens: 700, firstTurn: false } });
    assert.equal(c.ttl.conversation, '5m');
  });

  it('dense turns: 5m, whatever the size', () => {
    const dense = [40, 60, 90, 30];
    assert.equal(tierTtls(dense, {}, { conversation: { cachedTokens: 50_000, newTokens: 100, firstTurn: false } }).ttl.conversation, '5m');
  });

  it('first turns of a prompt whose first turns are never continued: no conversation breakpoint', () => {
    assert.ok(Math.abs(firstTurnBreakEven() - 0.25 / 1.15) < 1e-12);
    assert.equal(continuationChance(undefined), 0.5);
    const first = { cachedTokens: 400, newTokens: 400, firstTurn: true };
    assert.equal(tierTtls(every20min, {}, { conversation: first, firstTurns: { seen: 1, continued: 0 } }).skipConversation, undefined);
    const c = tierTtls(every20min, {}, { conversation: first, firstTurns: { seen: 4, continued: 0 } });
    assert.match(c.skipConversation ?? '', /only 0 of the prompt's last 4 first turns were continued/);
    assert.equal(tierTtls(every20min, {}, { conversation: first, firstTurns: { seen: 4, continued: 2 } }).skipConversation, undefined);
    assert.equal(tierTtls(every20min, {}, { conversation: { ...first, firstTurn: false }, firstTurns: { seen: 4, continued: 0 } }).skipConversation, undefined);
  });
});

describe('conversationShape and the 1h checkpoint (rent or buy)', () => {
  const turn = (i: number) => `Turn ${i}: ${'please look at this log line and tell me what failed. '.repeat(10)}`;
  const composed = (turns: number): ComposedRequest => {
    const messages: ComposedRequest['request']['messages'] = [];
    for (let i = 0; i < turns; i++) messages.push({ role: 'user', content: turn(i) }, ...(i < turns - 1 ? [{ role: 'assistant' as const, content: `Answer ${i}.` }] : []));
    return { request: { model: 'claude-sonnet-5', max_tokens: 10, system: [{ type: 'text', text: 'Rules. '.repeat(900) }], messages }, instructionBlocks: 1, contextBlocks: 0 };
  };

  it('sizes: all cached tokens uncovered without a checkpoint; after a 5-minute pause the turn re-writes them', () => {
    const live = conversationShape(composed(4), SONNET_5);
    assert.ok(live && !live.firstTurn && live.newTokens < live.cachedTokens / 2, JSON.stringify(live));
    assert.equal(live.uncoveredTokens, live.cachedTokens);
    assert.equal(live.uncoveredTurns, 4);
    const paused = conversationShape(composed(4), SONNET_5, { idleSeconds: 600 });
    assert.equal(paused?.newTokens, live.cachedTokens);
    // A 1h entry on the second user turn (flat block 3: system, user, assistant, user) still holds what precedes it.
    const held = conversationShape(composed(4), SONNET_5, { idleSeconds: 600, checkpoint: 3 });
    assert.ok(held && held.newTokens === held.uncoveredTokens && held.uncoveredTokens! < live.cachedTokens);
    assert.equal(held.uncoveredTurns, 2);
  });

  it('right after a pause a short conversation re-writes at 5m; one whose uncovered turns ran up the risk buys 1h', () => {
    const gaps = [60, 60, 60, 60, 20 * min];
    const c = (shape: ReturnType<typeof conversationShape>) => tierTtls(gaps, {}, { turnGapsSeconds: gaps, ...(shape ? { conversation: shape } : {}) }).ttl.conversation;
    assert.equal(c(conversationShape(composed(2), SONNET_5, { idleSeconds: 20 * min })), '5m');
    assert.equal(c(conversationShape(composed(6), SONNET_5, { idleSeconds: 20 * min })), '1h');
    assert.equal(c(conversationShape(composed(6), SONNET_5, { idleSeconds: 60 })), '1h');
    assert.equal(c(conversationShape(composed(6), SONNET_5, { idleSeconds: 60, checkpoint: 9 })), '5m', 'the previous turn already holds all but this one');
  });
});

describe('buildPromptPlan with history', () => {
  const models = createModelTable();
  const path = join(WORKSPACE, '.prompts', 'support-agent.md');
  const declared = readFileSync(path, 'utf8');
  // The same prompt without its top-level `ttl: 1h` line: the system tier has no declared TTL.
  const undeclared = declared.replace(/^ttl: 1h.*\n/m, '');
  const plan = (text: string, gapsSeconds?: number[]) =>
    buildPromptPlan({ path, text, files: nodeFiles(WORKSPACE), models, defaultModel: 'claude-sonnet-5', ...(gapsSeconds ? { history: { gapsSeconds } } : {}) });
  const system = async (text: string, gaps?: number[]) => {
    const o = await plan(text, gaps);
    assert.ok(o.ok, JSON.stringify(o));
    return o.plan.breakpoints.find((b) => b.tier === 'system');
  };

  it('no history and no declared TTL: 5m, as before', async () => {
    assert.notEqual(undeclared, declared);
    assert.equal((await system(undeclared))?.ttl, '5m');
  });

  it('a prompt used every 20 minutes yesterday starts at 1h this morning', async () => {
    const b = await system(undeclared, [...every20min, 14 * 3600]);
    assert.equal(b?.ttl, '1h');
    assert.match(b?.reason ?? '', /history favours 1h/);
  });

  it('a declared TTL still wins, with the reason naming the disagreement', async () => {
    const b = await system(declared.replace(/^ttl: 1h/m, 'ttl: 5m'), every20min);
    assert.equal(b?.ttl, '5m');
    assert.match(b?.reason ?? '', /the prompt file declares 5m, although history favours 1h/);
  });
});
