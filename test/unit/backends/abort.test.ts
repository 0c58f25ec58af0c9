// A cancelled send always ends, promptly, as `aborted`: before the headers, while waiting for
// the body, at every event of the stream, and when the server stalls with the connection open.
import { strict as assert } from 'node:assert';
import { createAnthropicBackend } from '../../../src/backends/anthropic/backend';
import type { SendResult } from '../../../src/backends/types';
import { cachedRequest, TEST_KEY } from './helpers';
import { EVENTS, startSseServer, type SseScript, type SseServer } from './sseServer';

/** Generous for a shared 2-core machine; the design target is 100 ms. */
const SETTLE_MS = 400;
const NEVER = 'never settled';
type Outcome = { r: SendResult | typeof NEVER; settleMs: number };

describe('backends/anthropic abort always settles', () => {
  let srv: SseServer;
  beforeEach(async () => {
    srv = await startSseServer();
  });
  afterEach(() => srv.close());

  const backend = () => createAnthropicBackend({ apiKey: TEST_KEY, baseURL: srv.url, maxRetries: 0 });

  /** Sends with `script`, aborts when `trigger` fires (or after `afterMs`), returns the outcome. */
  async function abortedSend(script: SseScript, when: { atEvent?: number; afterMs?: number }, b = backend()): Promise<Outcome> {
    const ctrl = new AbortController();
    let abortedAt = 0;
    const abort = () => {
      if (!abortedAt) {
        abortedAt = performance.now();
        ctrl.abort();
      }
    };
    srv.script = { ...script, onEvent: (i) => i === when.atEvent && abort() };
    if (when.afterMs !== undefined) setTimeout(abort, when.afterMs);
    const sent = b.send(cachedRequest(), { signal: ctrl.signal });
    const deadline = new Promise<typeof NEVER>((r) => setTimeout(() => r(NEVER), 3000));
    const r = await Promise.race([sent, deadline]);
    return { r, settleMs: performance.now() - abortedAt };
  }

  function assertAborted(out: Outcome, label: string): void {
    assert.notEqual(out.r, NEVER, `${label}: the send never settled`);
    assert.equal((out.r as SendResult).error?.kind, 'aborted', `${label}: ${JSON.stringify((out.r as SendResult).error)}`);
    assert.ok(out.settleMs < SETTLE_MS, `${label}: settled ${Math.round(out.settleMs)} ms after the abort`);
  }

  it('before the headers and while waiting for the body', async () => {
    assertAborted(await abortedSend({ headersDelayMs: 2000 }, { afterMs: 30 }), 'before headers');
    assertAborted(await abortedSend({ bodyDelayMs: 2000 }, { afterMs: 30 }), 'after headers');
  });

  it('at every event index, on a flowing and on a stalled stream', async () => {
    for (let i = 0; i < EVENTS.length - 1; i++) {
      assertAborted(await abortedSend({ eventDelayMs: 5 }, { atEvent: i }), `flowing, event ${i}`);
      assertAborted(await abortedSend({ stallAfter: i + 1 }, { afterMs: 20 }), `stalled after event ${i}`);
    }
  });

  it('ends even when the stream underneath ignores the abort (a fetch that drops the signal)', async () => {
    // The SDK's own abort cannot reach this fetch: without our guard its stream iteration waits
    // for the stalled server forever, which is how a cancelled send hung.
    const deaf: typeof fetch = (input, init) => fetch(input, { ...init, signal: undefined });
    const b = createAnthropicBackend({ apiKey: TEST_KEY, baseURL: srv.url, maxRetries: 0, fetch: deaf });
    assertAborted(await abortedSend({ headersDelayMs: 1500 }, { afterMs: 20 }, b), 'deaf, before headers');
    for (const i of [0, 3, EVENTS.length - 2]) assertAborted(await abortedSend({ stallAfter: i + 1 }, { afterMs: 20 }, b), `deaf, stalled after event ${i}`);
  });

  it('an already-aborted signal fails at once; an abort after the answer changes nothing', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    const t0 = performance.now();
    const r = await backend().send(cachedRequest(), { signal: ctrl.signal });
    assert.equal(r.error?.kind, 'aborted');
    assert.ok(performance.now() - t0 < SETTLE_MS);
    srv.script = {};
    const late = new AbortController();
    const done = await backend().send(cachedRequest(), { signal: late.signal });
    late.abort();
    assert.equal(done.error, undefined);
    assert.equal(done.text, 'Hello, world');
    assert.equal(done.stopReason, 'end_turn');
  });

  it('countTokens and prewarm reject as aborted too', async () => {
    srv.script = { headersDelayMs: 1500 };
    const b = backend();
    for (const call of [(s: AbortSignal) => b.countTokens(cachedRequest(), s), (s: AbortSignal) => b.prewarm(cachedRequest(), s)]) {
      const ctrl = new AbortController();
      setTimeout(() => ctrl.abort(), 20);
      const t0 = performance.now();
      await assert.rejects(call(ctrl.signal), (e: unknown) => (e as { error?: { kind?: string } }).error?.kind === 'aborted');
      assert.ok(performance.now() - t0 < 20 + SETTLE_MS);
    }
  });

  it('200 aborts in a loop all settle, and no connection is left open', async function () {
    this.timeout(60_000);
    let unsettled = 0;
    let worst = 0;
    for (let n = 0; n < 200; n++) {
      const i = n % (EVENTS.length - 1);
      const out = n % 2 ? await abortedSend({ eventDelayMs: 1 }, { atEvent: i }) : await abortedSend({ stallAfter: i + 1 }, { afterMs: 5 + (n % 7) });
      if (out.r === NEVER || (out.r as SendResult).error?.kind !== 'aborted') unsettled++;
      worst = Math.max(worst, out.settleMs);
    }
    assert.equal(unsettled, 0);
    assert.ok(worst < SETTLE_MS, `worst ${Math.round(worst)} ms`);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(srv.open(), 0, 'every aborted response was released');
  });
});
