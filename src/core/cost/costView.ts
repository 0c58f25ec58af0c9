// A CostResult as records and views carry it (a module of its own: the host prices failed requests
// without loading the cache simulator).
import type { CostView } from '../ports';
import type { CostResult } from './cost';

/** A CostResult as records and views carry it: per bucket, in total, and whether it is exact. */
export function costView(c: CostResult): CostView {
  const b = c.breakdown;
  return {
    input: b.input,
    cacheWrite5m: b.cache_write_5m,
    cacheWrite1h: b.cache_write_1h,
    cacheRead: b.cache_read,
    output: b.output,
    total: c.total,
    noCache: c.noCache,
    saved: c.saved,
    hitRatio: c.hitRatio,
    exact: c.exact,
  };
}
