// Folds raw Messages SSE events (spec §4.2) into a message, its text and its usage.
// Invariants: the input side and the 5m/1h split come from message_start; message_delta
// counters are cumulative, so non-null values OVERWRITE (never add). Unknown event and delta
// types are ignored, as the API asks ("handle unknown event types gracefully").
import type { ContentBlock, Diagnostics, Usage } from '../../shared/anthropic';

type Json = Record<string, unknown>;

export interface StreamErrorInfo {
  type: string;
  message: string;
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Copies a usage object from the wire, keeping only known fields; missing numbers become 0. */
export function normalizeUsage(raw: unknown): Usage {
  const u = isObj(raw) ? raw : {};
  const out: Usage = { input_tokens: num(u.input_tokens) ?? 0, output_tokens: num(u.output_tokens) ?? 0 };
  const passthrough = [
    'cache_creation_input_tokens',
    'cache_read_input_tokens',
    'cache_creation',
    'output_tokens_details',
    'server_tool_use',
    'service_tier',
    'inference_geo',
    'speed',
  ] as const;
  for (const k of passthrough) {
    if (k in u) (out as unknown as Json)[k] = u[k] ?? null;
  }
  if (isObj(u.cache_creation)) {
    out.cache_creation = {
      ephemeral_5m_input_tokens: num(u.cache_creation.ephemeral_5m_input_tokens) ?? 0,
      ephemeral_1h_input_tokens: num(u.cache_creation.ephemeral_1h_input_tokens) ?? 0,
    };
  }
  return out;
}

/** Fields of message_delta.usage that are cumulative totals: overwrite when present and non-null. */
const DELTA_OVERWRITE = [
  'input_tokens',
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
  'server_tool_use',
  'output_tokens_details',
] as const;

interface BlockState {
  block: Json;
  partialJson: string;
  parsed: boolean;
}

export class StreamAccumulator {
  usage: Usage | null = null;
  stopReason: string | null = null;
  messageId: string | null = null;
  model: string | null = null;
  diagnostics: Diagnostics | null | undefined = undefined;
  text = '';
  error: StreamErrorInfo | null = null;
  started = false;
  stopped = false;
  eventCount = 0;
  private readonly blocks: BlockState[] = [];

  constructor(private readonly hooks: { onText?(delta: string, snapshot: string): void; onUsage?(u: Usage): void } = {}) {}

  /** Applies one event. Returns the text delta it carried, if any. */
  push(event: unknown): string | undefined {
    if (!isObj(event)) return undefined;
    this.eventCount++;
    switch (event.type) {
      case 'message_start':
        this.onStart(event.message);
        return undefined;
      case 'content_block_start':
        this.onBlockStart(event);
        return undefined;
      case 'content_block_delta':
        return this.onDelta(event);
      case 'content_block_stop':
        this.onBlockStop(event);
        return undefined;
      case 'message_delta':
        this.onMessageDelta(event);
        return undefined;
      case 'message_stop':
        this.stopped = true;
        return undefined;
      case 'error': {
        const e = isObj(event.error) ? event.error : {};
        this.error = { type: String(e.type ?? 'error'), message: String(e.message ?? 'Stream error') };
        return undefined;
      }
      default:
        return undefined; // ping and event types this version does not know
    }
  }

  private onStart(message: unknown): void {
    const m = isObj(message) ? message : {};
    this.started = true;
    this.messageId = typeof m.id === 'string' ? m.id : null;
    this.model = typeof m.model === 'string' ? m.model : null;
    this.usage = normalizeUsage(m.usage);
    if ('diagnostics' in m) this.diagnostics = (m.diagnostics ?? null) as Diagnostics | null;
    this.hooks.onUsage?.({ ...this.usage });
  }

  private onBlockStart(event: Json): void {
    const index = num(event.index) ?? this.blocks.length;
    const block = isObj(event.content_block) ? { ...event.content_block } : { type: 'unknown' };
    this.blocks[index] = { block, partialJson: '', parsed: false };
  }

  private onDelta(event: Json): string | undefined {
    const state = this.blocks[num(event.index) ?? -1];
    const delta = isObj(event.delta) ? event.delta : {};
    if (!state) return undefined;
    const b = state.block;
    switch (delta.type) {
      case 'text_delta': {
        const t = String(delta.text ?? '');
        b.text = String(b.text ?? '') + t;
        this.text += t;
        this.hooks.onText?.(t, this.text);
        return t;
      }
      case 'input_json_delta':
        state.partialJson += String(delta.partial_json ?? '');
        return undefined;
      case 'thinking_delta':
        b.thinking = String(b.thinking ?? '') + String(delta.thinking ?? '');
        return undefined;
      case 'signature_delta':
        b.signature = String(delta.signature ?? '');
        return undefined;
      case 'citations_delta':
        b.citations = [...((b.citations as unknown[] | null | undefined) ?? []), delta.citation];
        return undefined;
      default:
        return undefined;
    }
  }

  private onBlockStop(event: Json): void {
    const state = this.blocks[num(event.index) ?? -1];
    if (!state || !state.partialJson) return;
    try {
      state.block.input = JSON.parse(state.partialJson);
      state.parsed = true;
    } catch {
      // Leave the start block's input as it was; content() keeps the raw JSON for the caller.
    }
  }

  private onMessageDelta(event: Json): void {
    const delta = isObj(event.delta) ? event.delta : {};
    if (typeof delta.stop_reason === 'string') this.stopReason = delta.stop_reason;
    const u = isObj(event.usage) ? event.usage : {};
    const usage: Usage = this.usage ?? { input_tokens: 0, output_tokens: 0 };
    const out = num(u.output_tokens);
    if (out !== undefined) usage.output_tokens = out;
    for (const k of DELTA_OVERWRITE) {
      if (u[k] !== undefined && u[k] !== null) (usage as unknown as Json)[k] = u[k];
    }
    this.usage = usage;
    this.hooks.onUsage?.({ ...usage });
  }

  /** Content blocks so far; a tool_use whose input JSON never completed keeps `partial_json`. */
  content(): ContentBlock[] {
    return this.blocks.filter((s): s is BlockState => s !== undefined).map((s) => {
      const b = { ...s.block };
      if (s.partialJson && !s.parsed) b.partial_json = s.partialJson;
      return b as unknown as ContentBlock;
    });
  }
}

/** Parses an SSE transcript (`event:` / `data:` lines, blank-line separated) into event objects. */
export function parseSseTranscript(text: string): unknown[] {
  const events: unknown[] = [];
  for (const chunk of text.replace(/\r\n/g, '\n').split(/\n\n+/)) {
    const data = chunk
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trimStart())
      .join('\n');
    if (!data) continue;
    try {
      events.push(JSON.parse(data));
    } catch {
      throw new Error(`SSE transcript: data is not JSON: ${data.slice(0, 80)}`);
    }
  }
  return events;
}
