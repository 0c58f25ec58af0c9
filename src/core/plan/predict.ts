// Cold and warm cost of one planned request: the first send into an empty cache, then an
// identical send within the TTL. Output tokens are 0 in both: what the reply costs does not
// depend on caching, and leaving it out keeps the two numbers about the prompt alone.
import type { MessagesRequest, Usage } from '../../shared/anthropic';
import { createCacheSimulator } from '../cache/simulator';
import { costOf } from '../cost/cost';
import type { ModelInfo, ModelTable } from '../models/types';

export interface ColdWarm {
  cold_usd: number;
  warm_usd: number;
  cold: Usage;
  warm: Usage;
}

/** Seconds between the cold and the warm send (well inside a 5m TTL). */
export const WARM_AFTER_MS = 1000;

export function predictColdWarm(request: MessagesRequest, model: ModelInfo, models: ModelTable): ColdWarm {
  const sim = createCacheSimulator({ models });
  const cold = { ...sim.commit(request, 0).usage, output_tokens: 0 };
  const warm = { ...sim.commit(request, WARM_AFTER_MS).usage, output_tokens: 0 };
  return { cold_usd: costOf(cold, model).total, warm_usd: costOf(warm, model).total, cold, warm };
}
