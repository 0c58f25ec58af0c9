// An aborted request must end, promptly, whatever the SDK's promise or stream does: its stream
// iteration has been seen to never settle after an abort (18 of 200 cancelled sends hung), and a
// fetch that ignores the signal would hang it just the same. These guards race each step against
// the signal and, when the abort wins, release what the step was holding.

/** What an aborted step rejects with (mapError turns the name into an `aborted` error). */
export function abortError(): Error {
  const e = new Error('Request cancelled.');
  e.name = 'AbortError';
  return e;
}

/**
 * `work`, or a rejection with abortError() as soon as `signal` aborts. If the abort wins and
 * `work` resolves later anyway, `release` gets its value (e.g. to abort the stream it opened).
 */
export async function raceAbort<T>(work: Promise<T>, signal: AbortSignal | undefined, release: (late: T) => void = () => {}): Promise<T> {
  if (!signal) return work;
  const lateRelease = () => {
    work.then(
      (v) => {
        try {
          release(v);
        } catch {
          // Releasing is best effort: the caller has already moved on.
        }
      },
      () => {},
    );
  };
  if (signal.aborted) {
    lateRelease();
    throw abortError();
  }
  let off = () => {};
  const aborted = new Promise<never>((_, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    off = () => signal.removeEventListener('abort', onAbort);
  });
  try {
    return await Promise.race([work, aborted]);
  } catch (err) {
    if (signal.aborted) lateRelease();
    throw err;
  } finally {
    off();
  }
}

/**
 * Iterates `source` until it ends or `signal` aborts; on abort it throws abortError() at once,
 * calls `release` (abort the underlying request) and asks the source to return, without
 * waiting for either.
 */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal | undefined, release: () => void): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const step = await raceAbort(it.next(), signal);
      if (step.done) {
        finished = true;
        return;
      }
      yield step.value;
    }
  } finally {
    if (!finished) {
      try {
        release();
      } catch {
        // Best effort, as above.
      }
      // A generator still awaiting inside cannot return until that await settles: never wait.
      Promise.resolve(it.return?.()).catch(() => {});
    }
  }
}
