import { strict as assert } from 'node:assert';
import { planRequest } from '../../../src/core/plan/planner';
import { TtlMemory } from '../../../src/core/plan/ttlMemory';
import type { ComposedRequest } from '../../../src/core/plan/types';
import { SONNET_5 } from './scenarios';

const keys = { prompt: 'support-agent', context: 'support-agent:docs-v1', conversation: 'c1' };
const composed = (question: string): ComposedRequest => ({
  request: { model: 'claude-sonnet-5', max_tokens: 10, system: [{ type: 'text', text: 'Rules. '.repeat(900) }], messages: [{ role: 'user', content: question }] },
  instructionBlocks: 1,
  contextBlocks: 0,
});
const systemTtl = (m: TtlMemory, at: number, question = 'Hi', declared = {}, k = keys) => {
  const options = m.choose(k, composed(question), SONNET_5, at, declared);
  const plan = planRequest(composed(question), options);
  m.planned(k, plan, at);
  return plan.breakpoints.find((b) => b.tier === 'system');
};

describe('TtlMemory (what the session runner keeps per prompt)', () => {
  it('seeded with the ledger history of a prompt used every 20 minutes: the first request of the morning is 1h', () => {
    const m = new TtlMemory();
    m.seed('support-agent', { gapsSeconds: [1200, 1100, 1300, 15 * 3600] });
    assert.equal(systemTtl(m, 0)?.ttl, '1h');
  });

  it('without history: 5m, then 1h once a gap of 5-60 min has elapsed (the gap ending now counts)', () => {
    const m = new TtlMemory();
    assert.equal(systemTtl(m, 0)?.ttl, '5m');
    assert.equal(systemTtl(m, 60, 'Again', {}, { ...keys, conversation: 'c2' })?.ttl, '5m');
    assert.equal(systemTtl(m, 60 + 20 * 60, 'Later', {}, { ...keys, conversation: 'c3' })?.ttl, '1h');
  });

  it('a declared TTL wins over the history', () => {
    const m = new TtlMemory();
    m.seed('support-agent', { gapsSeconds: [1200, 1100, 1300] });
    const b = systemTtl(m, 0, 'Hi', { system: '5m' });
    assert.equal(b?.ttl, '5m');
    assert.match(b?.reason ?? '', /the prompt file declares 5m, although history favours 1h/);
  });

  it('single requests that are never continued lose their conversation breakpoint', () => {
    const m = new TtlMemory();
    let conv;
    for (let i = 0; i < 5; i++) {
      const k = { ...keys, conversation: `single-${i}` };
      const plan = planRequest(composed(`Question ${i}`), m.choose(k, composed(`Question ${i}`), SONNET_5, i * 600));
      m.planned(k, plan, i * 600);
      conv = plan.breakpoints.find((b) => b.tier === 'conversation');
    }
    assert.equal(conv?.placed, false);
    assert.match(conv?.reason ?? '', /first turns were continued/);
  });
});
