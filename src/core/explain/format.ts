// Wording shared by the explainer's sentences.
import type { CacheMissReason } from '../../shared/anthropic';

export const n = (x: number): string => Math.round(x).toLocaleString('en-US');

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
