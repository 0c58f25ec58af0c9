// Splits a prompt file into YAML front matter and body, and parses the YAML with positions so
// every diagnostic lands on the line that causes it.
import { LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { checkBeforeParse, checkTree, MAX_FRONT_MATTER_DEPTH } from './limits';
import type { Diagnostic } from './types';

export interface Split {
  /** The YAML text between the fences ('' when the file has no front matter). */
  yaml: string;
  /** 1-based file line of the first YAML line. */
  yamlStartLine: number;
  hasFrontMatter: boolean;
  /** 1-based line of the closing fence (or 0). */
  closeLine: number;
  body: string;
  /** 1-based file line where `body` starts. */
  bodyStartLine: number;
}

const FENCE = /^---[ \t]*$/;
const CLOSE = /^(---|\.\.\.)[ \t]*$/;

export function splitFrontMatter(text: string): Split | Diagnostic {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (!FENCE.test(lines[0] ?? '')) {
    return { yaml: '', yamlStartLine: 1, hasFrontMatter: false, closeLine: 0, body: lines.join('\n'), bodyStartLine: 1 };
  }
  const close = lines.findIndex((l, i) => i > 0 && CLOSE.test(l));
  if (close < 0) {
    return { severity: 'error', code: 'front-matter-unclosed', line: 1, column: 1, endColumn: 4, message: "Front matter opened with '---' on line 1 is never closed: add a line with '---' after the last key." };
  }
  return {
    yaml: lines.slice(1, close).join('\n'),
    yamlStartLine: 2,
    hasFrontMatter: true,
    closeLine: close + 1,
    body: lines.slice(close + 1).join('\n'),
    bodyStartLine: close + 2,
  };
}

/** A parsed YAML document plus a way to turn any node into a file line/column. */
export interface Yaml {
  doc: Document.Parsed;
  /** Where a node starts; endColumn too when the node ends on the line it starts on (what an editor underlines). */
  pos(node: YamlNode | null | undefined, fallbackLine: number): Pos;
}

export interface Pos {
  line: number;
  column: number;
  endColumn?: number;
}

/** The parsed document, or undefined after a diagnostic on line 1 when a bound is exceeded. */
function parseBounded(yaml: string, lc: LineCounter, diagnostics: Diagnostic[]): Document.Parsed | undefined {
  const tooBig = checkBeforeParse(yaml);
  if (tooBig) return void diagnostics.push(tooBig);
  const tooDeep: Diagnostic = { severity: 'error', code: 'yaml-limit', line: 1, column: 1, message: `Front matter nests too deeply to read; the limit is ${MAX_FRONT_MATTER_DEPTH} levels.` };
  let doc: Document.Parsed;
  try {
    // uniqueKeys off: the library's check is quadratic in the keys of a mapping; checkTree
    // finds duplicates in linear time instead.
    doc = parseDocument(yaml, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  } catch (err) {
    // A nesting the written-depth check did not foresee can still overflow the recursive parser.
    if (err instanceof RangeError) return void diagnostics.push(tooDeep);
    throw err;
  }
  return doc.errors.some((e) => /call stack/i.test(e.message)) ? void diagnostics.push(tooDeep) : doc;
}

export function parseYaml(split: Split, diagnostics: Diagnostic[]): Yaml | undefined {
  const lc = new LineCounter();
  const doc = parseBounded(split.yaml, lc, diagnostics);
  if (!doc) return undefined;
  const offset = split.yamlStartLine - 1;
  const pos = (node: YamlNode | null | undefined, fallbackLine: number): Pos => {
    if (!node?.range) return { line: fallbackLine, column: 1 };
    const p = lc.linePos(node.range[0]);
    const end = lc.linePos(node.range[1]);
    const out: Pos = { line: p.line + offset, column: p.col };
    if (end.line === p.line && end.col > p.col) out.endColumn = end.col;
    return out;
  };
  const errors = [...doc.errors, ...doc.warnings];
  for (const e of errors) {
    const p = lc.linePos(e.pos[0]);
    const what = e.code === 'DUPLICATE_KEY' ? 'Duplicate key: each front-matter key may appear only once' : `Invalid YAML: ${e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`;
    const code = e.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax';
    diagnostics.push({ severity: doc.errors.includes(e as never) ? 'error' : 'warning', code, message: what, line: p.line + offset, column: p.col });
  }
  if (doc.errors.length > 0) return undefined;
  // Duplicate keys still leave a usable tree: keep validating so every other mistake shows too.
  return checkTree(doc.contents as YamlNode | null, pos, diagnostics) ? { doc, pos } : undefined;
}
