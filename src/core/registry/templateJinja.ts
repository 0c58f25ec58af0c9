// Jinja2 semantics through nunjucks. Nunjucks is not a sandbox (`range.constructor(...)` reaches
// Function), so the parsed tree is checked before rendering: no dotted or bracketed access to
// prototype names, no computed keys (they could spell one), no include/import/extends (there is
// no loader), and `range` is bounded across the whole render. Autoescape is off: prompts are text.
import type * as Nunjucks from 'nunjucks';
import { FORBIDDEN_NAMES, MAX_LOOP_ITEMS, type RenderResult, type TemplateSource, type TemplateVariable } from './template';
import type { Diagnostic } from './types';

interface NjNode {
  typename: string;
  fields?: string[];
  value?: unknown;
  lineno: number;
  colno: number;
  [field: string]: unknown;
}

let loaded: { nunjucks: typeof Nunjucks; parse(src: string): NjNode; filters: Record<string, unknown> } | undefined;

/** Lazy: nunjucks (≈12 ms to load) is needed only once a template prompt is parsed, never at activation. */
function nj(): NonNullable<typeof loaded> {
  if (!loaded) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nunjucks = require('nunjucks') as typeof Nunjucks;
    const parser = (nunjucks as unknown as { parser: { parse(src: string): NjNode } }).parser;
    const filters = (new nunjucks.Environment(null) as unknown as { filters: Record<string, unknown> }).filters;
    loaded = { nunjucks, parse: (src) => parser.parse(src), filters };
  }
  return loaded;
}
const LOADING = new Set(['Include', 'Import', 'FromImport', 'Extends']);

function children(node: NjNode): NjNode[] {
  const out: NjNode[] = [];
  for (const f of node.fields ?? []) {
    const c = node[f];
    if (Array.isArray(c)) out.push(...(c as NjNode[]).filter((x) => x && typeof x === 'object'));
    else if (c && typeof c === 'object') out.push(c as NjNode);
  }
  return out;
}

interface Scan {
  src: TemplateSource;
  reads: TemplateVariable[];
  bound: Set<string>;
  bad: Diagnostic[];
}

function at(scan: Scan, node: NjNode, len: number): { line: number; column: number; endColumn: number } {
  // nunjucks counts lines and columns from 0 inside the template text.
  const column = node.colno + 1;
  return { line: scan.src.startLine + node.lineno, column, endColumn: column + len };
}

function refuse(scan: Scan, node: NjNode, message: string): void {
  scan.bad.push({ severity: 'error', code: 'template-error', ...at(scan, node, 1), message });
}

function visit(node: NjNode, scan: Scan): void {
  if (LOADING.has(node.typename)) return refuse(scan, node, `{% ${node.typename.toLowerCase()} %} is not supported: a prompt template cannot load other files.`);
  if (node.typename === 'Symbol' && typeof node.value === 'string') {
    if (FORBIDDEN_NAMES.has(node.value)) refuse(scan, node, `'${node.value}' is not allowed in a template: it reaches into JavaScript internals.`);
    scan.reads.push({ name: node.value, ...at(scan, node, node.value.length) });
  }
  if (node.typename === 'LookupVal') checkLookup(node, scan);
  if (node.typename === 'Filter') checkFilter(node, scan);
  bindNames(node, scan);
  for (const c of children(node)) {
    // A filter's name is a Symbol too, but it names a filter, not a variable.
    if (node.typename === 'Filter' && c === node.name) continue;
    visit(c, scan);
  }
}

function checkLookup(node: NjNode, scan: Scan): void {
  const key = node.val as NjNode | undefined;
  if (!key || key.typename !== 'Literal') return refuse(scan, node, 'Computed keys (x[expression]) are not supported in prompt templates; write x.name or x["name"].');
  if (FORBIDDEN_NAMES.has(String(key.value))) refuse(scan, key, `'${String(key.value)}' is not allowed in a template: it reaches into JavaScript internals.`);
}

/** An unknown filter is only found when rendering, without a line: find it here, on its line. */
function checkFilter(node: NjNode, scan: Scan): void {
  const name = String((node.name as NjNode | undefined)?.value ?? '');
  if (!(name in nj().filters)) scan.bad.push({ severity: 'error', code: 'template-error', ...at(scan, node, name.length), message: `Unknown filter '${name}': the template does not render.` });
}

/** Names a template defines itself (loop targets, set, macro arguments) are not inputs. */
function bindNames(node: NjNode, scan: Scan): void {
  const targets: unknown[] = [];
  if (node.typename === 'For' || node.typename === 'Macro') targets.push(node.name, node.args);
  if (node.typename === 'Set') targets.push(node.targets);
  const add = (t: unknown): void => {
    if (Array.isArray(t)) return t.forEach(add);
    const n = t as NjNode | undefined;
    if (!n || typeof n !== 'object') return;
    if (n.typename === 'Symbol') scan.bound.add(String(n.value));
    else children(n).forEach(add);
  };
  targets.forEach(add);
}

/** Parse errors carry 1-based lineno/colno inside the template; render errors only a message. */
function errorAt(src: TemplateSource, err: Error & { lineno?: number; colno?: number }): Diagnostic {
  const what = err.message.replace(/^\(unknown path\)\s*(\[Line \d+, Column \d+\])?\s*/, '').replace(/^Error:\s*/, '').replace(/\s+/g, ' ').trim();
  const pos = typeof err.lineno === 'number' ? { line: src.startLine + err.lineno - 1, column: Math.max(1, err.colno ?? 1) } : { line: src.startLine, column: 1 };
  const why = err instanceof RangeError ? 'it recurses too deeply' : what;
  return { severity: 'error', code: 'template-error', ...pos, message: `The Jinja2 template does not render: ${why}.` };
}

function boundedEnv(): Nunjucks.Environment {
  const env = new (nj().nunjucks.Environment)(null, { autoescape: false, throwOnUndefined: false });
  let budget = MAX_LOOP_ITEMS;
  env.addGlobal('range', (start: number, stop?: number, step = 1) => {
    const [from, to] = stop === undefined ? [0, start] : [start, stop];
    const n = step === 0 ? 0 : Math.max(0, Math.ceil((to - from) / step));
    if (!Number.isFinite(n) || n > budget) throw new Error(`range() would produce more than ${MAX_LOOP_ITEMS.toLocaleString('en-US')} items in this template`);
    budget -= n;
    return Array.from({ length: n }, (_, i) => from + i * step);
  });
  return env;
}

export function renderJinja(src: TemplateSource, inputs: Record<string, unknown>): RenderResult {
  let root: NjNode;
  try {
    root = nj().parse(src.text);
  } catch (err) {
    return { variables: [], diagnostics: [errorAt(src, err as Error)] };
  }
  const scan: Scan = { src, reads: [], bound: new Set(['loop', 'range', 'cycler', 'joiner', 'caller', 'true', 'false', 'none']), bad: [] };
  visit(root, scan);
  const variables = scan.reads.filter((v) => !scan.bound.has(v.name));
  if (scan.bad.length) return { variables, diagnostics: scan.bad };
  try {
    return { text: boundedEnv().renderString(src.text, inputs), variables, diagnostics: [] };
  } catch (err) {
    return { variables, diagnostics: [errorAt(src, err as Error)] };
  }
}
