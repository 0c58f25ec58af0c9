// Chooses the TTL of a stable tier (system, context) from the gaps actually seen between uses of
// that prefix and from what the prompt file declares.
//
// Rules, in order:
// 1. An explicitly declared TTL wins (pass `declared` only when the file sets it). The reason
//    says when the history points the other way, so the UI can suggest changing the file.
// 2. With no valid gap there is nothing to go on: Anthropic's default 5m.
// 3. Otherwise decide per write, by break-even (relative to the base input price, spec §3): a
//    1h write costs 0.75 more than a 5m one (2 vs 1.25); every gap of 5-60 min that the 1h entry
//    then outlives is a read (r) where a 5m entry would be written again (1.25), saving 1.25 − r.
//    The entry lives until a gap over an hour, so it outlives n_mid / n_long such gaps on average
//    (n_mid itself while no gap over an hour has been seen: the future taken to be as long as the
//    past). 1h iff (1.25 − r) · n_mid > 0.75 · max(1, n_long); ties: 5m. Gaps are between request
//    starts, which is how the cache times entries (lifetime starts at the request, hits refresh
//    it, spec §1.5). So one gap of 5-60 min is enough to act on: waiting for three let a prompt
//    used every 20 minutes write its 5m entry three more times for nothing.
// Only the RECENT_GAPS latest gaps count, so a prompt whose use changes is followed.
import type { CacheTtl } from '../../shared/anthropic';

export const MIN_GAPS = 1;
export const RECENT_GAPS = 50;
export const WRITE_5M = 1.25;
export const WRITE_1H = 2;
/** Read price / base input price; 0.1 for most models (spec §3), pass the model's own ratio when known. */
export const DEFAULT_READ_RATIO = 0.1;

export interface TtlAdvice {
  ttl: CacheTtl;
  reason: string;
}

export interface TtlCosts {
  /** Expected cost per use, in multiples of the base input price of the prefix. */
  perUse5m: number;
  perUse1h: number;
  within5m: number;
  within1h: number;
  total: number;
}

export function ttlCosts(gaps: number[], readRatio = DEFAULT_READ_RATIO): TtlCosts {
  let c5 = WRITE_5M;
  let c1 = WRITE_1H;
  let within5m = 0;
  let within1h = 0;
  for (const g of gaps) {
    if (g <= 300) within5m++;
    if (g <= 3600) within1h++;
    c5 += g <= 300 ? readRatio : WRITE_5M;
    c1 += g <= 3600 ? readRatio : WRITE_1H;
  }
  const uses = gaps.length + 1;
  return { perUse5m: c5 / uses, perUse1h: c1 / uses, within5m, within1h, total: gaps.length };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function minutes(sec: number): string {
  return sec < 90 ? `${Math.round(sec)} s` : `${(sec / 60).toFixed(sec < 600 ? 1 : 0)} min`;
}

/** Rule 3: the reads a 1h entry gains over its lifetime against its write premium. */
function favours1h(c: TtlCosts, readRatio: number): boolean {
  const mid = c.within1h - c.within5m;
  return (WRITE_5M - readRatio) * mid > (WRITE_1H - WRITE_5M) * Math.max(1, c.total - c.within1h);
}

function summary(gaps: number[], c: TtlCosts): string {
  const mid = c.within1h - c.within5m;
  const long = c.total - c.within1h;
  const lifetime = long ? `≈ ${(mid / long).toFixed(1)} such gaps per 1h entry` : 'none over an hour';
  return `${c.total} gaps seen (median ${minutes(median(gaps))}): ${c.within5m} within 5 min, ${mid} between 5 and 60 min, ${long} longer (${lifetime}); 1h costs 0.75× base input more per write and saves ≈ 1.15× per gap of 5-60 min`;
}

/** Finite, non-negative gaps, the RECENT_GAPS latest only. */
export function validGaps(gapsSeconds: number[]): number[] {
  return gapsSeconds.filter((g) => Number.isFinite(g) && g >= 0).slice(-RECENT_GAPS);
}

export function adviseTtl(gapsSeconds: number[], declared?: CacheTtl, opts: { readRatio?: number } = {}): TtlAdvice {
  const gaps = validGaps(gapsSeconds);
  const enough = gaps.length >= MIN_GAPS;
  const c = enough ? ttlCosts(gaps, opts.readRatio) : undefined;
  const best: CacheTtl | undefined = c ? (favours1h(c, opts.readRatio ?? DEFAULT_READ_RATIO) ? '1h' : '5m') : undefined;
  if (declared) {
    if (!c || best === declared) return { ttl: declared, reason: `the prompt file declares ${declared}${c ? `; history agrees (${summary(gaps, c)})` : ''}` };
    return { ttl: declared, reason: `the prompt file declares ${declared}, although history favours ${best} (${summary(gaps, c)}); remove or change 'ttl' to follow it` };
  }
  if (!c || !best) {
    return { ttl: '5m', reason: "no TTL declared and no gap between uses seen yet, so Anthropic's default 5m" };
  }
  const why = best === '1h' ? 'a 5m entry would expire between uses and be re-written instead of read' : '1h would pay the higher write price for entries that 5m keeps alive anyway';
  return { ttl: best, reason: `no TTL declared; history favours ${best}: ${why} (${summary(gaps, c)})` };
}
