// Representative requests for the planner's snapshot tests, built from the sample workspace.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ContentBlock, MessageParam, ToolDefinition } from '../../../src/shared/anthropic';
import type { ModelInfo } from '../../../src/core/models/types';
import { composeRequest, type ContextDocument } from '../../../src/core/compose/compose';
import { parsePromptFile } from '../../../src/core/registry/parse';
import type { PromptSpec } from '../../../src/core/registry/types';
import type { ComposedRequest } from '../../../src/core/plan/types';

export const WORKSPACE = join(__dirname, '..', '..', 'fixtures', 'workspace');

/** Claude Sonnet 5 as spec §2/§3.1 give it (fixed here so snapshots do not follow table edits). */
export const SONNET_5: ModelInfo = {
  id: 'claude-sonnet-5', aliases: [], displayName: 'Claude Sonnet 5',
  prices: { input: 2, write5m: 2.5, write1h: 4, read: 0.2, output: 10 },
  minCacheableTokens: 1024, minCacheableConfirmed: true, tokenizer: 'claude-2026', contextWindow: 1_000_000,
  usGeoMultiplier: true, source: 'DOC-PRICE', sourceDate: '2026-08-20', confirmed: true,
};

export function loadSpec(rel: string): PromptSpec {
  const r = parsePromptFile(join(WORKSPACE, rel), readFileSync(join(WORKSPACE, rel), 'utf8'));
  if (!r.spec) throw new Error(`${rel}: ${JSON.stringify(r.diagnostics)}`);
  return { ...r.spec, path: rel };
}

export function tools(): ToolDefinition[] {
  return JSON.parse(readFileSync(join(WORKSPACE, 'tools', 'support.json'), 'utf8')) as ToolDefinition[];
}

export function docs(): ContextDocument[] {
  const files = ['docs/faq.md', ...readdirSync(join(WORKSPACE, 'docs', 'policies')).sort().map((f) => `docs/policies/${f}`)];
  return files.filter((f) => statSync(join(WORKSPACE, f)).isFile()).map((f) => ({ path: relative(WORKSPACE, join(WORKSPACE, f)), text: readFileSync(join(WORKSPACE, f), 'utf8') }));
}

const user = (content: string | ContentBlock[]): MessageParam => ({ role: 'user', content });
const assistant = (content: string | ContentBlock[]): MessageParam => ({ role: 'assistant', content });

function supportAgent(messages: MessageParam[]): ComposedRequest {
  return composeRequest({ spec: loadSpec('.prompts/support-agent.md'), model: 'claude-sonnet-5', tools: tools(), context: docs(), messages });
}

/** A tool fan-out: one assistant turn with n parallel tool_use blocks, one user turn with n results. */
export function fanOut(n: number, from = 0): MessageParam[] {
  const uses: ContentBlock[] = [];
  const results: ContentBlock[] = [];
  for (let i = from; i < from + n; i++) {
    // Keys deliberately unsorted: the composer must serialise them in a stable order.
    uses.push({ type: 'tool_use', id: `toolu_${String(i).padStart(4, '0')}`, name: 'check_inventory', input: { region: 'us', query: `JKT-ALP-${200 + i}` } });
    results.push({ type: 'tool_result', tool_use_id: `toolu_${String(i).padStart(4, '0')}`, content: `JKT-ALP-${200 + i}: S 4, M ${i % 7}, L 2, XL 0 (us-east warehouse)` });
  }
  return [assistant(uses), user(results)];
}

const QUESTION = 'Hi, I ordered the Alpine jacket (AO-20260314) and it has not arrived. Can you check, and is it in stock in size M in case I need a new one?';

export const scenarios: Record<string, () => ComposedRequest> = {
  'short-chat': () =>
    composeRequest({
      spec: loadSpec('prompts/code-reviewer.prompt.md'),
      model: 'claude-sonnet-5',
      messages: [
        user('Please review this diff:\n```diff\n-const x = await load()\n+const x = load()\n```'),
        assistant('<review>Missing `await`: `x` is now a Promise.</review>'),
        user('Thanks. Is the rest fine?'),
      ],
    }),
  'system-and-context': () => supportAgent([user(QUESTION)]),
  'agent-fanout-25': () => supportAgent([user(QUESTION), ...fanOut(25)]),
  'thinking-at-end': () =>
    supportAgent([
      user(QUESTION),
      assistant([{ type: 'thinking', thinking: 'Look up the order first.', signature: 'sig-1' }, { type: 'tool_use', id: 'toolu_a', name: 'lookup_order', input: { order_number: 'AO-20260314' } }]),
      user([{ type: 'tool_result', tool_use_id: 'toolu_a', content: 'AO-20260314: shipped 10 March, UPS 1Z999' }]),
      assistant([{ type: 'thinking', thinking: 'Now track it.', signature: 'sig-2' }, { type: 'redacted_thinking', data: 'EuYBCkQYAiJA' }]),
    ]),
  'empty-text-last': () =>
    supportAgent([user(QUESTION), assistant('Let me look that up.'), user([{ type: 'text', text: 'It was a gift, by the way.' }, { type: 'text', text: '' }])]),
  'below-minimum-system': () =>
    composeRequest({ spec: loadSpec('prompts/greeting.prompt.md'), model: 'claude-sonnet-5', messages: [user('Hello!')] }),
  'ttl-conflict': () =>
    composeRequest({ spec: { ...loadSpec('.prompts/support-agent.md'), ttl: '5m' }, model: 'claude-sonnet-5', tools: tools(), context: docs(), messages: [user(QUESTION)] }),
  'five-tiers': () => {
    // A large toolset (≥ the minimum on its own) makes a separate tools breakpoint worthwhile,
    // and the fan-out needs an anchor: 5 wanted breakpoints for 4 slots.
    const many = [...tools(), ...Array.from({ length: 30 }, (_, i) => ({ ...(tools()[3] as ToolDefinition), name: `check_inventory_region_${i}` }))];
    return composeRequest({ spec: loadSpec('.prompts/support-agent.md'), model: 'claude-sonnet-5', tools: many, context: docs(), messages: [user(QUESTION), ...fanOut(25)] });
  },
};
