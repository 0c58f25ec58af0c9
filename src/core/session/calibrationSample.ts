// One tokenizer-calibration sample from a real response: the request's raw o200k count against
// the input tokens Anthropic billed for it, less what is not text (message framing, the tool-use
// system prompt). Images are sized by pixels, so requests with images give no sample.
import type { ContentBlock, MessagesRequest, ToolDefinition, Usage } from '../../shared/anthropic';
import { toolUseOverheadTokens } from '../cache/toolOverhead';
import { cacheWriteTokens } from '../cost/usage';
import type { ModelInfo, TokenizerGeneration } from '../models/types';
import { FRAMING_TOKENS_PER_MESSAGE } from '../request/blocks';
import { countO200k } from '../tokens/count';
import { blockText } from '../tokens/estimate';

export interface CalibrationSample {
  generation: TokenizerGeneration;
  rawTokens: number;
  actualTokens: number;
}

type Block = ContentBlock | ToolDefinition;

function blocksOf(request: MessagesRequest): Block[] {
  const text = (t: string): ContentBlock => ({ type: 'text', text: t });
  const system: Block[] = typeof request.system === 'string' ? [text(request.system)] : (request.system ?? []);
  const messages = request.messages.flatMap((m): Block[] => (typeof m.content === 'string' ? [text(m.content)] : m.content));
  return [...(request.tools ?? []), ...system, ...messages];
}

export function calibrationSample(request: MessagesRequest, usage: Usage, model: ModelInfo): CalibrationSample | undefined {
  const blocks = blocksOf(request);
  if (blocks.some((b) => b.type === 'image' || b.type === 'document')) return undefined;
  const raw = blocks.reduce((n, b) => n + countO200k(blockText(b)), 0);
  const billed = usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + cacheWriteTokens(usage);
  const actual = billed - FRAMING_TOKENS_PER_MESSAGE * request.messages.length - toolUseOverheadTokens(model, request);
  return actual > 0 && raw > 0 ? { generation: model.tokenizer, rawTokens: raw, actualTokens: actual } : undefined;
}
