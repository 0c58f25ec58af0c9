// The Clear Caches… quick pick, as data: which actions exist for the backend in use and how to
// say honestly what each does. The host shows the items and runs the one picked by its `id`.
// Wording rules: nobody can delete Anthropic's server cache (no API does; entries expire after
// their TTL since last use), so it is never offered as "clear"; what is offered is to make the
// next request write afresh. Offline, the emulator's cache is ours to reset, and "Anthropic" is
// never named. Expiry times are the extension's model of the cache (from its own requests):
// other clients on the same workspace can keep an entry alive longer, which the wording admits.
import type { BackendKind } from '../ports';

export type CacheTier = 'system' | 'context' | 'conversation';

export const CACHE_TIERS: readonly CacheTier[] = ['system', 'context', 'conversation'];

export interface TierExpiry {
  tier: CacheTier;
  /** Epoch ms the tier's entry expires (its TTL after the last request that used it); null: no entry. */
  expiresAtMs: number | null;
  ttl?: '5m' | '1h';
}

export interface ClearCachesInput {
  backend: BackendKind;
  /** Entries in the local response cache (answers replayed without a request). */
  localCacheEntries: number;
  /** Records of the current session. */
  sessionRecords: number;
  /** The prompt the bust applies to (the active one); omitted: no bust item. `bustPending`: one is already asked for. */
  prompt?: { id: string; label: string; bustPending?: boolean };
  timeline: readonly TierExpiry[];
  /** On the cache's clock (offline: the emulator's). */
  nowMs: number;
  /** Offline: how far the emulator's clock runs ahead of real time. */
  clockOffsetMs?: number;
}

export type ClearCachesAction =
  | 'about-server-cache'
  | 'clear-local-cache'
  | 'reset-session'
  | 'bust-next-request'
  | 'reset-emulator-cache'
  | 'advance-emulator-clock'
  | 'show-expiry';

export interface ClearCachesItem {
  id: ClearCachesAction;
  label: string;
  detail: string;
  /** Information only: picking it changes nothing (the host may just close the pick). */
  infoOnly?: true;
  /** reset-session: ask "Export Stats first?" before resetting. */
  offerExport?: true;
  /** bust-next-request: the prompt whose next request gets a one-off nonce block. */
  promptId?: string;
}

/** "4 min 12 s", "1 h 3 min", "40 s". */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${Math.floor(m / 60)} h`;
}

/** One tier's state in words: "system (1h): warm, expires in 42 min". */
export function expiryLine(e: TierExpiry, nowMs: number): string {
  const name = e.ttl ? `${e.tier} (${e.ttl})` : e.tier;
  if (e.expiresAtMs === null) return `${name}: no entry`;
  const left = e.expiresAtMs - nowMs;
  return left > 0 ? `${name}: warm, expires in ${duration(left)}` : `${name}: expired ${duration(-left)} ago`;
}

const cacheName = (backend: BackendKind): string => (backend === 'offline' ? "the offline emulator's cache" : "Anthropic's cache");

function expiryItem(input: ClearCachesInput): ClearCachesItem {
  const byTier = new Map(input.timeline.map((e) => [e.tier, e]));
  const lines = CACHE_TIERS.map((tier) => expiryLine(byTier.get(tier) ?? { tier, expiresAtMs: null }, input.nowMs));
  const ahead = input.clockOffsetMs ? `, which runs ${duration(input.clockOffsetMs)} ahead of real time` : '';
  const basis = input.backend === 'offline'
    ? `on the emulator's clock${ahead}`
    : 'as far as this window knows: another client using the same prefix keeps an entry alive longer';
  return { id: 'show-expiry', label: 'When each tier’s cache entry expires', detail: `${lines.join(' · ')} (${basis})`, infoOnly: true };
}

function bustItem(input: ClearCachesInput, prompt: { id: string; label: string; bustPending?: boolean }): ClearCachesItem {
  const where = cacheName(input.backend);
  const pending = prompt.bustPending ? ' Already asked for: it applies to the next request.' : '';
  return {
    id: 'bust-next-request',
    label: `Make the next request of ${prompt.label} write afresh (cold start)`,
    detail: `${where[0]?.toUpperCase()}${where.slice(1)} is keyed by the exact prefix. The next request (send, agent turn or pre-warm) only gets a one-off nonce before its first breakpoint, so it reads nothing and writes every tier anew (billed as a full write); it is used up once a request is answered (a failed one leaves it for the next). The prompt itself is unchanged, and later requests may read the old entries again while they live.${pending}`,
    promptId: prompt.id,
  };
}

/** The quick pick of how far to move the emulator's clock: past the 5m TTL, past the 1h TTL, or a number typed. */
export interface AdvanceChoice {
  minutes: number | 'custom';
  label: string;
  detail: string;
}

export const ADVANCE_CHOICES: readonly AdvanceChoice[] = [
  { minutes: 6, label: '6 minutes', detail: 'Past the 5-minute TTL: 5m entries expire, 1h entries stay warm.' },
  { minutes: 61, label: '61 minutes', detail: 'Past the 1-hour TTL: every entry expires.' },
  { minutes: 'custom', label: 'Custom…', detail: 'Type a number of minutes.' },
];

/** At most ten years in one step (the emulator's own limit, backends/emulator/control.ts). */
export const MAX_ADVANCE_MINUTES = 10 * 365 * 24 * 60;

/** Why a typed number of minutes cannot be used, or undefined; e.g. "6", "90", "0.5". */
export function badAdvanceMinutes(text: string): string | undefined {
  const t = text.trim();
  const m = Number(t);
  if (t === '' || !Number.isFinite(m)) return 'Type a number of minutes, e.g. 6 or 61.';
  if (m <= 0) return 'The clock only moves forward: type a number of minutes above 0.';
  if (m > MAX_ADVANCE_MINUTES) return `At most ${MAX_ADVANCE_MINUTES.toLocaleString('en-US')} minutes (ten years) in one step.`;
  return undefined;
}

/** What happened, in words, after the emulator's clock moved `minutes` (now `offsetMs` ahead in total). */
export function advancedSentence(minutes: number, offsetMs: number): string {
  return `the offline emulator's clock moved ${duration(minutes * 60_000)} ahead (in total ${duration(offsetMs)} ahead of real time, until the emulator is reset or restarts): entries whose TTL ran out in that time have expired there, and the forecast, the cache timeline and the Prompts view follow the emulator's clock`;
}

function anthropicItems(): ClearCachesItem[] {
  return [{
    id: 'about-server-cache',
    label: "Anthropic's server cache cannot be deleted",
    detail: 'No one can delete it, not even with the API: each entry expires on its own 5 minutes or 1 hour (its TTL) after the last request that used it.',
    infoOnly: true,
  }];
}

function offlineItems(): ClearCachesItem[] {
  return [
    { id: 'reset-emulator-cache', label: "Reset the offline emulator's cache", detail: 'Forgets every entry the emulator holds: the next request of any prompt writes afresh.' },
    { id: 'advance-emulator-clock', label: "Advance the emulator's clock…", detail: 'Moves the emulator’s time forward (e.g. 6 minutes or 61 minutes) so entries expire as they would after a real pause; no waiting.' },
  ];
}

export function clearCachesItems(input: ClearCachesInput): ClearCachesItem[] {
  const items = input.backend === 'offline' ? offlineItems() : anthropicItems();
  if (input.localCacheEntries > 0) {
    const n = input.localCacheEntries;
    items.push({ id: 'clear-local-cache', label: 'Clear the local response cache', detail: `Deletes ${n} stored answer${n === 1 ? '' : 's'} on this machine, so repeated requests go to ${input.backend === 'offline' ? 'the emulator' : 'Anthropic'} again. It does not touch ${cacheName(input.backend)}.` });
  }
  if (input.prompt) items.push(bustItem(input, input.prompt));
  if (input.sessionRecords > 0) {
    const n = input.sessionRecords;
    items.push({ id: 'reset-session', label: 'Reset the current session’s stats', detail: `Starts a new session: the panel and status bar count from zero. The ${n} request${n === 1 ? '' : 's'} so far stay in the ledger; you are offered an export first. No cache is touched.`, offerExport: true });
  }
  items.push(expiryItem(input));
  return items;
}
