// Emulated cache diagnostics (spec §1.9): compares a request with the one that produced
// `diagnostics.previous_message_id`, in the order the API names the causes. It remembers digests,
// not content: comparing needs only equality, and whole requests (a 2 MB system prompt, 500 times)
// were a gigabyte of heap. The memory is bounded in bytes as well as in count.
import { createHash } from 'node:crypto';
import type { CacheMissReason, MessagesRequest } from '../../shared/anthropic';

interface Seen {
  model: string;
  tools: string;
  system: string;
  messages: string[];
  totalInputTokens: number;
}

const MAX_REMEMBERED = 500;
/** About 40 bytes per message digest: 2 MiB holds 500 requests of 100 messages. */
export const DIAGNOSTICS_BUDGET_BYTES = 2 * 1024 * 1024;
const DIGEST_BYTES = 40;
const ENTRY_BYTES = 200;

/** 128 bits of SHA-256: collisions are out of reach for a local test server. */
function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(strip(value))).digest('base64').slice(0, 22);
}

const sizeOf = (s: Seen) => ENTRY_BYTES + DIGEST_BYTES * (s.messages.length + 3);

const systemBlocks = (request: MessagesRequest) => (typeof request.system === 'string' ? [{ type: 'text', text: request.system }] : request.system ?? []);

/** Keys sorted (as stableStringify does) and cache_control dropped: markers are not cached content. */
function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (!value || typeof value !== 'object') return value ?? null;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[k];
    if (k !== 'cache_control' && v !== undefined) out[k] = strip(v);
  }
  return out;
}

export class DiagnosticsMemory {
  private readonly seen = new Map<string, Seen>();
  private bytes = 0;

  constructor(private readonly budgetBytes = DIAGNOSTICS_BUDGET_BYTES) {}

  remember(messageId: string, request: MessagesRequest, totalInputTokens: number): void {
    const entry: Seen = {
      model: request.model,
      tools: digest(request.tools ?? []),
      system: digest(systemBlocks(request)),
      messages: request.messages.map(digest),
      totalInputTokens,
    };
    this.seen.set(messageId, entry);
    this.bytes += sizeOf(entry);
    while (this.seen.size > MAX_REMEMBERED || (this.bytes > this.budgetBytes && this.seen.size > 0)) {
      const [oldest, dropped] = this.seen.entries().next().value as [string, Seen];
      this.seen.delete(oldest);
      this.bytes -= sizeOf(dropped);
    }
  }

  /** Approximate bytes held. */
  size(): number {
    return this.bytes;
  }

  /** The `diagnostics` field for the response, or undefined when the request did not ask. */
  diagnose(request: MessagesRequest, resolvedModel: string, readTokens: number): { cache_miss_reason: CacheMissReason | null } | null | undefined {
    if (!request.diagnostics) return undefined;
    const prevId = request.diagnostics.previous_message_id;
    if (!prevId) return null;
    const prev = this.seen.get(prevId);
    if (!prev) return { cache_miss_reason: { type: 'previous_message_not_found' } };
    const missed = Math.max(0, prev.totalInputTokens - readTokens);
    const reason = (type: 'model_changed' | 'system_changed' | 'tools_changed' | 'messages_changed') => ({ cache_miss_reason: { type, cache_missed_input_tokens: missed } });
    if (prev.model !== resolvedModel) return reason('model_changed');
    if (prev.tools !== digest(request.tools ?? [])) return reason('tools_changed');
    if (prev.system !== digest(systemBlocks(request))) return reason('system_changed');
    const now = request.messages.map(digest);
    const diverged = prev.messages.some((m, i) => now[i] !== m);
    return diverged ? reason('messages_changed') : null;
  }
}
