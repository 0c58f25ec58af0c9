// Chooses the TTL of a stable tier (system, context) from the gaps actually seen between uses of
// that prefix and from what the prompt file declares.
//
// Rules, in order:
// 1. An explicitly declared TTL wins (pass `declared` only when the file sets it). The reason
//    says when the history points the other way, so the UI can suggest changing the file.
// 2. With no valid gap there is nothing to go on: Anthropic's default 5m.
// 3. Otherwise the TTL with the lower expected cost per use wins (ties: 5m). Per use of the
//    prefix, relative to the base input price: with 5m a gap ≤ 5 min reads (read ratio) and a
//    longer gap re-writes (1.25); with 1h a gap ≤ 60 min reads and a longer one re-writes (2).
//    The first write (1.25 vs 2) is counted once. Gaps are between request starts, which is how
//    the cache times entries (lifetime starts at the request; hits refresh it, spec §1.5).
//    Break-even: 1h costs 0.75 more per write and saves 1.15 (a 5m re-write instead of a read)
//    per gap of 5-60 min, so one such gap already pays for it unless gaps over an hour (where
//    1h re-writes at 2 instead of 1.25) outnumber them. That is why one gap is enough to act on:
//    waiting for three let a prompt used every 20 minutes re-write its 5m entry three more times.
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

function summary(gaps: number[], c: TtlCosts): string {
  const mid = c.within1h - c.within5m;
  return `${c.total} gaps seen (median ${minutes(median(gaps))}): ${c.within5m} within 5 min, ${mid} between 5 and 60 min, ${c.total - c.within1h} longer; expected cost per use ${c.perUse5m.toFixed(2)}× base input with 5m vs ${c.perUse1h.toFixed(2)}× with 1h`;
}

/** Finite, non-negative gaps, the RECENT_GAPS latest only. */
export function validGaps(gapsSeconds: number[]): number[] {
  return gapsSeconds.filter((g) => Number.isFinite(g) && g >= 0).slice(-RECENT_GAPS);
}

export function adviseTtl(gapsSeconds: number[], declared?: CacheTtl, opts: { readRatio?: number } = {}): TtlAdvice {
  const gaps = validGaps(gapsSeconds);
  const enough = gaps.length >= MIN_GAPS;
  const c = enough ? ttlCosts(gaps, opts.readRatio) : undefined;
  const best: CacheTtl | undefined = c ? (c.perUse1h < c.perUse5m ? '1h' : '5m') : undefined;
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
