// Local token estimates for Claude: raw o200k_base counts scaled by a per-tokenizer-generation
// factor. Anthropic publishes no offline tokenizer for Claude 3+ (spec §5.2), so every number
// produced here is an ESTIMATE and callers must label it as one; billing uses `usage`.
import type { ContentBlock, ToolDefinition } from '../../shared/anthropic';
import type { TokenizerGeneration } from '../models/types';
import type { TokenCounter } from '../request/blocks';
import { stableStringify } from '../request/canonical';
import { countO200k } from './count';
import { Lru } from './lru';

/**
 * Default factors, Claude tokens per o200k_base token. All sources are third-party (spec §5.2,
 * §11 item 8); the factors are rough and the `Calibration` class below refines them from exact
 * counts (count_tokens results or real `usage`).
 */
export const DEFAULT_FACTORS: Readonly<Record<TokenizerGeneration, number>> = {
  // Claude 3.5 tokenizer vs GPT-4o's o200k_base (VentureBeat, May 2025, spec §5.2): Claude uses
  // +16% tokens on English articles, +21% on math, +30% on Python code. Nothing suggests the
  // tokenizer changed before Claude 4.7, so it stands for every model up to Opus/Sonnet 4.6.
  // 1.2 is the middle of that 1.16..1.30 range (prompts mix prose, code and JSON); headroom
  // PR #2543 puts o200k "within ~10-20%" of Claude, consistent with it.
  'claude-legacy': 1.2,
  // Claude 4.7 and later "use a newer tokenizer ... approximately 30% more tokens for the same
  // text" (DOC-PRICE, spec §3.2). Measured 4.7/4.6 ratios: 1.325x on real Claude Code content
  // (pithwire), 1.13x-1.47x by content type (sol.ava.dev). 1.2 x 1.3 = 1.56.
  'claude-2026': 1.56,
};

/** A calibrated factor never leaves this range, whatever a (possibly wrong) observation says. */
export const MIN_FACTOR = 0.8;
export const MAX_FACTOR = 2.5;

/** Images are priced by pixel size, not text; one fixed figure for every walker. */
export const IMAGE_TOKENS = 1600;

export function calibrationFactor(generation: TokenizerGeneration, calibration?: Calibration): number {
  return calibration ? calibration.factor(generation) : DEFAULT_FACTORS[generation];
}

/** Scales a raw o200k count; always a non-negative integer, 0 only for 0. */
export function scaleTokens(rawO200k: number, factor: number): number {
  if (!(rawO200k > 0)) return 0;
  return Math.max(1, Math.round(rawO200k * factor));
}

/** Estimated Claude tokens of `text` for a tokenizer generation (an integer estimate). */
export function estimateTokens(text: string, generation: TokenizerGeneration, calibration?: Calibration): number {
  return scaleTokens(countO200k(text), calibrationFactor(generation, calibration));
}

function withoutCacheControl(b: Record<string, unknown>): Record<string, unknown> {
  const { cache_control: _cc, ...rest } = b;
  return rest;
}

/** The text that stands for a block when it is tokenized (every block walker uses it). */
export function blockText(block: ContentBlock | ToolDefinition): string {
  const b = block as unknown as Record<string, unknown>;
  switch (b.type) {
    case 'text':
      return String(b.text ?? '');
    case 'thinking':
      return String(b.thinking ?? '');
    case 'tool_use':
      return `${String(b.name)} ${stableStringify(b.input ?? {})}`;
    case 'tool_result':
      return typeof b.content === 'string' ? b.content : stableStringify(b.content ?? '');
    default:
      return stableStringify(withoutCacheControl(b));
  }
}

/**
 * A TokenCounter for the block walkers that returns calibrated estimates. Raw counts are memoised
 * by block text (bounded), so re-planning an unchanged conversation does not re-tokenize it.
 * Images keep the fixed figure: their cost does not depend on the text tokenizer.
 */
export function blockTokenCounter(generation: TokenizerGeneration, calibration?: Calibration): TokenCounter {
  // Bounded in entries AND in key size (<= 512 x 64k chars), so huge context documents are
  // recounted rather than pinned in memory.
  const memo = new Lru<string, number>(512);
  return (block) => {
    if ((block as { type?: string }).type === 'image') return IMAGE_TOKENS;
    const text = blockText(block);
    let raw = memo.get(text);
    if (raw === undefined) {
      raw = countO200k(text);
      if (text.length <= 65_536) memo.set(text, raw);
    }
    return scaleTokens(raw, calibrationFactor(generation, calibration));
  };
}

interface Totals {
  raw: number;
  actual: number;
  samples: number;
}

/** Observations smaller than this are dominated by framing tokens and are ignored. */
export const MIN_OBSERVED_RAW = 50;
/** The default factor counts as this many raw tokens of evidence, so one sample cannot swing it. */
const PRIOR_RAW = 2000;
/** Evidence is scaled down past this, so the factor keeps following recent content. */
const MAX_RAW = 1_000_000;

function clampFactor(f: number): number {
  return Math.min(MAX_FACTOR, Math.max(MIN_FACTOR, f));
}

function isTotals(v: unknown): v is Totals {
  if (!v || typeof v !== 'object') return false;
  const t = v as Record<string, unknown>;
  return [t.raw, t.actual, t.samples].every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0);
}

export interface CalibrationJson {
  version: 1;
  generations: Partial<Record<TokenizerGeneration, Totals>>;
}

const GENERATIONS: readonly TokenizerGeneration[] = ['claude-legacy', 'claude-2026'];

/**
 * Refines the factor per tokenizer generation from exact counts: a running ratio
 * sum(actual) / sum(raw o200k), seeded with the default factor and clamped to
 * [MIN_FACTOR, MAX_FACTOR]. `actual` should exclude known framing (7 tokens per message,
 * the tools system prompt), or the ratio drifts upwards on short prompts.
 */
export class Calibration {
  private readonly totals = new Map<TokenizerGeneration, Totals>();

  /** Records one exact count; returns false (and changes nothing) for unusable input. */
  observe(generation: TokenizerGeneration, rawO200k: number, actualTokens: number): boolean {
    if (!GENERATIONS.includes(generation)) return false;
    if (!Number.isFinite(rawO200k) || !Number.isFinite(actualTokens)) return false;
    if (rawO200k < MIN_OBSERVED_RAW || actualTokens <= 0) return false;
    const t = this.totals.get(generation) ?? { raw: 0, actual: 0, samples: 0 };
    // Clamp the single ratio too: one absurd sample (wrong model, image-heavy request) must not
    // dominate the evidence.
    const ratio = clampFactor(actualTokens / rawO200k);
    t.raw += rawO200k;
    t.actual += rawO200k * ratio;
    t.samples += 1;
    if (t.raw > MAX_RAW) {
      const k = MAX_RAW / t.raw;
      t.raw *= k;
      t.actual *= k;
    }
    this.totals.set(generation, t);
    return true;
  }

  factor(generation: TokenizerGeneration): number {
    const prior = DEFAULT_FACTORS[generation];
    const t = this.totals.get(generation);
    if (!t) return prior;
    return clampFactor((prior * PRIOR_RAW + t.actual) / (PRIOR_RAW + t.raw));
  }

  samples(generation: TokenizerGeneration): number {
    return this.totals.get(generation)?.samples ?? 0;
  }

  toJSON(): CalibrationJson {
    const generations: CalibrationJson['generations'] = {};
    for (const [g, t] of this.totals) generations[g] = { ...t };
    return { version: 1, generations };
  }

  /** Restores persisted state; anything malformed (old or corrupt storage) is dropped, never thrown. */
  static fromJSON(value: unknown): Calibration {
    const c = new Calibration();
    if (!value || typeof value !== 'object') return c;
    const v = value as { version?: unknown; generations?: unknown };
    if (v.version !== 1 || !v.generations || typeof v.generations !== 'object') return c;
    const gens = v.generations as Record<string, unknown>;
    for (const g of GENERATIONS) {
      const t = gens[g];
      if (isTotals(t) && t.raw <= MAX_RAW * 2 && t.actual <= t.raw * MAX_FACTOR + 1e-6) c.totals.set(g, { ...t });
    }
    return c;
  }
}
