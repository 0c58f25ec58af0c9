// The one-line forecast shown before a send. Every token count is a local estimate, hence ≈.
import type { Usage } from '../../shared/anthropic';
import { n } from '../explain/format';

/** Dollars with two significant digits below $1 (e.g. $0.0041), cents above. */
export function approxUsd(x: number): string {
  if (x === 0) return '$0';
  return x < 1 ? `$${Number(x.toPrecision(2)).toString()}` : `$${x.toFixed(2)}`;
}

function writes(u: Usage): string {
  const w5 = u.cache_creation?.ephemeral_5m_input_tokens ?? 0;
  const w1 = u.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  const total = Math.max(u.cache_creation_input_tokens ?? 0, w5 + w1);
  if (total === 0) return 'nothing new to write';
  if (w5 && w1) return `write ≈${n(total)} (≈${n(w1)} at 1h, ≈${n(w5)} at 5m)`;
  return `write ≈${n(total)}${w1 ? ' at 1h' : w5 ? ' at 5m' : ''}`;
}

/**
 * e.g. "Predicted: read ≈12,480 cached tokens, write ≈340 at 5m; ≈$0.0041 before output."
 * `costError` replaces the price when the model has none.
 */
export function predictionSentence(u: Usage, costUsd: number | undefined, costError?: string): string {
  const read = u.cache_read_input_tokens ?? 0;
  const cache = read > 0 ? `read ≈${n(read)} cached tokens, ${writes(u)}` : `nothing cached to read, ${writes(u)}`;
  const uncached = u.input_tokens > 0 ? `, ≈${n(u.input_tokens)} uncached` : '';
  // Only the error's first sentence: the full text (how to add prices) is shown as the plan's error.
  const why = (costError ?? 'no prices').split(/\.(?:\s|$)/)[0];
  const price = costUsd !== undefined ? `≈${approxUsd(costUsd)} before output` : `cost unknown (${why})`;
  return `Predicted: ${cache}${uncached}; ${price}.`;
}

/** The forecast of a request that carries a one-off cache bust says why it is cold. */
export function bustPredictionSentence(sentence: string): string {
  return `${sentence} Cold on purpose: this request carries the one-off cache bust you asked for (a nonce before its first breakpoint), so it reads nothing and writes every tier anew.`;
}
