import { strict as assert } from 'node:assert';
import { requestViewOf } from '../../../src/core/session/recordView';
import { usd } from '../../../src/webview-ui/dom';
import { makeRecord } from '../../support/records';

describe('request views', () => {
  it('say the turn goes on after a step that stopped for tools or paused, and not after an answer, a failure or a turn-ending stop', () => {
    const step = (stopReason: string | null, over: Parameters<typeof makeRecord>[0] = {}) => ({ ...makeRecord(over), kind: 'agent-step' as const, stopReason });
    assert.equal(requestViewOf(step('tool_use')).continues, true);
    assert.equal(requestViewOf(step('pause_turn')).continues, true);
    assert.equal(requestViewOf(step('end_turn')).continues, undefined);
    assert.equal(requestViewOf(step(null, { outcome: 'failed', usage: null })).continues, undefined);
    // The iteration limit ends the turn on a tool_use step: the stop says so, nothing goes on.
    assert.equal(requestViewOf(step('tool_use'), { stop: 'The agent stopped after 10 requests.' }).continues, undefined);
  });

  it('put the sign of a negative amount before the dollar sign', () => {
    assert.equal(usd(-0.00408), '-$0.00408');
    assert.equal(usd(0.0123), '$0.0123');
    assert.equal(usd(-1.5), '-$1.5000');
    assert.equal(usd(0), '$0.00000');
  });
});
