// "A 1-hour cache entry must appear before any 5-minute cache entries" (spec §1.5). When the
// declared TTLs break that order, either promote the earlier 5m breakpoints to 1h or demote the
// later 1h ones to 5m, whichever is estimated cheaper.
import type { CacheTtl } from '../../shared/anthropic';
import type { PriceBand } from '../models/types';
import type { Tier } from './types';
import { usd } from './tokens';

export interface Placed {
  tier: Tier;
  ttl: CacheTtl;
  prefixTokens: number;
  /** Set when the TTL was changed to keep the order valid. */
  ttlNote?: string;
}

/** Tokens between the previous placed breakpoint and this one: what this breakpoint alone writes. */
function segment(placed: Placed[], i: number): number {
  const prev = i > 0 ? (placed[i - 1] as Placed).prefixTokens : 0;
  return Math.max(0, (placed[i] as Placed).prefixTokens - prev);
}

const names = (ps: Placed[]) => ps.map((p) => p.tier).join(' + ');

/**
 * Cost model (one write cycle, documented in the reasons):
 * - promoting costs the 1h premium (write1h − write5m) on the promoted segments, paid now;
 * - demoting risks the demoted segments expiring before a use 5–60 minutes later (the reason
 *   they were declared 1h), when they are written again at 5m instead of read:
 *   (write5m − read) per token, counted once.
 * Ties promote (the order the author declared for the later, usually larger, tier is kept).
 */
export function resolveTtlOrder(placed: Placed[], prices: PriceBand): void {
  const firstShort = placed.findIndex((p) => p.ttl === '5m');
  const lastLong = placed.map((p) => p.ttl).lastIndexOf('1h');
  if (firstShort < 0 || lastLong < firstShort) return;
  const promote = placed.filter((p, i) => p.ttl === '5m' && i < lastLong);
  const demote = placed.filter((p, i) => p.ttl === '1h' && i > firstShort);
  const sum = (ps: Placed[], perMTok: number) => ps.reduce((s, p) => s + segment(placed, placed.indexOf(p)), 0) * perMTok / 1e6;
  const promoteUsd = sum(promote, prices.write1h - prices.write5m);
  const demoteUsd = sum(demote, prices.write5m - prices.read);
  const costs = `promoting ${names(promote)} costs ≈ ${usd(promoteUsd)} extra 1h write premium now; demoting ${names(demote)} risks ≈ ${usd(demoteUsd)} of re-writes if it expires before a use 5–60 min later`;
  if (promoteUsd <= demoteUsd) {
    for (const p of promote) {
      p.ttl = '1h';
      p.ttlNote = `promoted from the declared 5m to 1h because the ${names(demote)} breakpoint after it is 1h and 1h entries must come before 5m ones; ${costs}, so promoting is cheaper`;
    }
  } else {
    for (const p of demote) {
      p.ttl = '5m';
      p.ttlNote = `demoted from the declared 1h to 5m because the ${names(promote)} breakpoint before it is 5m and 1h entries must come before 5m ones; ${costs}, so demoting is cheaper`;
    }
  }
}
