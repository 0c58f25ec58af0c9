// The subset of the Anthropic Messages API shapes that the engine reads and writes.
// Kept free of the SDK so src/core and the webview can use it without loading the SDK.

export type CacheTtl = '5m' | '1h';

export interface CacheControl {
  type: 'ephemeral';
  ttl?: CacheTtl;
}

export interface TextBlock {
  type: 'text';
  text: string;
  cache_control?: CacheControl;
  citations?: unknown[] | null;
}

export interface ImageBlock {
  type: 'image';
  source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string };
  cache_control?: CacheControl;
}

export interface DocumentBlock {
  type: 'document';
  source: unknown;
  title?: string;
  cache_control?: CacheControl;
}

export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
  cache_control?: CacheControl;
}

export interface ToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content?: string | Array<TextBlock | ImageBlock | DocumentBlock>;
  is_error?: boolean;
  cache_control?: CacheControl;
}

export interface ThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature: string;
}

export interface RedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}

export type ContentBlock =
  | TextBlock
  | ImageBlock
  | DocumentBlock
  | ToolUseBlock
  | ToolResultBlock
  | ThinkingBlock
  | RedactedThinkingBlock;

export interface MessageParam {
  role: 'user' | 'assistant' | 'system';
  content: string | ContentBlock[];
}

export interface ToolDefinition {
  name: string;
  description?: string;
  input_schema: { type: 'object'; properties?: Record<string, unknown>; required?: string[]; [k: string]: unknown };
  cache_control?: CacheControl;
  type?: string;
  [k: string]: unknown;
}

export type ToolChoice =
  | { type: 'auto' | 'any' | 'none'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean };

/** A Messages API request body (create or count_tokens). */
export interface MessagesRequest {
  model: string;
  max_tokens?: number;
  system?: string | TextBlock[];
  messages: MessageParam[];
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  cache_control?: CacheControl;
  thinking?: { type: string; budget_tokens?: number };
  output_config?: Record<string, unknown>;
  stop_sequences?: string[];
  stream?: boolean;
  metadata?: Record<string, unknown>;
  diagnostics?: { previous_message_id: string | null };
  service_tier?: 'auto' | 'standard_only';
  inference_geo?: string;
  speed?: 'standard' | 'fast';
  [k: string]: unknown;
}

export interface CacheCreation {
  ephemeral_5m_input_tokens: number;
  ephemeral_1h_input_tokens: number;
}

/** Usage as Anthropic reports it. Fields may be null or absent in old or partial responses. */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation?: CacheCreation | null;
  output_tokens_details?: { thinking_tokens?: number } | null;
  server_tool_use?: { web_search_requests?: number; web_fetch_requests?: number } | null;
  service_tier?: 'standard' | 'priority' | 'batch' | null;
  inference_geo?: string | null;
  speed?: 'standard' | 'fast' | null;
}

export type CacheMissReason =
  | { type: 'model_changed' | 'system_changed' | 'tools_changed' | 'messages_changed'; cache_missed_input_tokens: number }
  | { type: 'previous_message_not_found' }
  | { type: 'unavailable' }
  | { type: string; [k: string]: unknown };

export interface Diagnostics {
  cache_miss_reason: CacheMissReason | null;
}
