// Bounds on what one request may make the emulator do. The API's own limits where the spec gives
// them; elsewhere the emulator's, chosen far above any real request and low enough that a hostile
// or broken one cannot stall the emulator or exhaust its memory.

/** Spec §6.1: 413 request_too_large above 32 MB for Messages and count_tokens. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** The control endpoints take a few numbers; nothing legitimate comes near this. */
export const MAX_CONTROL_BODY_BYTES = 64 * 1024;
/**
 * Nesting bound (emulator's own; the API's is not published). The engine's canonical JSON and
 * token walkers recurse, so a 100,000-deep tool input would overflow the stack without it.
 */
export const MAX_DEPTH = 128;
/**
 * Characters the emulator will tokenize for one request: 8 per token of the model's context window
 * (real text runs at about 4), capped at 8 Mi. More cannot fit the window, and counting it would
 * block the emulator for seconds per megabyte.
 */
export const CHARS_PER_TOKEN_BOUND = 8;
export const MAX_COUNTED_CHARS = 8 * 1024 * 1024;

export interface Measure {
  /** True when some value nests deeper than MAX_DEPTH. */
  tooDeep: boolean;
  /** Characters of keys and strings the token counter reads (image data excluded). */
  countedChars: number;
}

interface Frame {
  items: unknown[];
  next: number;
  counted: boolean;
}

/** Children of a container; object keys count as read text (tool inputs are serialized whole). */
function open(v: object, counted: boolean, measure: Measure): Frame {
  const count = counted && (v as { type?: unknown }).type !== 'image';
  if (Array.isArray(v)) return { items: v, next: 0, counted: count };
  const keys = Object.keys(v);
  if (count) for (const k of keys) measure.countedChars += k.length;
  return { items: keys.map((k) => (v as Record<string, unknown>)[k]), next: 0, counted: count };
}

/**
 * One iterative pass over the parsed body: a stack of one frame per open container, so it never
 * recurses and holds at most MAX_DEPTH frames. Image blocks are skipped for the count: their
 * tokens are a fixed figure, not their bytes.
 */
export function measure(value: unknown): Measure {
  const m: Measure = { tooDeep: false, countedChars: typeof value === 'string' ? value.length : 0 };
  if (typeof value !== 'object' || value === null) return m;
  const stack: Frame[] = [open(value, true, m)];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as Frame;
    if (top.next >= top.items.length) {
      stack.pop();
      continue;
    }
    const v = top.items[top.next++];
    if (typeof v === 'string') {
      if (top.counted) m.countedChars += v.length;
    } else if (typeof v === 'object' && v !== null) {
      if (stack.length >= MAX_DEPTH) return { ...m, tooDeep: true };
      stack.push(open(v, top.counted, m));
    }
  }
  return m;
}

export function countedCharsLimit(contextWindow: number): number {
  return Math.min(MAX_COUNTED_CHARS, contextWindow * CHARS_PER_TOKEN_BOUND);
}
