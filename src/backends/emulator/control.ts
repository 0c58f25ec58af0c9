// The emulator's control endpoints (/_emulator/*): the virtual clock, faults, state and reset.
// Their bodies get the same care as a Messages body: a value that makes no sense is a 400 with a
// message naming it, never an offset of NaN or Infinity that would poison every later TTL.

/** Ten years in one step is more than any TTL test needs; 1e308 would lose all precision. */
export const MAX_ADVANCE_S = 10 * 365 * 24 * 3600;
/** The offset stays an exact integer of milliseconds far below 2^53. */
export const MAX_CLOCK_OFFSET_S = 1000 * 365 * 24 * 3600;

export function checkAdvance(seconds: unknown, offsetS: number): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_ADVANCE_S) {
    throw new Error(`clock: advance_s must be a number of seconds from 0 to ${MAX_ADVANCE_S}, got ${JSON.stringify(seconds) ?? String(seconds)}`);
  }
  if (offsetS + seconds > MAX_CLOCK_OFFSET_S) throw new Error(`clock: the virtual clock may run at most ${MAX_CLOCK_OFFSET_S} s ahead; POST /_emulator/reset to start over`);
  return seconds;
}

/** The JSON body of a control POST; `{}` for an empty one. Throws with the reason otherwise. */
export function controlBody(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new Error(`The request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** `{"advance_s": n}` → n, checked. */
export function advanceOf(body: unknown, offsetS: number): number {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('clock: expected {"advance_s": <seconds>}');
  return checkAdvance((body as { advance_s?: unknown }).advance_s, offsetS);
}
