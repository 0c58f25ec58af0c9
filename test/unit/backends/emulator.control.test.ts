// The control endpoints refuse values that make no sense, with a 400 naming them, and keep the
// state they had.
import { strict as assert } from 'node:assert';
import type { EmulatorHandle } from '../../../src/backends/emulator/server';
import { rawPost, withEmulator } from './helpers';

describe('backends/emulator control settings', () => {
  let emu: EmulatorHandle;
  beforeEach(async () => {
    emu = await withEmulator();
  });
  afterEach(() => emu.close());

  const post = (path: string, body: string) => rawPost(`${emu.url}/_emulator/${path}`, body);

  async function refused(path: string, body: string, pattern: RegExp): Promise<void> {
    const r = await post(path, body);
    const err = r.json.error as { type: string; message: string } | undefined;
    assert.equal(r.status, 400, `${path} ${body} -> ${r.status}`);
    assert.equal(err?.type, 'invalid_request_error');
    assert.match(err.message, pattern);
  }

  it('refuses fault statuses that are not HTTP errors, and absurd delays and counts', async () => {
    for (const status of ['0', '200', '99999', '399', '600', '429.5', '"429"', '-1', '1e308']) {
      await refused('faults', `{"status": ${status}}`, /faults\[0\]\.status: expected an integer from 400 to 599/);
    }
    await refused('faults', '{"latencyMs": 1e308}', /latencyMs: expected a number from 0 to 600000/);
    await refused('faults', '{"count": 0}', /count/);
    await refused('faults', '{"dropAfterEvents": 1.5}', /dropAfterEvents/);
    await refused('faults', '{"errorType": "<script>"}', /errorType/);
    await refused('faults', `[${Array(1001).fill('{}').join(',')}]`, /at most 1000 faults/);
    await refused('faults', '{"faults": ', /not valid JSON/);
    assert.equal(emu.state().faults_pending, 0);
    assert.throws(() => emu.setFaults({ status: 200 }), /status/);
    assert.equal((await post('faults', '{"status": 529, "count": 2}')).status, 200);
    assert.equal(emu.state().faults_pending, 2);
  });

  it('refuses clock advances that are negative, huge, not numbers or NaN, over HTTP and through the handle', async () => {
    for (const v of ['1e308', '-1', '"NaN"', '"60"', 'null', 'true', '[1]']) {
      await refused('clock', `{"advance_s": ${v}}`, /advance_s must be a number of seconds from 0 to 315360000/);
    }
    await refused('clock', '[]', /expected \{"advance_s"/);
    await refused('clock', 'nope', /not valid JSON/);
    for (const v of [NaN, -5, Infinity, 1e308]) assert.throws(() => emu.clock.advance(v), /advance_s/);
    assert.equal(emu.state().clock_offset_s, 0);
    assert.equal((await post('clock', '{"advance_s": 90.5}')).json.clock_offset_s, 90.5);
  });
});
