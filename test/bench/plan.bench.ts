// Compose + plan + predict for a 200-turn support-agent conversation (budget: ≤ 2 ms median).
// Token counts are memoised per block text inside blockTokenCounter (one counter per tokenizer
// generation for the process, src/core/plan/tokens.ts), so a re-plan only tokenizes new blocks;
// the figures below are for that steady state (first run excluded as warm-up).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MessageParam, ToolDefinition } from '../../src/shared/anthropic';
import { composeRequest } from '../../src/core/compose/compose';
import { createCacheSimulator } from '../../src/core/cache/simulator';
import { createModelTable } from '../../src/core/models/table';
import { planRequest } from '../../src/core/plan/planner';
import { parsePromptFile } from '../../src/core/registry/parse';
import type { BenchOptions } from './index';

const WS = join(__dirname, '..', 'fixtures', 'workspace');
const TARGET_MS = 2;

function conversation(turns: number): MessageParam[] {
  const out: MessageParam[] = [];
  for (let i = 0; i < turns; i++) {
    out.push({ role: 'user', content: `Turn ${i}: where is order AO-2026${String(i).padStart(4, '0')} and can I return the boots?` });
    if (i < turns - 1) out.push({ role: 'assistant', content: [{ type: 'text', text: `Order AO-2026${String(i).padStart(4, '0')} shipped on ${1 + (i % 28)} March; boots can be returned within 30 days of delivery.` }] });
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export async function run(opts: BenchOptions): Promise<Array<Record<string, unknown>>> {
  const path = join(WS, '.prompts', 'support-agent.md');
  const spec = parsePromptFile(path, readFileSync(path, 'utf8')).spec;
  if (!spec) throw new Error('fixture prompt does not parse');
  const tools = JSON.parse(readFileSync(join(WS, 'tools', 'support.json'), 'utf8')) as ToolDefinition[];
  const context = ['docs/faq.md', 'docs/policies/privacy.md', 'docs/policies/refunds.md', 'docs/policies/shipping.md'].map((p) => ({ path: p, text: readFileSync(join(WS, p), 'utf8') }));
  const models = createModelTable();
  const model = models.resolve('claude-sonnet-5');
  const sim = createCacheSimulator({ models });
  const once = (messages: MessageParam[]) => {
    const composed = composeRequest({ spec, model: model.id, tools, context, messages });
    const plan = planRequest(composed, { model, ttl: { system: '1h', context: '5m', conversation: '5m' } });
    return sim.predict(plan.request, 0);
  };
  const time = (turns: number, runs: number) => {
    const msgs = conversation(turns);
    once(msgs);
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = process.hrtime.bigint();
      once(msgs);
      ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return median(ms);
  };
  const runs = opts.smoke ? 5 : 200;
  const m200 = time(200, runs);
  const m20 = time(20, runs);
  return [{ name: 'plan.200_turns', median_ms: Number(m200.toFixed(3)), target_ms: TARGET_MS, ratio_vs_target: Number((m200 / TARGET_MS).toFixed(3)), median_ms_20_turns: Number(m20.toFixed(3)), ratio_200_vs_20_turns: Number((m200 / m20).toFixed(2)), runs }];
}
