// A small declarative validator for request bodies, so every field is checked the same way and
// answers in the API's (pydantic) wording: `messages.0.content.1.image.source.base64.media_type:
// Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`. One mechanism for
// every field instead of a hand-written special case per field.

/** The message for the first problem found at `path` (or below it), or null when valid. */
export type Check = (value: unknown, path: string) => string | null;

export interface Field {
  check: Check;
  required?: boolean;
}

export const at = (path: string, message: string): string => (path ? `${path}: ${message}` : message);
const join = (path: string, key: string | number): string => (path ? `${path}.${key}` : String(key));
const quote = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : String(v));

function listWords(values: readonly unknown[]): string {
  const q = values.map(quote);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Any JSON value; depth and size are bounded before validation (see limits.ts). */
export const anything: Check = () => null;

export function str(opts: { min?: number; max?: number; pattern?: RegExp } = {}): Check {
  return (v, path) => {
    if (typeof v !== 'string') return at(path, 'Input should be a valid string');
    if (opts.min !== undefined && v.length < opts.min) return at(path, `String should have at least ${opts.min} character${opts.min === 1 ? '' : 's'}`);
    if (opts.max !== undefined && v.length > opts.max) return at(path, `String should have at most ${opts.max} characters`);
    if (opts.pattern && !opts.pattern.test(v)) return at(path, `String should match pattern '${opts.pattern.source}'`);
    return null;
  };
}

function bounded(v: number, path: string, min: number, max: number): string | null {
  if (v < min) return at(path, `Input should be greater than or equal to ${min}`);
  if (v > max) return at(path, `Input should be less than or equal to ${max}`);
  return null;
}

export function int(min: number, max: number): Check {
  return (v, path) => (typeof v !== 'number' || !Number.isInteger(v) ? at(path, 'Input should be a valid integer') : bounded(v, path, min, max));
}

export function num(min: number, max: number): Check {
  return (v, path) => (typeof v !== 'number' || !Number.isFinite(v) ? at(path, 'Input should be a valid number') : bounded(v, path, min, max));
}

export const bool: Check = (v, path) => (typeof v === 'boolean' ? null : at(path, 'Input should be a valid boolean'));

export function oneOf(...values: readonly (string | number | boolean)[]): Check {
  return (v, path) => (values.includes(v as string) ? null : at(path, `Input should be ${listWords(values)}`));
}

export function nullable(check: Check): Check {
  return (v, path) => (v === null ? null : check(v, path));
}

export function list(item: Check, opts: { min?: number; max?: number } = {}): Check {
  return (v, path) => {
    if (!Array.isArray(v)) return at(path, 'Input should be a valid list');
    if (opts.min !== undefined && v.length < opts.min) return at(path, `List should have at least ${opts.min} item${opts.min === 1 ? '' : 's'} after validation, not ${v.length}`);
    if (opts.max !== undefined && v.length > opts.max) return at(path, `List should have at most ${opts.max} items after validation, not ${v.length}`);
    for (let i = 0; i < v.length; i++) {
      const problem = item(v[i], join(path, i));
      if (problem) return problem;
    }
    return null;
  };
}

/** A string, or a list checked by `asList` (content, system, tool_result content). */
export function textOr(asList: Check): Check {
  return (v, path) => (typeof v === 'string' ? null : Array.isArray(v) ? asList(v, path) : at(path, 'Input should be a valid string or a valid list'));
}

/**
 * An object with known fields. Unknown fields are allowed unless `forbidExtra`: the emulator must
 * not turn away a field a newer client sends that the API accepts; it forbids them only where the
 * API's shape is closed and small (cache_control, image sources).
 */
export function obj(fields: Record<string, Check | Field>, opts: { forbidExtra?: boolean } = {}): Check {
  const entries = Object.entries(fields).map(([k, f]) => [k, typeof f === 'function' ? { check: f } : f] as const);
  return (v, path) => {
    if (!isRecord(v)) return at(path, 'Input should be a valid dictionary');
    for (const [k, f] of entries) {
      const value = v[k];
      if (value === undefined) {
        if (f.required) return at(join(path, k), 'Field required');
        continue;
      }
      const problem = f.check(value, join(path, k));
      if (problem) return problem;
    }
    if (opts.forbidExtra) {
      for (const k of Object.keys(v)) if (!(k in fields)) return at(join(path, k), 'Extra inputs are not permitted');
    }
    return null;
  };
}

export const required = (check: Check): Field => ({ check, required: true });

/** A union told apart by `type`; the tag joins the path, as the API's error locations show. */
export function tagged(variants: Record<string, Check>): Check {
  const tags = Object.keys(variants);
  return (v, path) => {
    if (!isRecord(v)) return at(path, 'Input should be a valid dictionary');
    const tag = v.type;
    if (tag === undefined) return at(join(path, 'type'), 'Field required');
    const check = typeof tag === 'string' && Object.hasOwn(variants, tag) ? variants[tag] : undefined;
    if (!check || typeof tag !== 'string') return at(path, `Input tag ${JSON.stringify(tag).slice(0, 80)} found using 'type' does not match any of the expected tags: ${tags.map(quote).join(', ')}`);
    return check(v, join(path, tag));
  };
}

/** Runs `check`, then `rule` on a value that passed it. */
export function refine(check: Check, rule: Check): Check {
  return (v, path) => check(v, path) ?? rule(v, path);
}

export function pick<T>(all: Record<string, T>, keys: readonly string[]): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of keys) if (all[k] !== undefined) out[k] = all[k] as T;
  return out;
}
