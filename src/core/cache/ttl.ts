// How long a cache entry lives after the request that wrote or last read it (spec §1.5). A module of
// its own so views can name it without loading the simulator.
import type { CacheTtl } from '../../shared/anthropic';

export const TTL_MS: Record<CacheTtl, number> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };
