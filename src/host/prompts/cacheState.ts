// A prompt's cache state from the ledger: its last answered request plus the TTL of that
// request's first breakpoint (a hit refreshes the TTL, so the last request is what counts).
// "unknown" when the ledger has no record of the prompt: nothing is claimed about a cache we
// have not seen.
export type CacheState = { kind: 'warm'; untilMs: number } | { kind: 'cold' } | { kind: 'unknown' };

const TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;

export function cacheStateOf(last: { atMs: number; ttl: '5m' | '1h' | undefined } | undefined, nowMs: number): CacheState {
  if (!last) return { kind: 'unknown' };
  if (!last.ttl) return { kind: 'cold' };
  const untilMs = last.atMs + TTL_MS[last.ttl];
  return nowMs < untilMs ? { kind: 'warm', untilMs } : { kind: 'cold' };
}

/** `warm until 14:03:22 (4:31 left)`: the view re-renders each second while a prompt is warm. */
export function cacheStateText(state: CacheState, nowMs = Date.now()): string {
  if (state.kind === 'warm') {
    const left = Math.max(0, Math.round((state.untilMs - nowMs) / 1000));
    const mmss = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
    return `warm until ${new Date(state.untilMs).toLocaleTimeString('en-GB', { hour12: false })} (${mmss} left)`;
  }
  return state.kind;
}
