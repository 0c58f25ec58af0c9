// PromptSpec + tools + context documents + conversation → a request body without breakpoints.
import type { MessageParam, ToolDefinition } from '../../shared/anthropic';
import type { ComposedRequest } from '../plan/types';
import type { PromptSpec } from '../registry/types';

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
}

export function composeRequest(input: ComposeInput): ComposedRequest {
  return {
    request: { model: input.model, system: [{ type: 'text', text: input.spec.body }], messages: input.messages },
    instructionBlocks: 1,
    contextBlocks: 0,
  };
}
