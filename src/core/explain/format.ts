// Wording shared by the explainer's sentences.
import type { CacheMissReason, Usage } from '../../shared/anthropic';

export const n = (x: number): string => Math.round(x).toLocaleString('en-US');

/** How the writes of a usage split by TTL, as a suffix: " at 5m", " at 1h" or " (N at 1h, M at 5m)". */
export function split(u: Usage): string {
  const w5 = u.cache_creation?.ephemeral_5m_input_tokens ?? 0;
  const w1 = u.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  return w5 && w1 ? ` (${n(w1)} at 1h, ${n(w5)} at 5m)` : w1 ? ' at 1h' : w5 ? ' at 5m' : '';
}

export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

const WHAT: Record<string, string> = {
  model_changed: 'the model changed',
  system_changed: 'the system prompt changed',
  tools_changed: 'the tool definitions changed',
  messages_changed: 'the messages changed',
};

/** Spec §1.9: the API's own `diagnostics.cache_miss_reason`, in a sentence. */
export function apiReasonSentence(reason: CacheMissReason): string {
  const missed = (reason as { cache_missed_input_tokens?: unknown }).cache_missed_input_tokens;
  const what = WHAT[reason.type];
  if (what) {
    const tokens = typeof missed === 'number' ? `: ${n(missed)} input tokens missed the cache` : '';
    return `Anthropic reports ${what} since the previous request${tokens}.`;
  }
  if (reason.type === 'previous_message_not_found') {
    return 'Anthropic could not find the previous message named in diagnostics.previous_message_id (it must come from the same workspace), so it gave no miss reason.';
  }
  if (reason.type === 'unavailable') {
    return 'Anthropic reports the miss reason as unavailable (this also covers a changed tool_choice, thinking or output_config).';
  }
  return `Anthropic reports cache miss reason '${reason.type}'.`;
}
