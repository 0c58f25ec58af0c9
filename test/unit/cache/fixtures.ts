// Shared test fixtures: a tiny model table and a counter where a text block of n characters is
// n tokens, so every expected usage figure below is exact arithmetic.
import type { ContentBlock, MessagesRequest, TextBlock, ToolDefinition } from '../../../src/shared/anthropic';
import type { ModelInfo, ModelTable } from '../../../src/core/models/types';
import type { TokenCounter } from '../../../src/core/request/blocks';

export function model(id: string, minCacheableTokens: number | null = 1024, aliases: string[] = []): ModelInfo {
  return {
    id,
    aliases,
    displayName: id,
    prices: { input: 2, write5m: 2.5, write1h: 4, read: 0.2, output: 10 },
    minCacheableTokens,
    minCacheableConfirmed: minCacheableTokens !== null,
    tokenizer: 'claude-2026',
    contextWindow: 1_000_000,
    usGeoMultiplier: true,
    source: 'test',
    sourceDate: '2026-01-01',
    confirmed: true,
  };
}

export function table(models: ModelInfo[] = [model('claude-sonnet-5', 1024, ['sonnet-5-alias']), model('claude-opus-5', 512)]): ModelTable {
  const find = (id: string) => models.find((m) => m.id === id || m.aliases.includes(id));
  return {
    resolve: (id) => {
      const m = find(id);
      if (!m) throw new Error(`Unknown model '${id}'`);
      return m;
    },
    tryResolve: find,
    all: () => models,
  };
}

/** Text: its length; tool_result with string content: its length; anything else: 10. */
export const lengthCounter: TokenCounter = (block) => {
  const b = block as { type?: string; text?: string; content?: unknown };
  if (b.type === 'text') return (b.text ?? '').length;
  if (b.type === 'tool_result' && typeof b.content === 'string') return b.content.length;
  return 10;
};

export const text = (n: number, ch = 'x', extra: Partial<TextBlock> = {}): TextBlock => ({ type: 'text', text: ch.repeat(n), ...extra });
export const cc5 = { type: 'ephemeral' as const };
export const cc1h = { type: 'ephemeral' as const, ttl: '1h' as const };

export const tool = (name: string, extra: Partial<ToolDefinition> = {}): ToolDefinition => ({
  name,
  description: `${name} tool`,
  input_schema: { type: 'object', properties: {} },
  ...extra,
});

export function req(system: TextBlock[], messages: MessagesRequest['messages'], extra: Partial<MessagesRequest> = {}): MessagesRequest {
  return { model: 'claude-sonnet-5', max_tokens: 100, system, messages, ...extra };
}

export const user = (...content: ContentBlock[]) => ({ role: 'user' as const, content });
export const assistant = (...content: ContentBlock[]) => ({ role: 'assistant' as const, content });

export const MIN = 60_000;
