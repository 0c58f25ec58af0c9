import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planRequest } from '../../../src/core/plan/planner';
import type { PlanResult, TierTtls } from '../../../src/core/plan/types';
import { flattenRequest } from '../../support/referenceWalker';
import { validateCacheControl } from '../../../src/core/cache/validate';
import { fanOut, scenarios, SONNET_5 } from './scenarios';
import { createCacheSimulator } from '../../../src/core/cache/simulator';
import { table } from '../cache/fixtures';

const SNAP_DIR = join(__dirname, '__snapshots__');
const TTL: TierTtls = { system: '1h', context: '5m', conversation: '5m' };
const TTLS: Record<string, TierTtls> = { 'ttl-conflict': { system: '5m', context: '1h', conversation: '5m' } };

/** What a snapshot pins: the exact body and each decision's placement (reasons are asserted separately). */
function snapshotOf(r: PlanResult) {
  return {
    breakpoints: r.breakpoints.map((b) => ({ tier: b.tier, ttl: b.ttl, placed: b.placed, blockIndex: b.blockIndex ?? null })),
    request: r.request,
  };
}

function plan(name: string): PlanResult {
  const make = scenarios[name];
  if (!make) throw new Error(name);
  return planRequest(make(), { model: SONNET_5, ttl: TTLS[name] ?? TTL });
}

function markers(r: PlanResult): string[] {
  const out: string[] = [];
  for (const b of flattenRequest(r.request)) if (b.cacheControl) out.push(`${b.section}[${b.sectionIndex}].${b.contentIndex}:${b.cacheControl.ttl}`);
  return out;
}

describe('planRequest snapshots (exact request JSON)', () => {
  for (const name of Object.keys(scenarios)) {
    it(name, () => {
      const actual = JSON.parse(JSON.stringify(snapshotOf(plan(name))));
      const file = join(SNAP_DIR, `${name}.json`);
      if (!existsSync(file) || process.env.UPDATE_SNAPSHOTS === '1') {
        mkdirSync(SNAP_DIR, { recursive: true });
        writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
      }
      assert.deepEqual(actual, JSON.parse(readFileSync(file, 'utf8')));
    });
  }
});

describe('planRequest rules', () => {
  it('never places more than 4 markers, and the API would accept every planned body', () => {
    for (const name of Object.keys(scenarios)) {
      const r = plan(name);
      assert.ok(markers(r).length <= 4, name);
      assert.equal(r.breakpoints.filter((b) => b.placed).length, markers(r).length, name);
      assert.equal(validateCacheControl(r.request), null, name);
    }
  });

  it('short chat: system 1h on the instructions, conversation 5m on the last user message', () => {
    assert.deepEqual(markers(plan('short-chat')), ['system[0].0:1h', 'messages[2].0:5m']);
  });

  it('system + context: three tiers, plus tools (863 tool tokens + the 354-token tool-use overhead reach the minimum)', () => {
    const r = plan('system-and-context');
    assert.deepEqual(markers(r), ['tools[4].0:1h', 'system[0].0:1h', 'system[4].0:5m', 'messages[0].0:5m']);
    const tools = r.breakpoints.find((b) => b.tier === 'tools');
    assert.match(tools?.reason ?? '', /placed at end of tools.*≈ 1,217 tokens ≥ 1,024 minimum for claude-sonnet-5/);
  });

  it('with a 2,048 minimum the tools tier (1,217 tokens with the overhead) is not marked and says why', () => {
    const model = { ...SONNET_5, minCacheableTokens: 2048 };
    const r = planRequest(scenarios['system-and-context']!(), { model, ttl: TTL });
    const tools = r.breakpoints.find((b) => b.tier === 'tools');
    assert.equal(tools?.placed, false);
    assert.match(tools?.reason ?? '', /prefix ≈ 1,217 tokens < 2,048 minimum for claude-sonnet-5/);
  });

  it('25-block fan-out keeps an anchor on the previous user turn', () => {
    const r = plan('agent-fanout-25');
    assert.deepEqual(markers(r), ['system[0].0:1h', 'system[4].0:5m', 'messages[0].0:5m', 'messages[2].24:5m']);
    assert.match(r.breakpoints.find((b) => b.tier === 'anchor')?.reason ?? '', /added 50 blocks \(≥ 20-block look-back\)/);
  });

  it('a turn that adds 19 blocks needs no anchor, 20 does (look-back counts the breakpoint itself)', () => {
    // user q, then assistant with n tool_use + user with n tool_result: distance = 2n.
    const base = scenarios['system-and-context']?.() as ReturnType<NonNullable<(typeof scenarios)['short-chat']>>;
    const withTurn = (uses: number, results: number) => {
      const [a, u] = fanOut(Math.max(uses, results));
      const msgs = [...base.request.messages, { ...a!, content: (a!.content as unknown[]).slice(0, uses) }, { ...u!, content: (u!.content as unknown[]).slice(0, results) }];
      return planRequest({ ...base, request: { ...base.request, messages: msgs as typeof base.request.messages } }, { model: SONNET_5, ttl: TTL });
    };
    assert.equal(withTurn(10, 9).breakpoints.find((b) => b.tier === 'anchor')?.placed, false);
    assert.equal(withTurn(10, 10).breakpoints.find((b) => b.tier === 'anchor')?.placed, true);
  });

  it('walks back from an empty text block and says so', () => {
    const conv = plan('empty-text-last').breakpoints.find((b) => b.tier === 'conversation');
    assert.equal(conv?.placed, true);
    assert.match(conv?.reason ?? '', /walked back from messages\[2\]\.content\[1\] \(text\): empty text blocks cannot be cached/);
  });

  it('never marks thinking blocks and explains the trailing ones', () => {
    const r = plan('thinking-at-end');
    assert.deepEqual(markers(r).slice(-1), ['messages[2].0:5m']);
    assert.match(r.breakpoints.find((b) => b.tier === 'conversation')?.reason ?? '', /2 assistant block\(s\) after it \(thinking, redacted_thinking\) are not marked: they cannot carry cache_control/);
  });

  it('below the minimum nothing is placed and each decision says why', () => {
    const r = plan('below-minimum-system');
    assert.deepEqual(markers(r), []);
    assert.match(r.breakpoints.find((b) => b.tier === 'system')?.reason ?? '', /prefix ≈ \d+ tokens < 1,024 minimum/);
  });

  it('TTL conflict: promotes a small 5m system before a large 1h context', () => {
    const r = plan('ttl-conflict');
    assert.deepEqual(markers(r), ['tools[4].0:1h', 'system[0].0:1h', 'system[4].0:1h', 'messages[0].0:5m']);
    assert.match(r.breakpoints.find((b) => b.tier === 'system')?.reason ?? '', /promoted from the declared 5m to 1h.*so promoting is cheaper/);
  });

  it('TTL conflict: demotes a small 1h conversation tier after a large 5m system', () => {
    const r = planRequest(scenarios['short-chat']!(), { model: SONNET_5, ttl: { system: '5m', context: '5m', conversation: '1h' } });
    assert.deepEqual(markers(r), ['system[0].0:5m', 'messages[2].0:5m']);
    assert.match(r.breakpoints.find((b) => b.tier === 'conversation')?.reason ?? '', /demoted from the declared 1h to 5m/);
  });

  it('five wanted tiers: the tools breakpoint (lowest priority) gives up its slot', () => {
    const r = plan('five-tiers');
    const tools = r.breakpoints.find((b) => b.tier === 'tools');
    assert.equal(tools?.placed, false);
    assert.match(tools?.reason ?? '', /all 4 breakpoint slots are taken/);
    assert.equal(markers(r).length, 4);
  });

  it('unknown minimum: uses the assumed minimum and says it is an assumption', () => {
    const model = { ...SONNET_5, id: 'claude-new', minCacheableTokens: null, minCacheableAssumed: 2048 };
    const r = planRequest(scenarios['short-chat']!(), { model, ttl: TTL });
    const sys = r.breakpoints.find((b) => b.tier === 'system');
    assert.equal(sys?.placed, false);
    assert.match(sys?.reason ?? '', /2,048 assumed minimum for claude-new \(its real minimum is unknown/);
  });

  it('serialises tool_use inputs with sorted keys and does not mutate its input', () => {
    const composed = scenarios['agent-fanout-25']!();
    const before = JSON.stringify(composed.request);
    const r = planRequest(composed, { model: SONNET_5, ttl: TTL });
    assert.equal(JSON.stringify(composed.request), before);
    assert.match(JSON.stringify(r.request), /"input":\{"query":"JKT-ALP-200","region":"us"\}/);
  });

  it('quotes the TTL reason it is given', () => {
    const r = planRequest(scenarios['short-chat']!(), { model: SONNET_5, ttl: TTL, ttlReasons: { system: 'the prompt file declares 1h' } });
    assert.match(r.breakpoints.find((b) => b.tier === 'system')?.reason ?? '', /1h because the prompt file declares 1h/);
  });
});

describe('planRequest: tool-use system prompt overhead (spec §3.2)', () => {
  it('prefix_tokens agree with the simulator for every placed breakpoint (overhead included)', () => {
    for (const name of Object.keys(scenarios)) {
      const r = plan(name);
      const predicted = createCacheSimulator({ models: table([SONNET_5]) }).predict(r.request, 0);
      const byIndex = new Map(predicted.breakpoints.map((b) => [b.blockIndex, b.prefixTokens]));
      for (const d of r.breakpoints.filter((b) => b.placed)) assert.equal(d.prefix_tokens, byIndex.get(d.blockIndex as number), `${name} ${d.tier}`);
      // Every breakpoint the planner placed is one the simulator writes (the minimum checks agree).
      assert.ok(predicted.breakpoints.every((b) => b.result === 'write'), name);
    }
  });

  it('the tools tier counts the 354-token overhead of Sonnet 5: 863 tool tokens + 354 ≥ 1,024, so it is cacheable on its own', () => {
    const tools = plan('system-and-context').breakpoints.find((b) => b.tier === 'tools');
    assert.equal(tools?.prefix_tokens, 863 + 354);
    assert.equal(tools?.placed, true);
  });
});

describe('planBlocks', () => {
  it('matches flattenRequest field for field (same counter), for every scenario', async () => {
    const { planBlocks } = await import('../../../src/core/plan/blocks');
    const { plannerCounter } = await import('../../../src/core/plan/tokens');
    const counter = plannerCounter('claude-2026');
    for (const name of Object.keys(scenarios)) {
      const req = scenarios[name]!().request;
      const flat = flattenRequest(req, counter).map(({ canonical: _c, prefixHash: _h, cacheControl: _cc, ...rest }) => rest);
      assert.deepEqual(planBlocks(req, counter), flat, name);
    }
  });
});
