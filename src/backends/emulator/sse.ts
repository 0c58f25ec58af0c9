// The Messages response in both shapes: one JSON message, or the exact SSE event sequence of
// spec §4.2 (message_start with the input side of usage, per-block start/delta/stop, a ping,
// one cumulative message_delta, message_stop).
import type { Usage } from '../../shared/anthropic';
import type { PlannedTurn } from './script';

export interface MessageMeta {
  id: string;
  model: string;
  usage: Usage;
  diagnostics?: unknown;
}

export function messageJson(meta: MessageMeta, turn: PlannedTurn): Record<string, unknown> {
  return {
    id: meta.id,
    type: 'message',
    role: 'assistant',
    model: meta.model,
    content: turn.content,
    stop_reason: turn.stopReason,
    stop_sequence: null,
    usage: { ...meta.usage, output_tokens: turn.outputTokens },
    ...(meta.diagnostics !== undefined ? { diagnostics: meta.diagnostics } : {}),
  };
}

/** Splits text into deltas of a few words, keeping every character. */
export function textChunks(text: string, wordsPerChunk = 4): string[] {
  const parts = text.match(/\S+\s*|\s+/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < parts.length; i += wordsPerChunk) out.push(parts.slice(i, i + wordsPerChunk).join(''));
  return out;
}

function jsonChunks(json: string, pieces = 3): string[] {
  if (json.length === 0) return [];
  const size = Math.max(1, Math.ceil(json.length / pieces));
  const out: string[] = [];
  for (let i = 0; i < json.length; i += size) out.push(json.slice(i, i + size));
  return out;
}

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

export function streamEvents(meta: MessageMeta, turn: PlannedTurn): SseEvent[] {
  const ev = (event: string, data: Record<string, unknown>): SseEvent => ({ event, data: { type: event, ...data } });
  const startUsage = { ...meta.usage, output_tokens: Math.min(1, turn.outputTokens) };
  const message = { id: meta.id, type: 'message', role: 'assistant', content: [], model: meta.model, stop_reason: null, stop_sequence: null, usage: startUsage, ...(meta.diagnostics !== undefined ? { diagnostics: meta.diagnostics } : {}) };
  const out: SseEvent[] = [ev('message_start', { message })];
  turn.content.forEach((block, index) => {
    if (block.type === 'text') {
      out.push(ev('content_block_start', { index, content_block: { type: 'text', text: '' } }));
      if (index === 0) out.push(ev('ping', {}));
      for (const text of textChunks(block.text)) out.push(ev('content_block_delta', { index, delta: { type: 'text_delta', text } }));
    } else {
      out.push(ev('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } }));
      if (index === 0) out.push(ev('ping', {}));
      for (const partial_json of jsonChunks(JSON.stringify(block.input))) out.push(ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } }));
    }
    out.push(ev('content_block_stop', { index }));
  });
  if (turn.content.length === 0) out.push(ev('ping', {}));
  const u = meta.usage;
  // Cumulative totals (spec §4.2); no cache_creation breakdown here, as the API does.
  const deltaUsage = {
    input_tokens: u.input_tokens,
    cache_creation_input_tokens: u.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: u.cache_read_input_tokens ?? 0,
    output_tokens: turn.outputTokens,
  };
  out.push(ev('message_delta', { delta: { stop_reason: turn.stopReason, stop_sequence: null }, usage: deltaUsage }));
  out.push(ev('message_stop', {}));
  return out;
}

export function formatSse(e: SseEvent): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}
