// User price/model overrides: the VS Code setting `promptCacheLab.models` and the CLI flag
// `--prices <file.json>` share this format: { "<model id>": { input, write5m, write1h, read,
// output (USD per million tokens), minCacheableTokens, contextWindow, tokenizer, aliases,
// displayName } }. A known id (or alias) merges; a new id (or a known id without prices) must
// give all five prices, because a guessed price is worse than an error.
import { MAX_JSON_DEPTH, jsonTooDeepAt } from '../../shared/nesting';
import { MODEL_ROWS } from './data';
import type { PriceBand, TokenizerGeneration } from './types';

export interface ModelOverride {
  /** The id as written by the user (a canonical id, an alias, or a new id). */
  id: string;
  /** Where it came from, e.g. `setting promptCacheLab.models` or `--prices prices.json`. */
  sourceName: string;
  prices: Partial<PriceBand>;
  minCacheableTokens?: number;
  contextWindow?: number;
  tokenizer?: TokenizerGeneration;
  aliases?: string[];
  displayName?: string;
}

export const PRICE_FIELDS = ['input', 'write5m', 'write1h', 'read', 'output'] as const;
const INT_FIELDS = ['minCacheableTokens', 'contextWindow'] as const;
const TOKENIZERS: readonly TokenizerGeneration[] = ['claude-legacy', 'claude-2026'];
const ALL_FIELDS: readonly string[] = [...PRICE_FIELDS, ...INT_FIELDS, 'tokenizer', 'aliases', 'displayName'];

const priceProp = (what: string) => ({ type: 'number', minimum: 0, description: `${what}, USD per million tokens` });

/** JSON schema for `contributes.configuration` `promptCacheLab.models` (and the --prices file). */
export const modelsSettingSchema = {
  type: 'object',
  default: {},
  markdownDescription:
    'Add models or override prices, keyed by model id (USD per million tokens). A new id needs `input`, ' +
    '`write5m`, `write1h`, `read` and `output`; a known id merges. Example: ' +
    '`{"claude-mythos-5-2": {"input": 10, "write5m": 12.5, "write1h": 20, "read": 1, "output": 50}}`',
  additionalProperties: {
    type: 'object',
    additionalProperties: false,
    properties: {
      input: priceProp('Base input price'),
      write5m: priceProp('5-minute cache write price'),
      write1h: priceProp('1-hour cache write price'),
      read: priceProp('Cache read price'),
      output: priceProp('Output price'),
      minCacheableTokens: { type: 'integer', minimum: 0, description: 'Minimum cacheable prefix in tokens' },
      contextWindow: { type: 'integer', minimum: 1, description: 'Context window in tokens' },
      tokenizer: { type: 'string', enum: [...TOKENIZERS], description: 'Tokenizer generation' },
      aliases: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Other ids for this model' },
      displayName: { type: 'string', minLength: 1 },
    },
  },
} as const;

/** Built-in id or alias -> whether that model has prices. */
function builtInPriced(id: string): boolean | undefined {
  const row = MODEL_ROWS.find((r) => r.id === id || r.aliases.includes(id));
  return row ? row.prices !== null : undefined;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return typeof v === 'number' ? String(v) : `a ${typeof v}`;
}

/** 1,000x the dearest published price: room for any real model, nowhere near overflow. */
export const MAX_PRICE = 1_000_000;

type FieldResult = { error: string } | { apply: (o: ModelOverride) => void };

function parsePrice(name: (typeof PRICE_FIELDS)[number], v: unknown): FieldResult {
  if (typeof v !== 'number' || !Number.isFinite(v)) return { error: `must be a number (USD per million tokens), got ${describe(v)}` };
  if (v < 0) return { error: `must not be negative, got ${v}` };
  // Costs are exact integers scaled from the price; an absurd price (1e308) would overflow them.
  if (v > MAX_PRICE) return { error: `must be at most ${MAX_PRICE.toLocaleString('en-US')} USD per million tokens, got ${v}` };
  // Costs are computed in integer micro-dollars per MTok; finer prices would be silently rounded.
  if (Math.abs(v * 1e6 - Math.round(v * 1e6)) > 1e-6) return { error: `has more than 6 decimals (${v})` };
  return { apply: (o) => (o.prices[name] = v) };
}

function parseField(field: string, v: unknown): FieldResult {
  if ((PRICE_FIELDS as readonly string[]).includes(field)) return parsePrice(field as (typeof PRICE_FIELDS)[number], v);
  if (field === 'minCacheableTokens' || field === 'contextWindow') {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) return { error: `must be an integer number of tokens, got ${describe(v)}` };
    if (v < (field === 'contextWindow' ? 1 : 0)) return { error: `must be ${field === 'contextWindow' ? 'positive' : 'non-negative'}, got ${v}` };
    return { apply: (o) => (o[field] = v) };
  }
  if (field === 'tokenizer') {
    if (!TOKENIZERS.includes(v as TokenizerGeneration)) return { error: `must be one of ${TOKENIZERS.join(', ')}, got ${describe(v)}` };
    return { apply: (o) => (o.tokenizer = v as TokenizerGeneration) };
  }
  if (field === 'aliases') {
    if (!Array.isArray(v) || v.some((a) => typeof a !== 'string' || a === '')) return { error: `must be an array of non-empty strings, got ${describe(v)}` };
    return { apply: (o) => (o.aliases = [...(v as string[])]) };
  }
  if (field === 'displayName') {
    if (typeof v !== 'string' || v === '') return { error: `must be a non-empty string, got ${describe(v)}` };
    return { apply: (o) => (o.displayName = v) };
  }
  return { error: `is not a known field (allowed: ${ALL_FIELDS.join(', ')})` };
}

function parseEntry(id: string, value: unknown, sourceName: string): { override?: ModelOverride; errors: string[] } {
  const at = (msg: string) => `${sourceName}: model "${id}": ${msg}`;
  if (id.trim() === '') return { errors: [`${sourceName}: model ids must not be empty`] };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { errors: [at(`must be an object like {"input": 3, "write5m": 3.75, "write1h": 6, "read": 0.3, "output": 15}, got ${describe(value)}`)] };
  }
  const override: ModelOverride = { id, sourceName, prices: {} };
  const errors: string[] = [];
  for (const [field, v] of Object.entries(value)) {
    const r = parseField(field, v);
    if ('error' in r) errors.push(at(`field "${field}" ${r.error}`));
    else r.apply(override);
  }
  if (builtInPriced(id) !== true) {
    // Prices given but invalid are reported above; list only those not given at all.
    const missing = PRICE_FIELDS.filter((f) => !(f in value));
    const what = builtInPriced(id) === false ? 'is a known model without published prices' : 'is not a built-in model';
    if (missing.length) errors.push(at(`${what}, so it needs all five prices; missing: ${missing.join(', ')}`));
  }
  return errors.length ? { errors } : { override, errors };
}

/** Ids and aliases must stay unique across built-ins and every override. */
function aliasErrors(overrides: ModelOverride[]): { errors: string[]; bad: Set<string> } {
  const owner = new Map<string, string>();
  for (const r of MODEL_ROWS) for (const name of [r.id, ...r.aliases]) owner.set(name, r.id);
  const canonical = (id: string) => owner.get(id) ?? id;
  const errors: string[] = [];
  const bad = new Set<string>();
  for (const o of overrides) {
    if (!owner.has(o.id)) owner.set(o.id, o.id);
  }
  for (const o of overrides) {
    for (const a of o.aliases ?? []) {
      const prev = owner.get(a);
      if (prev !== undefined && prev !== canonical(o.id)) {
        errors.push(`${o.sourceName}: model "${o.id}": alias "${a}" already names model "${prev}"`);
        bad.add(o.id);
      } else owner.set(a, canonical(o.id));
    }
  }
  return { errors, bad };
}

/** Validates an overrides object; entries with any error are dropped and reported. */
export function parseModelOverrides(value: unknown, sourceName: string): { overrides: ModelOverride[]; errors: string[] } {
  if (value === undefined || value === null) return { overrides: [], errors: [] };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { overrides: [], errors: [`${sourceName}: must be an object keyed by model id, got ${describe(value)}`] };
  }
  const overrides: ModelOverride[] = [];
  const errors: string[] = [];
  for (const [id, entry] of Object.entries(value)) {
    const r = parseEntry(id, entry, sourceName);
    errors.push(...r.errors);
    if (r.override) overrides.push(r.override);
  }
  const conflicts = aliasErrors(overrides);
  return { overrides: overrides.filter((o) => !conflicts.bad.has(o.id)), errors: [...errors, ...conflicts.errors] };
}

export class PricesFileError extends Error {}

/** `line L, column C` for a JSON.parse error that reports `position N`. */
function jsonErrorMessage(text: string, err: Error): string {
  const m = /position (\d+)/.exec(err.message);
  if (!m) return err.message;
  const pos = Number(m[1]);
  const before = text.slice(0, pos).split('\n');
  return `${err.message} (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})`;
}

/** Parses the text of a --prices file (read by the caller); any problem (bad JSON, any invalid entry) throws. */
export function parsePricesText(text: string, path: string): ModelOverride[] {
  const deep = jsonTooDeepAt(text);
  if (deep >= 0) throw new PricesFileError(`prices file ${path}: nested more than ${MAX_JSON_DEPTH} levels deep (at position ${deep})`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PricesFileError(`prices file ${path}: invalid JSON: ${jsonErrorMessage(text, err as Error)}`);
  }
  const { overrides, errors } = parseModelOverrides(json, `prices file ${path}`);
  if (errors.length) throw new PricesFileError(errors.join('\n'));
  return overrides;
}
