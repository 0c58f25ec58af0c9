// Splits a prompt file into YAML front matter and body, and parses the YAML with positions so
// every diagnostic lands on the line that causes it.
import { LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { checkBeforeParse, checkTree } from './limits';
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
    return { severity: 'error', line: 1, column: 1, message: "Front matter opened with '---' on line 1 is never closed: add a line with '---' after the last key." };
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
  pos(node: YamlNode | null | undefined, fallbackLine: number): { line: number; column: number };
}

export function parseYaml(split: Split, diagnostics: Diagnostic[]): Yaml | undefined {
  const tooBig = checkBeforeParse(split.yaml);
  if (tooBig) {
    diagnostics.push(tooBig);
    return undefined;
  }
  const lc = new LineCounter();
  // uniqueKeys off: the library's check is quadratic in the keys of a mapping; checkTree finds
  // duplicates in linear time instead.
  const doc = parseDocument(split.yaml, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  const offset = split.yamlStartLine - 1;
  const pos = (node: YamlNode | null | undefined, fallbackLine: number) => {
    if (!node?.range) return { line: fallbackLine, column: 1 };
    const p = lc.linePos(node.range[0]);
    return { line: p.line + offset, column: p.col };
  };
  const errors = [...doc.errors, ...doc.warnings];
  for (const e of errors) {
    const p = lc.linePos(e.pos[0]);
    const what = e.code === 'DUPLICATE_KEY' ? 'Duplicate key: each front-matter key may appear only once' : `Invalid YAML: ${e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`;
    diagnostics.push({ severity: doc.errors.includes(e as never) ? 'error' : 'warning', message: what, line: p.line + offset, column: p.col });
  }
  if (doc.errors.length > 0) return undefined;
  // Duplicate keys still leave a usable tree: keep validating so every other mistake shows too.
  return checkTree(doc.contents as YamlNode | null, pos, diagnostics) ? { doc, pos } : undefined;
}
