// One calibrated, memoising block counter per tokenizer generation for the whole process, so
// re-planning a growing conversation only tokenizes the blocks that are new since last time.
import type { TokenizerGeneration } from '../models/types';
import type { TokenCounter } from '../request/blocks';
import { blockTokenCounter } from '../tokens/estimate';

const counters = new Map<TokenizerGeneration, TokenCounter>();

export function plannerCounter(generation: TokenizerGeneration): TokenCounter {
  let c = counters.get(generation);
  if (!c) {
    c = blockTokenCounter(generation);
    counters.set(generation, c);
  }
  return c;
}

export function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function usd(n: number): string {
  return `$${n < 0.01 ? n.toFixed(5) : n.toFixed(4)}`;
}
