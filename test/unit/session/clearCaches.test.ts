import { strict as assert } from 'node:assert';
import { ADVANCE_CHOICES, advancedSentence, badAdvanceMinutes, clearCachesItems, duration, expiryLine, type ClearCachesInput } from '../../../src/core/session/clearCaches';

const NOW = Date.UTC(2026, 11, 1, 9, 0, 0);
const base = (over: Partial<ClearCachesInput> = {}): ClearCachesInput => ({
  backend: 'anthropic',
  localCacheEntries: 3,
  sessionRecords: 12,
  prompt: { id: 'support-agent', label: 'Support agent' },
  timeline: [
    { tier: 'system', ttl: '1h', expiresAtMs: NOW + 42 * 60_000 },
    { tier: 'context', ttl: '5m', expiresAtMs: NOW - 3 * 60_000 },
  ],
  nowMs: NOW,
  ...over,
});
const ids = (input: ClearCachesInput) => clearCachesItems(input).map((i) => i.id);
const text = (input: ClearCachesInput) => clearCachesItems(input).map((i) => `${i.label}\n${i.detail}`).join('\n');

describe('Clear Caches: the quick pick items', () => {
  it('anthropic: says the server cache cannot be deleted, offers what can be done', () => {
    assert.deepEqual(ids(base()), ['about-server-cache', 'clear-local-cache', 'bust-next-request', 'reset-session', 'show-expiry']);
    const items = clearCachesItems(base());
    const about = items[0];
    assert.equal(about?.infoOnly, true);
    assert.match(about?.detail ?? '', /expires on its own 5 minutes or 1 hour/);
    assert.doesNotMatch(text(base()), /clear Anthropic|delete Anthropic's cache|emulator/i);
    const bust = items.find((i) => i.id === 'bust-next-request');
    assert.equal(bust?.promptId, 'support-agent');
    assert.match(bust?.detail ?? '', /^Anthropic's cache is keyed by the exact prefix.*one-off nonce before its first breakpoint.*used up once a request is answered \(a failed one leaves it for the next\).*The prompt itself is unchanged/);
    const reset = items.find((i) => i.id === 'reset-session');
    assert.equal(reset?.offerExport, true);
    assert.match(reset?.detail ?? '', /The 12 requests so far stay in the ledger; you are offered an export first/);
    assert.match(items.find((i) => i.id === 'clear-local-cache')?.detail ?? '', /Deletes 3 stored answers.*go to Anthropic again.*does not touch Anthropic's cache/);
  });

  it('offline: the emulator can be reset and its clock advanced; Anthropic is never named', () => {
    const input = base({ backend: 'offline' });
    assert.deepEqual(ids(input), ['reset-emulator-cache', 'advance-emulator-clock', 'clear-local-cache', 'bust-next-request', 'reset-session', 'show-expiry']);
    assert.doesNotMatch(text(input), /anthropic/i);
    assert.match(text(input), /The offline emulator's cache is keyed by the exact prefix/);
    assert.match(text(input), /on the emulator's clock/);
  });

  it('leaves out what does not apply: an empty local cache, an empty session, no prompt', () => {
    assert.deepEqual(ids(base({ localCacheEntries: 0, sessionRecords: 0, prompt: undefined })), ['about-server-cache', 'show-expiry']);
    const one = clearCachesItems(base({ localCacheEntries: 1, sessionRecords: 1 }));
    assert.match(one.find((i) => i.id === 'clear-local-cache')?.detail ?? '', /Deletes 1 stored answer on/);
    assert.match(one.find((i) => i.id === 'reset-session')?.detail ?? '', /The 1 request so far/);
  });

  it('shows when each tier expires, warm or expired, and tiers with no entry', () => {
    const show = clearCachesItems(base()).find((i) => i.id === 'show-expiry');
    assert.equal(show?.infoOnly, true);
    assert.equal(
      show?.detail,
      'system (1h): warm, expires in 42 min · context (5m): expired 3 min ago · conversation: no entry (as far as this window knows: another client using the same prefix keeps an entry alive longer)',
    );
    assert.equal(expiryLine({ tier: 'conversation', ttl: '5m', expiresAtMs: NOW + 252_000 }, NOW), 'conversation (5m): warm, expires in 4 min 12 s');
    assert.deepEqual([duration(40_000), duration(3_780_000), duration(3_600_000), duration(-5)], ['40 s', '1 h 3 min', '1 h', '0 s']);
  });

  it('a bust already asked for says so; offline, the expiry item names how far the emulator runs ahead', () => {
    const pending = clearCachesItems(base({ prompt: { id: 'support-agent', label: 'Support agent', bustPending: true } })).find((i) => i.id === 'bust-next-request');
    assert.match(pending?.detail ?? '', /Already asked for: it applies to the next request\.$/);
    const show = clearCachesItems(base({ backend: 'offline', clockOffsetMs: 6 * 60_000 })).find((i) => i.id === 'show-expiry');
    assert.match(show?.detail ?? '', /\(on the emulator's clock, which runs 6 min ahead of real time\)$/);
    assert.match(clearCachesItems(base({ backend: 'offline', clockOffsetMs: 0 })).find((i) => i.id === 'show-expiry')?.detail ?? '', /\(on the emulator's clock\)$/);
  });

  it('advancing the clock: 6 min passes the 5m TTL, 61 min the 1h TTL; typed minutes are checked', () => {
    assert.deepEqual(ADVANCE_CHOICES.map((c) => c.minutes), [6, 61, 'custom']);
    assert.equal(badAdvanceMinutes('6'), undefined);
    assert.equal(badAdvanceMinutes(' 0.5 '), undefined);
    for (const bad of ['', 'abc', '-3', '0', 'Infinity', '1e12']) assert.ok(badAdvanceMinutes(bad), `"${bad}" is refused`);
    assert.match(badAdvanceMinutes('-3') ?? '', /only moves forward/);
    assert.match(advancedSentence(6, 67 * 60_000), /moved 6 min ahead \(in total 1 h 7 min ahead of real time, until the emulator is reset or restarts\)/);
    assert.doesNotMatch(advancedSentence(6, 6 * 60_000), /anthropic/i);
  });
});
