// Checks a tool call's input against the fields a built-in tool declares. The model writes these
// inputs, so anything may arrive: each problem becomes one clear sentence for an isError result.

export type FieldType = 'string' | 'integer' | 'boolean';

export interface FieldSpec {
  type: FieldType;
  required?: boolean;
  /** Smallest allowed integer. */
  min?: number;
  /** Longest allowed string. */
  maxLength?: number;
}

export type Args = Record<string, string | number | boolean | undefined>;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return typeof v === 'number' || typeof v === 'boolean' ? `${typeof v} ${String(v)}` : `a ${typeof v}`;
}

function fieldError(name: string, spec: FieldSpec, v: unknown): string | undefined {
  if (spec.type === 'string') {
    if (typeof v !== 'string') return `${name} must be a string, got ${describe(v)}`;
    if (spec.maxLength !== undefined && v.length > spec.maxLength) return `${name} is longer than ${spec.maxLength} characters`;
    return undefined;
  }
  if (spec.type === 'boolean') return typeof v === 'boolean' ? undefined : `${name} must be true or false, got ${describe(v)}`;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) return `${name} must be a whole number, got ${describe(v)}`;
  if (spec.min !== undefined && v < spec.min) return `${name} must be at least ${spec.min}, got ${v}`;
  return undefined;
}

/** The validated arguments, or the first problem as a sentence naming the tool and the field. */
export function checkArgs(tool: string, input: unknown, fields: Record<string, FieldSpec>): Args | { error: string } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { error: `${tool}: the input must be an object with ${Object.keys(fields).join(', ')}, got ${describe(input)}` };
  }
  const given = input as Record<string, unknown>;
  const unknown = Object.keys(given).filter((k) => !Object.hasOwn(fields, k));
  if (unknown.length) return { error: `${tool}: unknown field ${unknown.join(', ')}; the fields are ${Object.keys(fields).join(', ')}` };
  const args: Args = {};
  for (const [name, spec] of Object.entries(fields)) {
    const v = given[name];
    if (v === undefined || v === null) {
      if (spec.required) return { error: `${tool}: ${name} is required` };
      continue;
    }
    const e = fieldError(name, spec, v);
    if (e) return { error: `${tool}: ${e}` };
    args[name] = v as string | number | boolean;
  }
  return args;
}

/** JSON-schema properties for the same fields, for the tool definition. */
export function schemaOf(fields: Record<string, FieldSpec & { description: string }>): {
  type: 'object';
  properties: Record<string, unknown>;
  required: string[];
  additionalProperties: false;
} {
  const properties: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(fields)) {
    properties[name] = {
      type: f.type,
      description: f.description,
      ...(f.min !== undefined ? { minimum: f.min } : {}),
      ...(f.maxLength !== undefined ? { maxLength: f.maxLength } : {}),
    };
  }
  return { type: 'object', properties, required: Object.keys(fields).filter((n) => fields[n]?.required), additionalProperties: false };
}
