// Nesting limits for JSON and YAML input. The engine walks values recursively (canonical JSON,
// token text, key sorting), so a 100,000-deep `[[[[…` would end in a stack overflow far from the
// parser; it is refused where it is parsed instead, with the place it goes too deep. YAML needs
// it before parsing: the yaml package overflows its own stack near 1,000 levels, and after such
// an overflow V8 was seen to die later in the same process (RegExpCompiler out of memory), which
// would take the engine worker or an in-process caller down with it.

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

/** Front matter, mock results and scripts nest a few levels; this leaves room and stays far from the parser's limit. */
export const MAX_YAML_DEPTH = 64;

/** Where a quoted YAML scalar may begin: after these (or at the line start); elsewhere a quote is plain text. */
const QUOTE_OPENERS = new Set([':', '-', '[', '{', ',', '?', '']);

/** One line's flow brackets (depth at its end and its peak, from `flow` at its start) and leading `- ` markers. */
function scanLine(line: string, flow: number): { flow: number; peak: number; seqMarks: number } {
  let peak = flow;
  let seqMarks = 0;
  let quote = '';
  let leading = true;
  let prev = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (quote === '"' && c === '\\') i++;
      else if (c === quote) quote = '';
      prev = c;
      continue;
    }
    if (leading && c === '-' && (line[i + 1] === ' ' || i + 1 === line.length)) seqMarks++;
    else if (c !== ' ' && c !== '\t') leading = false;
    if (c === '#' && (i === 0 || line[i - 1] === ' ')) break;
    // A quote counts only where a quoted scalar can start; erring the other way would hide brackets.
    if ((c === '"' || c === "'") && QUOTE_OPENERS.has(prev)) quote = c;
    else if (c === '[' || c === '{') peak = Math.max(peak, ++flow);
    else if (c === ']' || c === '}') flow = Math.max(0, flow - 1);
    if (c !== ' ' && c !== '\t') prev = c;
  }
  return { flow, peak, seqMarks };
}

/**
 * 1-based line where YAML `text` nests deeper than `max` (block indentation, `- ` markers and
 * flow brackets together), or 0. A conservative scan, linear and without recursion; it may count
 * a bracket inside a plain scalar, which only ever errs towards refusing absurd input.
 */
export function yamlTooDeepAt(text: string, max = MAX_YAML_DEPTH): number {
  const indents: number[] = [];
  let flow = 0;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n] as string;
    const body = line.trimStart();
    if (body === '' || body.startsWith('#')) continue;
    const indent = line.length - body.length;
    if (flow === 0) {
      while (indents.length > 0 && (indents.at(-1) as number) >= indent) indents.pop();
      indents.push(indent);
    }
    const scan = scanLine(line, flow);
    flow = scan.flow;
    if (indents.length + scan.seqMarks + scan.peak > max) return n + 1;
  }
  return 0;
}
