// Replays a trace through the cache simulator under one strategy, costing every request
// (output included) and explaining each outcome; plus the clairvoyant lower bound.
import type { MessagesRequest, Usage } from '../../shared/anthropic';
import { BlockMemo, cacheBlocks, keyOf } from '../cache/blocks';
import { toolUseOverheadTokens } from '../cache/toolOverhead';
import { createCacheSimulator } from '../cache/simulator';
import type { CacheOutcome } from '../cache/types';
import { costOf, type CostResult } from '../cost/cost';
import { explainOutcome, type Explanation } from '../explain/explain';
import type { ModelTable } from '../models/types';
import { blockTokenCounter } from '../tokens/estimate';
import { createStrategy } from './strategies';
import type { TraceEntry } from './trace';

export interface ReplayedRequest {
  index: number;
  atS: number;
  /** The body exactly as the strategy would send it. */
  request: MessagesRequest;
  usage: Usage;
  outcome: CacheOutcome;
  cost: CostResult;
  explanation: Explanation;
}

export interface ReplayResult {
  strategy: string;
  requests: ReplayedRequest[];
  totalUsd: number;
  noCacheUsd: number;
  lowerBoundUsd: number;
}

export function replayTrace(trace: TraceEntry[], strategyName: string, models: ModelTable): ReplayResult {
  const strategy = createStrategy(strategyName, models);
  const sim = createCacheSimulator({ models });
  const requests: ReplayedRequest[] = [];
  let previous: { request: MessagesRequest; atMs: number; outcome: CacheOutcome } | undefined;
  for (const [index, entry] of trace.entries()) {
    const atMs = entry.atS * 1000;
    const request = strategy.apply(entry.request, entry.atS);
    const model = models.resolve(request.model);
    const outcome = sim.commit(request, atMs);
    const usage: Usage = { ...outcome.usage, output_tokens: entry.outputTokens };
    const cost = costOf(usage, model);
    const explanation = explainOutcome({ request, atMs, model, models, predicted: outcome, ...(previous ? { previous } : {}) });
    requests.push({ index, atS: entry.atS, request, usage, outcome, cost, explanation });
    previous = { request, atMs, outcome };
  }
  const sum = (f: (r: ReplayedRequest) => number) => requests.reduce((s, r) => s + f(r), 0);
  return {
    strategy: strategyName,
    requests,
    totalUsd: sum((r) => r.cost.total),
    noCacheUsd: sum((r) => r.cost.noCache),
    lowerBoundUsd: lowerBound(trace, models).reduce((s, x) => s + x, 0),
  };
}

/**
 * Per request: its longest block prefix identical to the prefix of an earlier request to the
 * same model at most one hour before (and at least the model's minimum), priced at the read
 * price; the rest at the base input price (no write premium); plus output. No strategy can beat
 * it: a read needs an earlier identical prefix within the longest TTL, and writes cost extra.
 */
export function lowerBound(trace: TraceEntry[], models: ModelTable): number[] {
  const memo = new BlockMemo();
  const lastSeen = new Map<string, number>();
  return trace.map((entry) => {
    const model = models.resolve(entry.request.model);
    const overhead = toolUseOverheadTokens(model, entry.request);
    const list = cacheBlocks(entry.request, model.id, blockTokenCounter(model.tokenizer), `gen:${model.tokenizer}`, memo, overhead);
    const keys = list.blocks.map(keyOf);
    let read = 0;
    for (let p = keys.length - 1; p >= 0; p--) {
      const seen = lastSeen.get(keys[p] as string);
      if (seen !== undefined && entry.atS - seen <= 3600) {
        read = list.blocks[p]?.prefixTokens ?? 0;
        break;
      }
    }
    const minimum = model.minCacheableTokens ?? model.minCacheableAssumed ?? 0;
    if (read < minimum) read = 0;
    for (const k of keys) lastSeen.set(k, entry.atS);
    const usage: Usage = { input_tokens: list.totalTokens - read, cache_read_input_tokens: read, cache_creation_input_tokens: 0, output_tokens: entry.outputTokens };
    return costOf(usage, model).total;
  });
}
