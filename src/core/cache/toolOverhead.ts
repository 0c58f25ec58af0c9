// Tool-use system prompt overhead (spec §3.2, DOC-PRICE): input tokens Anthropic adds when a
// request has `tools`. It sits at the start of the prompt, so it is part of every cached prefix
// and counts toward the minimum cacheable length. count_tokens includes it too.
import type { MessagesRequest } from '../../shared/anthropic';
import type { ModelInfo } from '../models/types';

export interface ToolOverheadRow {
  /** `tool_choice` absent, `auto` or `none`. */
  auto: number;
  /** `tool_choice` `any` or `tool`. */
  forced: number;
  /** Set when the model is not in the documented table: the row whose figures are assumed. */
  assumedFrom?: string;
}

const OPUS_5 = { auto: 286, forced: 406 };
const OPUS_4_8 = { auto: 290, forced: 410 };
const OPUS_4_7 = { auto: 675, forced: 804 };
const GEN_4_6 = { auto: 497, forced: 589 };
const GEN_4_5 = { auto: 496, forced: 588 };
const SONNET_5 = { auto: 354, forced: 474 };
const GEN_4_0 = { auto: 313, forced: 315 };
const HAIKU_3_5 = { auto: 264, forced: 355 };

const assumed = (row: { auto: number; forced: number }, from: string): ToolOverheadRow => ({ ...row, assumedFrom: from });

/**
 * Keyed by canonical model id (models/data.ts). Rows with `assumedFrom` are NOT documented: the
 * figure of the nearest documented generation is used instead of 0, which would undercount.
 */
export const TOOL_USE_OVERHEAD: Readonly<Record<string, ToolOverheadRow>> = {
  'claude-opus-5': OPUS_5,
  'claude-opus-4-8': OPUS_4_8,
  'claude-opus-4-7': OPUS_4_7,
  'claude-opus-4-6': GEN_4_6,
  'claude-sonnet-4-6': GEN_4_6,
  'claude-opus-4-5-20251101': GEN_4_5,
  'claude-sonnet-4-5-20250929': GEN_4_5,
  'claude-haiku-4-5-20251001': GEN_4_5,
  'claude-sonnet-5': SONNET_5,
  'claude-opus-4-1-20250805': GEN_4_0,
  'claude-opus-4-20250514': GEN_4_0,
  'claude-sonnet-4-20250514': GEN_4_0,
  'claude-3-5-haiku-20241022': HAIKU_3_5,
  // Assumed (spec §3.2 has no row): same generation as Opus 5 (512-token minimum, new tokenizer).
  'claude-opus-5-5': assumed(OPUS_5, 'Opus 5'),
  'claude-fable-5': assumed(OPUS_5, 'Opus 5'),
  'claude-fable-5-1': assumed(OPUS_5, 'Opus 5'),
  'claude-fable-5-2': assumed(OPUS_5, 'Opus 5'),
  'claude-mythos-5': assumed(OPUS_5, 'Opus 5'),
  'claude-mythos-5-1': assumed(OPUS_5, 'Opus 5'),
  'claude-mythos-5-2': assumed(OPUS_5, 'Opus 5'),
  // Assumed: the 5 generation's Sonnet row (no Haiku of that generation is documented).
  'claude-sonnet-5-5': assumed(SONNET_5, 'Sonnet 5'),
  'claude-haiku-5-5': assumed(SONNET_5, 'Sonnet 5'),
  // Assumed: contemporary of Opus 4.7 (same 2,048 minimum, new tokenizer).
  'claude-mythos-preview': assumed(OPUS_4_7, 'Opus 4.7'),
  // Assumed: retired models older than every documented row but Haiku 3.5.
  'claude-3-7-sonnet-20250219': assumed(GEN_4_0, 'Sonnet 4'),
  'claude-3-opus-20240229': assumed(GEN_4_0, 'Opus 4'),
  'claude-3-haiku-20240307': assumed(HAIKU_3_5, 'Haiku 3.5'),
};

/** User-defined models with a new id: assumed to behave like the default model (Sonnet 5). */
const UNKNOWN_MODEL_ROW = assumed(SONNET_5, 'Sonnet 5 (default model)');

export function toolOverheadRow(model: ModelInfo): ToolOverheadRow {
  return TOOL_USE_OVERHEAD[model.id] ?? UNKNOWN_MODEL_ROW;
}

/** Tokens added once at the start of the prefix; 0 when the request has no tools. */
export function toolUseOverheadTokens(model: ModelInfo, request: Pick<MessagesRequest, 'tools' | 'tool_choice'>): number {
  if (!request.tools || request.tools.length === 0) return 0;
  const row = toolOverheadRow(model);
  const choice = (request.tool_choice as { type?: string } | undefined)?.type;
  return choice === 'any' || choice === 'tool' ? row.forced : row.auto;
}
