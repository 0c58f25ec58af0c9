// The one-off cache bust: a nonce before every breakpoint, inside Anthropic's rules, so the
// request reads nothing and writes every tier anew, and the next plain request reads again.
import { strict as assert } from 'node:assert';
import { badNonce, withCacheBust, withoutCacheBust } from '../../../src/core/plan/bust';
import { buildPromptPlan } from '../../../src/core/plan/pipeline';
import { planRequest } from '../../../src/core/plan/planner';
import type { TierTtls } from '../../../src/core/plan/types';
import { createCacheSimulator } from '../../../src/core/cache/simulator';
import { validateCacheControl } from '../../../src/core/cache/validate';
import { createModelTable } from '../../../src/core/models/table';
import { nodeFiles } from '../../../src/node/nodeFiles';
import { promptVersion } from '../../../src/core/session/shape';
import { flattenRequest } from '../../support/referenceWalker';
import { table } from '../cache/fixtures';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { scenarios, SONNET_5, WORKSPACE } from './scenarios';

const TTL: TierTtls = { system: '1h', context: '5m', conversation: '5m' };
const BUST = { nonce: 'a1b2c3d4e5f6' };
const markerPositions = (r: ReturnType<typeof planRequest>) => flattenRequest(r.request).filter((b) => b.cacheControl).map((b) => `${b.index}:${b.cacheControl?.ttl}`);

describe('core/plan/bust: the one-off cache-bust nonce', () => {
  for (const name of Object.keys(scenarios)) {
    it(`${name}: same blocks and breakpoints, valid cache_control, nothing read, every breakpoint written, the next plain request reads`, () => {
      const composed = (scenarios[name] as () => ReturnType<(typeof scenarios)[string]>)();
      const plain = planRequest(composed, { model: SONNET_5, ttl: TTL });
      const busted = planRequest(withCacheBust(composed, BUST).composed, { model: SONNET_5, ttl: TTL });
      assert.equal(validateCacheControl(busted.request), null);
      assert.equal(flattenRequest(busted.request).length, flattenRequest(plain.request).length, 'no block added: tiers and indices stay');
      assert.deepEqual(markerPositions(busted), markerPositions(plain), 'the breakpoints stay where they were');
      const sim = createCacheSimulator({ models: table([SONNET_5]) });
      const first = sim.commit(plain.request, 0);
      const cold = sim.commit(busted.request, 60_000);
      assert.equal(cold.usage.cache_read_input_tokens ?? 0, 0, 'the bust reads nothing');
      assert.ok(cold.breakpoints.every((b) => b.result !== 'hit'), 'no breakpoint hits');
      const w0 = first.usage.cache_creation_input_tokens ?? 0;
      const w1 = cold.usage.cache_creation_input_tokens ?? 0;
      assert.ok(w1 >= w0 && w1 <= w0 + 40, `and writes what a cold start writes, plus the nonce (${w0} → ${w1})`);
      const again = sim.predict(plain.request, 120_000);
      assert.equal(again.usage.cache_read_input_tokens ?? 0, first.usage.cache_creation_input_tokens ?? 0, 'the next plain request reads the entries from before the bust');
      assert.deepEqual(withoutCacheBust(busted.request, BUST), plain.request, 'the nonce comes out exactly');
    });
  }

  it('goes into the first custom tool when there are tools (they come first in the prefix), else at the end of system[0]', () => {
    const withTools = withCacheBust((scenarios['system-and-context'] as () => ReturnType<(typeof scenarios)[string]>)(), BUST);
    assert.equal(withTools.place.section, 'tools');
    assert.match(withTools.composed.request.tools?.[0]?.description ?? '', /\n\n\[cache-bust a1b2c3d4e5f6\]$/);
    const noTools = (scenarios['short-chat'] as () => ReturnType<(typeof scenarios)[string]>)();
    assert.equal(noTools.request.tools, undefined);
    const b = withCacheBust(noTools, BUST);
    assert.deepEqual(b.place, { section: 'system', index: 0 });
    const sys = b.composed.request.system as Array<{ text: string }>;
    assert.match(sys[0]?.text ?? '', /\[cache-bust a1b2c3d4e5f6\]$/);
    assert.equal(sys.length, (noTools.request.system as unknown[]).length);
    const server = withCacheBust({ ...noTools, request: { ...noTools.request, tools: [{ type: 'web_search_20250305', name: 'web_search', input_schema: { type: 'object' } }] } }, BUST);
    assert.equal(server.place.section, 'system', 'a server tool takes no description');
    assert.equal(server.composed.request.tools?.[0]?.description, undefined);
  });

  it('refuses a nonce that is not short and plain', () => {
    for (const nonce of ['', 'abc', 'has space', 'x'.repeat(33), '<img>', 42]) assert.ok(badNonce(nonce), JSON.stringify(nonce));
    assert.throws(() => withCacheBust((scenarios['short-chat'] as () => ReturnType<(typeof scenarios)[string]>)(), { nonce: 'a b c d' }), /4 to 32 letters/);
  });

  it('buildPromptPlan: the first placed breakpoint says why, and the nonce costs only a few tokens', async () => {
    const path = join(WORKSPACE, '.prompts/support-agent.md');
    const input = { path, text: readFileSync(path, 'utf8'), files: nodeFiles(WORKSPACE), models: createModelTable(), defaultModel: 'claude-sonnet-5', skipColdWarm: true };
    const plain = await buildPromptPlan(input);
    const busted = await buildPromptPlan({ ...input, bust: BUST });
    assert.ok(plain.ok && busted.ok);
    const first = busted.plan.breakpoints.filter((d) => d.placed).sort((a, c) => (a.blockIndex ?? 0) - (c.blockIndex ?? 0))[0];
    assert.match(first?.reason ?? '', /for this request only, a one-off cache-bust nonce \(a1b2c3d4e5f6\) is in the description of tool/);
    const extra = (busted.plan.breakpoints.at(-1)?.prefix_tokens ?? 0) - (plain.plan.breakpoints.at(-1)?.prefix_tokens ?? 0);
    assert.ok(extra > 0 && extra <= 40, `the nonce adds ${extra} tokens`);
    assert.deepEqual(promptVersion(withoutCacheBust(busted.plan.request, BUST)), promptVersion(plain.plan.request), 'not a new prompt version');
  });
});
