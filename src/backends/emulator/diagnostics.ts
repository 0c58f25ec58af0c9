// Emulated cache diagnostics (spec §1.9): compares a request with the one that produced
// `diagnostics.previous_message_id`, in the order the API names the causes.
import { stableStringify } from '../../core/request/canonical';
import type { CacheMissReason, MessagesRequest } from '../../shared/anthropic';

interface Seen {
  model: string;
  tools: string;
  system: string;
  messages: string[];
  totalInputTokens: number;
}

const MAX_REMEMBERED = 500;

function strip(value: unknown): unknown {
  // cache_control markers are not part of the cached content.
  return JSON.parse(stableStringify(value ?? null), (k, v) => (k === 'cache_control' ? undefined : v));
}

export class DiagnosticsMemory {
  private readonly seen = new Map<string, Seen>();

  remember(messageId: string, request: MessagesRequest, totalInputTokens: number): void {
    this.seen.set(messageId, {
      model: request.model,
      tools: stableStringify(strip(request.tools ?? [])),
      system: stableStringify(strip(typeof request.system === 'string' ? [{ type: 'text', text: request.system }] : request.system ?? [])),
      messages: request.messages.map((m) => stableStringify(strip(m))),
      totalInputTokens,
    });
    if (this.seen.size > MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value as string);
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
    if (prev.tools !== stableStringify(strip(request.tools ?? []))) return reason('tools_changed');
    const system = typeof request.system === 'string' ? [{ type: 'text', text: request.system }] : request.system ?? [];
    if (prev.system !== stableStringify(strip(system))) return reason('system_changed');
    const now = request.messages.map((m) => stableStringify(strip(m)));
    const diverged = prev.messages.some((m, i) => now[i] !== m);
    return diverged ? reason('messages_changed') : null;
  }
}
