// Validates Anthropic `usage` JSON (spec §4.1). Null or absent cache counters mean 0; the
// `cache_creation` split stays null when absent, because costOf must tell "no split" apart.
import type { CacheCreation, CacheTtl, Usage } from '../../shared/anthropic';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const SERVICE_TIERS = ['standard', 'priority', 'batch'] as const;
const SPEEDS = ['standard', 'fast'] as const;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return typeof v === 'number' ? String(v) : `a ${typeof v}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A token count: a non-negative integer; `optional` turns null/absent into 0. */
function count(obj: Record<string, unknown>, field: string, path: string, optional: boolean): number {
  const v = obj[field];
  if (v === undefined || v === null) {
    if (optional) return 0;
    throw new UsageError(`usage.${path}${field} is required (a non-negative integer token count)`);
  }
  if (typeof v !== 'number' || Number.isNaN(v)) throw new UsageError(`usage.${path}${field} must be a number, got ${describe(v)}`);
  if (!Number.isFinite(v) || !Number.isInteger(v)) throw new UsageError(`usage.${path}${field} must be a whole number of tokens, got ${v}`);
  if (v < 0) throw new UsageError(`usage.${path}${field} must not be negative, got ${v}`);
  if (!Number.isSafeInteger(v)) throw new UsageError(`usage.${path}${field} is too large to count exactly, got ${v}`);
  return v;
}

function objectOrNull(obj: Record<string, unknown>, field: string): Record<string, unknown> | null {
  const v = obj[field];
  if (v === undefined || v === null) return null;
  if (!isObject(v)) throw new UsageError(`usage.${field} must be an object or null, got ${describe(v)}`);
  return v;
}

function oneOf<T extends string>(obj: Record<string, unknown>, field: string, allowed: readonly T[]): T | null {
  const v = obj[field];
  if (v === undefined || v === null) return null;
  if (!allowed.includes(v as T)) throw new UsageError(`usage.${field} must be one of ${allowed.join(', ')} or null, got ${describe(v)}`);
  return v as T;
}

function parseCacheCreation(obj: Record<string, unknown>): CacheCreation | null {
  const cc = objectOrNull(obj, 'cache_creation');
  if (!cc) return null;
  return {
    ephemeral_5m_input_tokens: count(cc, 'ephemeral_5m_input_tokens', 'cache_creation.', true),
    ephemeral_1h_input_tokens: count(cc, 'ephemeral_1h_input_tokens', 'cache_creation.', true),
  };
}

/**
 * Accepts a usage object, or a whole Message (`{"type": "message", "usage": {...}}`). Unknown
 * fields are ignored (Anthropic adds fields); known ones must have the documented types.
 */
export function parseUsage(value: unknown): Usage {
  if (isObject(value) && value.type === 'message' && isObject(value.usage)) return parseUsage(value.usage);
  if (!isObject(value)) throw new UsageError(`usage must be a JSON object like {"input_tokens": 10, "output_tokens": 5}, got ${describe(value)}`);
  const usage: Usage = {
    input_tokens: count(value, 'input_tokens', '', false),
    output_tokens: count(value, 'output_tokens', '', false),
    cache_creation_input_tokens: count(value, 'cache_creation_input_tokens', '', true),
    cache_read_input_tokens: count(value, 'cache_read_input_tokens', '', true),
    cache_creation: parseCacheCreation(value),
    service_tier: oneOf(value, 'service_tier', SERVICE_TIERS),
    speed: oneOf(value, 'speed', SPEEDS),
  };
  const geo = value.inference_geo;
  if (geo !== undefined && geo !== null && typeof geo !== 'string') throw new UsageError(`usage.inference_geo must be a string or null, got ${describe(geo)}`);
  usage.inference_geo = geo ?? null;
  const stu = objectOrNull(value, 'server_tool_use');
  usage.server_tool_use = stu
    ? {
        web_search_requests: count(stu, 'web_search_requests', 'server_tool_use.', true),
        web_fetch_requests: count(stu, 'web_fetch_requests', 'server_tool_use.', true),
      }
    : null;
  const otd = objectOrNull(value, 'output_tokens_details');
  usage.output_tokens_details = otd ? { thinking_tokens: count(otd, 'thinking_tokens', 'output_tokens_details.', true) } : null;
  return usage;
}

/**
 * Tokens written to the cache: max(cache_creation_input_tokens, 5m + 1h), nulls as 0 (spec §4.1:
 * some responses report writes only in the split, some only in the total).
 */
export function cacheWriteTokens(u: Pick<Usage, 'cache_creation_input_tokens' | 'cache_creation'> | undefined): number {
  return Math.max(u?.cache_creation_input_tokens ?? 0, (u?.cache_creation?.ephemeral_5m_input_tokens ?? 0) + (u?.cache_creation?.ephemeral_1h_input_tokens ?? 0));
}

/** Usage per bucket as the panel shows it; writes without a 5m/1h split count at `unsplitTtl`, as the cost does. */
export function usageBuckets(
  u: Pick<Usage, 'input_tokens' | 'cache_creation' | 'cache_read_input_tokens' | 'cache_creation_input_tokens'> & { output_tokens?: number },
  unsplitTtl: CacheTtl = '5m',
): { input: number; cacheWrite5m: number; cacheWrite1h: number; cacheRead: number; output: number } {
  const w5 = u.cache_creation?.ephemeral_5m_input_tokens ?? 0;
  const w1 = u.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  const unsplit = cacheWriteTokens(u) - w5 - w1;
  return {
    input: u.input_tokens,
    cacheWrite5m: w5 + (unsplitTtl === '5m' ? unsplit : 0),
    cacheWrite1h: w1 + (unsplitTtl === '1h' ? unsplit : 0),
    cacheRead: u.cache_read_input_tokens ?? 0,
    output: u.output_tokens ?? 0,
  };
}
