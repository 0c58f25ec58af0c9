// Sessions and prompt rhythms from the ledger. A session is a stretch of work: it continues until
// the user is idle longer than `idleMinutes` or starts a new one explicitly, and it survives a
// window reload (the host resumes from the ledger's last record). Gaps between a prompt's request
// starts feed the TTL advisor (core/plan/ttlAdvisor.ts), across sessions, because the cache
// does not care about sessions: only about the time since the prefix was last used.
import type { RequestRecord } from './record';

export const DEFAULT_IDLE_MINUTES = 30;

export interface SessionState {
  sessionId: string;
  startedAtMs: number;
  /** Start of the session's latest request. */
  lastAtMs: number;
}

export interface SessionOptions {
  idleMinutes?: number;
  /** The user asked for a new session (command "New session"). */
  startNew?: boolean;
  /** Makes the id of a new session; default `sessionIdAt(atMs)` with a random suffix. */
  newId?: (atMs: number) => string;
}

/** `s-20261201T182300Z-k3x9`: sortable by start time, readable in a report, unique enough per workspace. */
export function sessionIdAt(atMs: number, random: () => number = Math.random): string {
  const stamp = new Date(atMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  const suffix = Math.floor(random() * 36 ** 4).toString(36).padStart(4, '0');
  return `s-${stamp}-${suffix}`;
}

/**
 * The session a request starting at `atMs` belongs to. `started` is true when it opens a new
 * one. A request earlier than the last one (clock skew, another window) continues the session.
 */
export function sessionFor(last: SessionState | undefined, atMs: number, opts: SessionOptions = {}): { state: SessionState; started: boolean } {
  const idleMs = (opts.idleMinutes ?? DEFAULT_IDLE_MINUTES) * 60_000;
  if (last && !opts.startNew && atMs - last.lastAtMs <= idleMs) {
    return { state: { ...last, lastAtMs: Math.max(last.lastAtMs, atMs) }, started: false };
  }
  const sessionId = (opts.newId ?? ((t: number) => sessionIdAt(t)))(atMs);
  return { state: { sessionId, startedAtMs: atMs, lastAtMs: atMs }, started: true };
}

/** The session state to resume from the ledger's latest record (feed records in any order). */
export function lastSessionOf(records: Iterable<RequestRecord>): SessionState | undefined {
  let latest: RequestRecord | undefined;
  const starts = new Map<string, number>();
  for (const r of records) {
    starts.set(r.sessionId, Math.min(starts.get(r.sessionId) ?? Infinity, r.atMs));
    if (!latest || r.atMs >= latest.atMs) latest = r;
  }
  if (!latest) return undefined;
  return { sessionId: latest.sessionId, startedAtMs: starts.get(latest.sessionId) ?? latest.atMs, lastAtMs: latest.atMs };
}

/**
 * Only requests that reached the server-side cache mark a use of the prefix: local answers never
 * left the machine, and a failure without usage may never have been processed.
 */
const touchedCache = (r: RequestRecord): boolean => r.outcome === 'ok' || (r.outcome !== 'local' && r.usage !== undefined);

export interface GapCollector {
  add(record: RequestRecord): void;
  /** Per prompt id, the gaps in seconds between consecutive request starts, in time order. */
  result(): Map<string, number[]>;
  /**
   * The TTL advisor's history per prompt id: the latest `keep` gaps, then the gap from the last
   * use to `nowMs` (the advisor weighs the pause the next request ends as well).
   */
  history(nowMs: number, keep?: number): Record<string, number[]>;
}

/** The advisor looks at this many recent gaps (core/plan/tierTtls.ts). */
export const HISTORY_GAPS = 50;

/** Streaming form of `gapsByPrompt`: keeps only start times (8 bytes per request). */
export function createGapCollector(): GapCollector {
  const starts = new Map<string, number[]>();
  return {
    add(r) {
      if (!touchedCache(r)) return;
      let xs = starts.get(r.prompt.id);
      if (!xs) starts.set(r.prompt.id, (xs = []));
      xs.push(r.atMs);
    },
    result() {
      const out = new Map<string, number[]>();
      for (const [id, xs] of starts) {
        // Two windows may append out of order: sort before differencing.
        const sorted = Float64Array.from(xs).sort();
        const gaps: number[] = [];
        for (let i = 1; i < sorted.length; i++) gaps.push(((sorted[i] as number) - (sorted[i - 1] as number)) / 1000);
        out.set(id, gaps);
      }
      return out;
    },
    history(nowMs, keep = HISTORY_GAPS) {
      const out: Record<string, number[]> = {};
      for (const [id, gaps] of this.result()) {
        const last = Math.max(...(starts.get(id) ?? []));
        out[id] = [...gaps.slice(-keep), ...(nowMs > last ? [(nowMs - last) / 1000] : [])];
      }
      return out;
    },
  };
}

export function gapsByPrompt(records: Iterable<RequestRecord>): Map<string, number[]> {
  const c = createGapCollector();
  for (const r of records) c.add(r);
  return c.result();
}
