// PromptSpec + tools + context documents + conversation → a request body without breakpoints,
// in the prefix order the cache sees: tools → system instructions → context documents → messages.
import type { ContentBlock, MessageParam, MessagesRequest, TextBlock, ToolDefinition } from '../../shared/anthropic';
import { sortKeys } from '../request/canonical';
import type { BlockSource, ComposedRequest } from '../plan/types';
import type { PromptSpec } from '../registry/types';

/** Used when neither the caller nor the prompt file sets max_tokens (the API requires one). */
export const DEFAULT_MAX_TOKENS = 1024;

export interface ContextDocument {
  /** Workspace-relative path shown in the block header and in explanations. */
  path: string;
  text: string;
}

export interface ComposeInput {
  spec: PromptSpec;
  /** Model id to put in the body (the spec's model, or the caller's default). */
  model: string;
  tools?: ToolDefinition[];
  context?: ContextDocument[];
  messages: MessageParam[];
  /** Overrides the spec's max_tokens (e.g. 0 to pre-warm, spec §1.8). */
  maxTokens?: number;
  /** Workspace-relative path of the prompt file for systemSources (defaults to spec.path). */
  promptPath?: string;
}

/**
 * A document block: a one-line header naming the file, then the text verbatim. The header is
 * part of the cached bytes, so it must depend on nothing but the path.
 */
export function contextBlockText(doc: ContextDocument): string {
  return `<document source="${doc.path.replace(/"/g, '&quot;')}">\n${doc.text}\n</document>`;
}

/** tool_use inputs with sorted keys, so the same call always serialises to the same bytes (spec §1.6). */
export function stableMessages(messages: MessageParam[]): MessageParam[] {
  return messages.map((m) => {
    if (typeof m.content === 'string' || !m.content.some((b) => b.type === 'tool_use')) return m;
    const content: ContentBlock[] = m.content.map((b) => (b.type === 'tool_use' ? { ...b, input: sortKeys(b.input) } : b));
    return { ...m, content };
  });
}

export function composeRequest(input: ComposeInput): ComposedRequest {
  const { spec } = input;
  const docs = input.context ?? [];
  const system: TextBlock[] = [{ type: 'text', text: spec.body }, ...docs.map((d): TextBlock => ({ type: 'text', text: contextBlockText(d) }))];
  const systemSources: BlockSource[] = [{ file: input.promptPath ?? spec.path, line: spec.bodyStartLine }, ...docs.map((d) => ({ file: d.path, line: 1 }))];
  // Key order of the body is fixed (model, params, tools, system, messages) so snapshots are exact.
  const request = {
    model: input.model,
    max_tokens: input.maxTokens ?? spec.max_tokens ?? DEFAULT_MAX_TOKENS,
    // temperature/top_p/top_k are never sent: API 2026-10-21 rejects them (the registry warns).
    ...(spec.stop_sequences !== undefined ? { stop_sequences: spec.stop_sequences } : {}),
    // Tool order is part of the cache key and is kept; keys inside each definition are sorted.
    ...(input.tools && input.tools.length > 0 ? { tools: input.tools.map((t) => sortKeys(t) as ToolDefinition) } : {}),
    system,
    messages: stableMessages(input.messages),
  } satisfies MessagesRequest;
  return { request, instructionBlocks: 1, contextBlocks: docs.length, systemSources };
}
