// Renders a prompt body as a template (Prompty's Jinja2 default, or Mustache), so what is counted
// and sent is what the runtime would send. Only template semantics run: no file loaders, no
// includes, no prototype walks; output and loops are bounded (see templateJinja / templateMustache).
import { renderJinja } from './templateJinja';
import { renderMustache } from './templateMustache';
import type { Diagnostic } from './types';

export type TemplateEngine = 'jinja2' | 'mustache';

export type TemplateInputs = Record<string, unknown>;

/** A variable the template reads, where it is written (1-based, in the prompt file). */
export interface TemplateVariable {
  name: string;
  line: number;
  column: number;
  endColumn: number;
}

export interface RenderResult {
  /** Undefined when the template does not render (then `diagnostics` holds a template-error). */
  text?: string;
  variables: TemplateVariable[];
  diagnostics: Diagnostic[];
}

/** A rendered prompt larger than this is refused: it is certainly a runaway loop, not a prompt. */
export const MAX_RENDERED_CHARS = 2 * 1024 * 1024;
/** The most items all `range()` calls of one render may produce together (nested loops multiply). */
export const MAX_LOOP_ITEMS = 100_000;

/** Where the template text sits in the file, so positions inside it map to file lines. */
export interface TemplateSource {
  text: string;
  startLine: number;
}

export function renderTemplate(engine: TemplateEngine, src: TemplateSource, inputs: TemplateInputs): RenderResult {
  const r = engine === 'mustache' ? renderMustache(src, inputs) : renderJinja(src, inputs);
  if (r.text !== undefined && r.text.length > MAX_RENDERED_CHARS) {
    const diag: Diagnostic = { severity: 'error', code: 'template-error', line: src.startLine, column: 1, message: `The template renders to more than ${MAX_RENDERED_CHARS.toLocaleString('en-US')} characters; it is not sent. Check its loops.` };
    return { variables: r.variables, diagnostics: [...r.diagnostics, diag] };
  }
  return r;
}

/** 1-based file position of offset `at` in `src.text`. */
export function positionIn(src: TemplateSource, at: number): { line: number; column: number } {
  const before = src.text.slice(0, at);
  const nl = before.lastIndexOf('\n');
  return { line: src.startLine + before.split('\n').length - 1, column: at - nl };
}

/** Property names that lead from data to code (Function via constructor); never looked up. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['constructor', '__proto__', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

/** Template variables that no input gives a value to (they render empty). */
export function unsetVariables(vars: TemplateVariable[], inputs: TemplateInputs): TemplateVariable[] {
  const seen = new Set<string>();
  return vars.filter((v) => {
    if (Object.prototype.hasOwnProperty.call(inputs, v.name) || seen.has(v.name)) return false;
    seen.add(v.name);
    return true;
  });
}
