// What in our own request most likely caused a 400, so the message points at the fix rather
// than only echoing Anthropic's text.
import type { CacheControl, MessagesRequest } from '../shared/anthropic';

export interface Marker {
  where: string;
  ttl: '5m' | '1h';
  emptyText: boolean;
}

/** Every block-level cache_control in prefix order (tools → system → messages). */
export function listCacheMarkers(request: MessagesRequest): Marker[] {
  const out: Marker[] = [];
  const add = (where: string, b: { cache_control?: CacheControl | null; type?: unknown; text?: unknown }) => {
    if (!b || !b.cache_control) return;
    out.push({ where, ttl: b.cache_control.ttl ?? '5m', emptyText: b.type === 'text' && String(b.text ?? '') === '' });
  };
  (request.tools ?? []).forEach((t, i) => add(`tools[${i}]`, t));
  if (Array.isArray(request.system)) request.system.forEach((b, i) => add(`system[${i}]`, b));
  (request.messages ?? []).forEach((m, i) => {
    if (Array.isArray(m.content)) m.content.forEach((b, j) => add(`messages[${i}].content[${j}]`, b as { cache_control?: CacheControl }));
  });
  return out;
}

export function requestHints(request: MessagesRequest, apiMessage: string): string[] {
  const hints: string[] = [];
  const markers = listCacheMarkers(request);
  const total = markers.length + (request.cache_control ? 1 : 0);
  if (total > 4) {
    hints.push(`it carries ${total} cache_control breakpoints (${markers.map((m) => m.where).join(', ')}${request.cache_control ? ', top-level' : ''}); at most 4 are allowed.`);
  }
  const firstShort = markers.findIndex((m) => m.ttl === '5m');
  const lateLong = markers.findIndex((m, i) => m.ttl === '1h' && firstShort >= 0 && i > firstShort);
  if (lateLong >= 0) hints.push(`a 1h breakpoint (${markers[lateLong]?.where}) comes after a 5m one (${markers[firstShort]?.where}); 1h entries must come first.`);
  const empty = markers.find((m) => m.emptyText);
  if (empty) hints.push(`cache_control is on an empty text block (${empty.where}).`);
  const sampling = ['temperature', 'top_p', 'top_k'].filter((k) => request[k] !== undefined);
  if (sampling.length) hints.push(`it sets ${sampling.join(', ')}, which API version 2026-10-21 no longer accepts; remove them.`);
  if (request.max_tokens === 0 && request.stream) hints.push('max_tokens 0 (pre-warm) cannot be streamed.');
  if (/max_tokens/.test(apiMessage) && request.max_tokens === undefined) hints.push('max_tokens is missing.');
  return hints;
}
