// The explanation of a request that carried a one-off cache bust (Clear Caches…): its miss was
// asked for, so it is named as such, never as a prompt change or an expiry.
import type { Usage } from '../../shared/anthropic';
import type { CacheOutcome } from '../cache/types';
import { cacheWriteTokens } from '../cost/usage';
import { n, split } from './format';
import type { Explanation } from './explain';

export function explainBust(predicted: CacheOutcome, actual: Usage): Explanation {
  const read = actual.cache_read_input_tokens ?? 0;
  const wrote = cacheWriteTokens(actual);
  const head = 'Deliberate cache bust: a one-off nonce before the first breakpoint made every prefix new';
  if (predicted.breakpoints.length === 0 || predicted.breakpoints.every((b) => b.result === 'below-minimum')) {
    return { kind: 'cache-bust', sentence: `${head}, but this request has no cacheable breakpoint (none placed, or below the model minimum), so nothing was written either.` };
  }
  if (read > 0) {
    // Should not happen: every prefix carried the nonce. Said plainly rather than hidden.
    return { kind: 'cache-bust', sentence: `${head}, yet ${n(read)} tokens were reported read and ${n(wrote)} written${split(actual)}: an entry matched despite the nonce, which the local cache model cannot explain.` };
  }
  return { kind: 'cache-bust', sentence: `${head}, so nothing was read and every tier was written anew: ${n(wrote)} tokens${split(actual)}. Later requests read the entries written before the bust again while they live.` };
}
