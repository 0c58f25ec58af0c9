// Bounds on front matter, so a hostile or broken file costs linear time and says what is wrong.
// Real front matter has a dozen keys; the yaml library's unique-key check compares every key
// with all the keys before it (40,000 keys took 16 s), and deep nesting overflows its recursive
// parser. So: a size and a nesting check before parsing, then one linear pass over the tree
// that counts keys, measures depth and finds duplicate keys with a Set per mapping.
import { isAlias, isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import type { Diagnostic } from './types';

export const MAX_FRONT_MATTER_BYTES = 64 * 1024;
export const MAX_FRONT_MATTER_KEYS = 1000;
export const MAX_FRONT_MATTER_DEPTH = 32;

const fmt = (n: number) => n.toLocaleString('en-US');

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A surrogate pair is 4 bytes: 2 + 2 for its two halves.
    n += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 2 : 3;
  }
  return n;
}

function limitError(message: string): Diagnostic {
  return { severity: 'error', code: 'yaml-limit', line: 1, column: 1, message };
}

/**
 * Nesting depth as written: levels of block indentation, compact sequence dashes on one line
 * (`- - - x`), and brackets of flow collections (carried across lines; quoted text and comments
 * skipped). An over-estimate at worst (block-scalar text indented deeper than its key counts),
 * which only matters beyond MAX_FRONT_MATTER_DEPTH.
 */
export function writtenDepth(yaml: string): number {
  let max = 0;
  let flow = 0;
  const indents: number[] = [];
  for (const line of yaml.split('\n')) {
    const body = line.trimStart();
    if (body === '' || body.startsWith('#')) continue;
    const indent = line.length - body.length;
    while (indents.length && (indents[indents.length - 1] as number) >= indent) indents.pop();
    indents.push(indent);
    const dashes = (/^(?:-[ \t]+)+/.exec(body)?.[0].match(/-/g) ?? []).length;
    const f = flowDepth(line, flow);
    flow = f.depth;
    max = Math.max(max, indents.length + dashes + f.max);
  }
  return max;
}

/** Bracket depth through one line, from `start` (quoted text and comments skipped). */
function flowDepth(line: string, start: number): { depth: number; max: number } {
  let depth = start;
  let max = start;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || line[i - 1] === ' ')) break;
    else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return { depth, max };
}

/** An error on line 1 when the front matter is too large or too deeply nested to parse. */
export function checkBeforeParse(yaml: string): Diagnostic | undefined {
  const bytes = utf8Length(yaml);
  if (bytes > MAX_FRONT_MATTER_BYTES) {
    return limitError(`Front matter is ${fmt(Math.ceil(bytes / 1024))} KB; the limit is ${fmt(MAX_FRONT_MATTER_BYTES / 1024)} KB. Keep settings in front matter and move long text into the body or a context file.`);
  }
  const depth = writtenDepth(yaml);
  if (depth > MAX_FRONT_MATTER_DEPTH) {
    return limitError(`Front matter nests ${fmt(depth)} levels deep; the limit is ${MAX_FRONT_MATTER_DEPTH} levels.`);
  }
  return undefined;
}

type Pos = (node: YamlNode | null | undefined, fallbackLine: number) => { line: number; column: number };

function keyIdentity(key: unknown): string | undefined {
  // Scalar keys are equal when their values are (1 and "1" differ, as in the yaml library).
  return isScalar(key) ? `${typeof key.value}:${String(key.value)}` : undefined;
}

/**
 * One pass over the parsed tree (an explicit stack: no recursion to overflow). Duplicate keys
 * are reported where they stand; a tree over MAX_FRONT_MATTER_KEYS keys is one error on line 1
 * and false (the caller then validates nothing more). Aliases are not followed: a value that
 * is an alias is never expanded anywhere in the registry, so alias bombs stay small.
 */
export function checkTree(root: YamlNode | null, pos: Pos, diagnostics: Diagnostic[]): boolean {
  const stack: Array<[unknown, number]> = [[root, 1]];
  let keys = 0;
  while (stack.length) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (isAlias(node) || !(isMap(node) || isSeq(node))) continue;
    if (depth > MAX_FRONT_MATTER_DEPTH) {
      diagnostics.push(limitError(`Front matter nests more than ${MAX_FRONT_MATTER_DEPTH} levels deep.`));
      return false;
    }
    if (isSeq(node)) {
      for (const item of node.items) stack.push([item, depth + 1]);
      continue;
    }
    keys += node.items.length;
    if (keys > MAX_FRONT_MATTER_KEYS) {
      diagnostics.push(limitError(`Front matter has more than ${fmt(MAX_FRONT_MATTER_KEYS)} keys; the limit is ${fmt(MAX_FRONT_MATTER_KEYS)}.`));
      return false;
    }
    const seen = new Set<string>();
    for (const pair of node.items) {
      const id = keyIdentity(pair.key);
      if (id !== undefined && seen.has(id)) {
        diagnostics.push({ severity: 'error', code: 'duplicate-key', message: 'Duplicate key: each front-matter key may appear only once', ...pos(pair.key as YamlNode, 1) });
      }
      if (id !== undefined) seen.add(id);
      stack.push([pair.value, depth + 1]);
    }
  }
  return true;
}
