// Nesting limits for JSON and YAML input. The engine walks values recursively (canonical JSON,
// token text, key sorting), so a 100,000-deep `[[[[…` would end in a stack overflow far from the
// parser; it is refused where it is parsed instead, with the place it goes too deep.

/** Deeper than any real Messages API body, tool schema or usage object; far below the stack's reach. */
export const MAX_JSON_DEPTH = 128;

/** Offset in `text` where arrays/objects nest deeper than `max`, or -1. Linear, no recursion; strings are skipped. */
export function jsonTooDeepAt(text: string, max = MAX_JSON_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/**
 * True when a parsed value (e.g. from YAML, whose aliases can even make cycles) nests deeper than
 * `max` or has more than `maxNodes` nodes counted with repeats. Iterative, so it cannot overflow.
 */
export function valueTooDeep(value: unknown, max = MAX_JSON_DEPTH, maxNodes = 1_000_000): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  let nodes = 0;
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (d >= max || ++nodes > maxNodes) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return false;
}

/** JSON.parse with the nesting limit; a too-deep text throws a SyntaxError saying where. */
export function parseJsonLimited(text: string, max = MAX_JSON_DEPTH): unknown {
  const at = jsonTooDeepAt(text, max);
  if (at >= 0) throw new SyntaxError(`nested more than ${max} levels deep (at position ${at})`);
  return JSON.parse(text);
}
