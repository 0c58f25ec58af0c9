// Mustache rendering. Mustache is logic-less: the only code it can call is a function in the
// view, and views here come from YAML/JSON (no functions). Names that walk prototypes are refused
// before rendering; HTML escaping is off (a prompt is not HTML); partials are never loaded.
import type MustacheType from 'mustache';
import { FORBIDDEN_NAMES, positionIn, type RenderResult, type TemplateSource, type TemplateVariable } from './template';
import type { Diagnostic } from './types';

let mustache: typeof MustacheType | undefined;

/** Lazy, like nunjucks: loaded on the first Mustache template. */
function m(): typeof MustacheType {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  mustache ??= require('mustache') as typeof MustacheType;
  return mustache;
}

type Token = [string, string, number, number, Token[]?];

const VALUE_TOKENS = new Set(['name', '&', '{', '#', '^']);

function collect(tokens: Token[], src: TemplateSource, out: TemplateVariable[], bad: Diagnostic[]): void {
  for (const t of tokens) {
    const [type, name, start, end] = t;
    if (type === '>') bad.push(mustacheError(src, start, end, `Mustache partials ({{> ${name}}}) are not supported: there is nothing to load them from.`));
    if (VALUE_TOKENS.has(type) && name !== '.') {
      if (name.split('.').some((p) => FORBIDDEN_NAMES.has(p))) bad.push(mustacheError(src, start, end, `'${name}' is not allowed in a template: it reaches into JavaScript internals.`));
      const p = positionIn(src, start);
      out.push({ name: name.split('.')[0] as string, ...p, endColumn: p.column + (end - start) });
    }
    if (t[4]) collect(t[4], src, out, bad);
  }
}

function mustacheError(src: TemplateSource, start: number, end: number, message: string): Diagnostic {
  const p = positionIn(src, start);
  return { severity: 'error', code: 'template-error', ...p, endColumn: p.column + (end - start), message };
}

/** mustache.js errors say "Unclosed tag at 12" or "Unopened section "x" at 40". */
function errorAt(src: TemplateSource, err: Error): Diagnostic {
  // An unclosed section is reported at the end of the text; its opening tag is the useful place.
  const section = /^Unclosed section "([^"]*)"/.exec(err.message);
  const open = section ? src.text.search(new RegExp(`\\{\\{\\s*[#^]\\s*${section[1]?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\}\\}`)) : -1;
  const at = /at (\d+)\s*$/.exec(err.message);
  const p = open >= 0 ? positionIn(src, open) : at ? positionIn(src, Number(at[1])) : { line: src.startLine, column: 1 };
  return { severity: 'error', code: 'template-error', ...p, message: `The Mustache template does not render: ${err.message}.` };
}

export function renderMustache(src: TemplateSource, inputs: Record<string, unknown>): RenderResult {
  let tokens: Token[];
  try {
    tokens = m().parse(src.text) as Token[];
  } catch (err) {
    return { variables: [], diagnostics: [errorAt(src, err as Error)] };
  }
  const variables: TemplateVariable[] = [];
  const bad: Diagnostic[] = [];
  collect(tokens, src, variables, bad);
  if (bad.length) return { variables, diagnostics: bad };
  try {
    const text = m().render(src.text, inputs, {}, { escape: (s: unknown) => String(s) });
    return { text, variables, diagnostics: [] };
  } catch (err) {
    return { variables, diagnostics: [errorAt(src, err as Error)] };
  }
}
