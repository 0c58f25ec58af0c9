// After a response: compare predicted and actual usage and name the cause of a miss or partial
// hit in one plain sentence (design: ledger → explain).
import type { CacheTtl, Diagnostics, MessagesRequest, Usage } from '../../shared/anthropic';
import type { CacheNote, CacheOutcome } from '../cache/types';
import type { ModelInfo, ModelTable } from '../models/types';
import { toolUseOverheadTokens } from '../cache/toolOverhead';
import { cacheWriteTokens } from '../cost/usage';
import { stableStringify } from '../request/canonical';
import { describeLocation, firstDifference, flatNoTokens, locate, type BlockLocation, type ExplainSources, type FlatBlock } from './diff';
import { apiReasonSentence, duration, n, split } from './format';
import { newTurnOnly } from './newTurn';

export type ExplanationKind =
  | 'hit'
  | 'partial-hit'
  | 'first-request'
  | 'no-breakpoints'
  | 'below-minimum'
  | 'model-changed'
  | 'tools-changed'
  | 'tool-choice-changed'
  | 'settings-changed'
  | 'prefix-changed'
  | 'new-conversation'
  | 'ttl-expired'
  | 'lookback-exceeded'
  | 'concurrent'
  | 'api-diagnostics'
  | 'prediction-mismatch'
  | 'cache-bust';

export interface ExplainInput {
  /** The request as sent (with its cache_control). */
  request: MessagesRequest;
  atMs: number;
  model: ModelInfo;
  /** Resolves the previous request's model id, so an alias and its dated id count as one model. */
  models?: ModelTable;
  /** The simulator's outcome for this request (predict before sending, or commit in replay). */
  predicted: CacheOutcome;
  /** What the API reported; absent when explaining a prediction alone. */
  actualUsage?: Usage;
  /** The previous request of this session; `outcome` gives the tokens it had cached. */
  previous?: { request: MessagesRequest; atMs: number; outcome?: CacheOutcome; responseStartedAtMs?: number };
  sources?: ExplainSources;
  /** The response's `diagnostics` (spec §1.9), when requested. */
  diagnostics?: Diagnostics | null;
}

export interface Explanation {
  kind: ExplanationKind;
  sentence: string;
  /** Tokens that were cached before but not read this time. */
  tokensMissed?: number;
  block?: BlockLocation;
}

const reads = (u: Usage | undefined) => u?.cache_read_input_tokens ?? 0;
const writes = cacheWriteTokens;

export function explainOutcome(input: ExplainInput): Explanation {
  const local = explainPrediction(input);
  const actual = input.actualUsage;
  const reason = input.diagnostics?.cache_miss_reason;
  if (reason && actual) {
    const sentence = apiReasonSentence(reason);
    const detail = local.block ? ` Locally: ${describeLocation(local.block)}.` : '';
    const missed = (reason as { cache_missed_input_tokens?: unknown }).cache_missed_input_tokens;
    return { kind: 'api-diagnostics', sentence: sentence + detail, ...(typeof missed === 'number' ? { tokensMissed: missed } : {}), ...(local.block ? { block: local.block } : {}) };
  }
  if (actual && differs(reads(input.predicted.usage), reads(actual))) return mismatch(input, local, actual);
  return local;
}

/** Token estimates are approximate: only a read that appears, vanishes or moves by >25% is a mismatch. */
function differs(predicted: number, actual: number): boolean {
  if ((predicted === 0) !== (actual === 0)) return true;
  return predicted > 0 && (actual / predicted > 1.25 || actual / predicted < 0.75);
}

function mismatch(input: ExplainInput, local: Explanation, actual: Usage): Explanation {
  const p = reads(input.predicted.usage);
  const a = reads(actual);
  const head = `Prediction said ${n(p)} tokens read, API reported ${n(a)}`;
  const why =
    a < p
      ? 'no known cause: the prefix and settings match an entry that should still be live; it may have been evicted early, or the token estimate is off near the minimum'
      : 'the API found an entry the simulator did not know about (another request in the same workspace may have written it)';
  return { kind: 'prediction-mismatch', sentence: `${head}: ${why}.`, ...(a < p ? { tokensMissed: p - a } : {}), ...(local.block ? { block: local.block } : {}) };
}

function explainPrediction(input: ExplainInput): Explanation {
  const { predicted } = input;
  const u = predicted.usage;
  if (predicted.breakpoints.length === 0) return noBreakpoints(input.request);
  if (predicted.breakpoints.every((b) => b.result === 'below-minimum')) return belowMinimum(input);
  // A cause is only named for tokens actually lost: a settings or model difference from the
  // previous request that still read everything cached before (e.g. back to a model whose
  // entries are live, or a setting that does not invalidate) is not a miss.
  if (reads(u) === 0 || reads(u) < cachedBefore(input)) {
    const cause = missCause(input);
    if (cause) return cause;
  }
  if (reads(u) === 0) {
    return { kind: 'first-request', sentence: `First request with this prefix: wrote ${n(writes(u))} tokens${split(u)}; nothing to read yet.` };
  }
  if (writes(u) === 0) {
    const pct = Math.round((100 * reads(u)) / Math.max(1, predicted.totalInputTokens));
    return { kind: 'hit', sentence: `Read ${n(reads(u))} tokens from cache (${pct}% of input); nothing new to write.` };
  }
  return { kind: 'partial-hit', sentence: `Read ${n(reads(u))} cached tokens and wrote ${n(writes(u))} new ones${split(u)}: the prefix grew since the last write.` };
}

function missCause(input: ExplainInput): Explanation | undefined {
  const previous = input.previous;
  return (previous ? settingsChange(previous.request, input) : undefined) ?? fromNotes(input) ?? (previous ? newTurnOnly(input, previous) ?? prefixChange(input) : undefined);
}

function noBreakpoints(request: MessagesRequest): Explanation {
  if (request.cache_control) {
    return {
      kind: 'no-breakpoints',
      sentence: 'Automatic caching (top-level cache_control) found no eligible block: it walks back past thinking and empty text blocks and none was left, so caching was skipped.',
    };
  }
  return { kind: 'no-breakpoints', sentence: 'No cache_control in this request: nothing was read from or written to the cache.' };
}

/** Canonical model id (alias → id) so `claude-sonnet-4-5` and its dated id compare equal. */
export function resolvedModelId(input: ExplainInput, id: string): string {
  if (id === input.model.id || input.model.aliases.includes(id)) return input.model.id;
  return input.models?.tryResolve(id)?.id ?? id;
}

function belowMinimum(input: ExplainInput): Explanation {
  const last = input.predicted.breakpoints[input.predicted.breakpoints.length - 1];
  const min = input.predicted.minCacheableTokens ?? input.model.minCacheableTokens ?? 0;
  const unconfirmed = input.predicted.minimumConfirmed === false ? ' (that minimum is unconfirmed for this model)' : '';
  return {
    kind: 'below-minimum',
    sentence: `The cacheable prefix is ${n(last?.prefixTokens ?? 0)} tokens, below the ${n(min)}-token minimum for ${input.model.id}${unconfirmed}: Anthropic processes it uncached, without an error.`,
  };
}

/**
 * The longest prefix the previous request left cached, restated with this request's tool-use
 * overhead (§3.2; it differs with tool_choice or model), so it compares with this request's reads.
 */
function cachedBefore(input: ExplainInput): number {
  const prev = input.previous;
  const bps = prev?.outcome?.breakpoints ?? [];
  const before = bps.reduce((m, b) => (b.result === 'below-minimum' ? m : Math.max(m, b.prefixTokens)), 0);
  if (!prev || before === 0) return 0;
  const prevModel = input.models?.tryResolve(prev.request.model) ?? input.model;
  return Math.max(0, before - toolUseOverheadTokens(prevModel, prev.request) + toolUseOverheadTokens(input.model, input.request));
}

function missed(input: ExplainInput, tokens: number): number {
  return Math.max(0, tokens - reads(input.predicted.usage));
}

function settingsChange(prev: MessagesRequest, input: ExplainInput): Explanation | undefined {
  const cur = input.request;
  const before = cachedBefore(input);
  const lost = before ? { tokensMissed: missed(input, before) } : {};
  const prevId = resolvedModelId(input, prev.model);
  const curId = resolvedModelId(input, cur.model);
  if (prevId !== curId) {
    return { kind: 'model-changed', sentence: `Model changed from ${prev.model} to ${cur.model}: the cache is per model, so nothing cached for ${prev.model} could be read.`, ...lost };
  }
  const a = flatNoTokens({ ...prev, messages: [], system: [] }, curId);
  const b = flatNoTokens({ ...cur, messages: [], system: [] }, curId);
  const d = firstDifference(a, b);
  if (d >= 0) {
    const name = (JSON.parse((b[d] ?? a[d])?.canonical ?? '{}') as { name?: string }).name;
    const which = a.length !== b.length ? `${a.length} → ${b.length} tools` : `tool '${name ?? d}' differs`;
    return { kind: 'tools-changed', sentence: `Tool definitions changed (${which}): tools come first in the prefix, so every cache entry of this prompt was invalidated.`, ...lost, block: { index: d, tier: 'tools' } };
  }
  const tc = (r: MessagesRequest) => JSON.stringify(r.tool_choice ?? null);
  if (tc(prev) !== tc(cur)) {
    return { kind: 'tool-choice-changed', sentence: `tool_choice changed from ${tc(prev)} to ${tc(cur)}: the messages cache is invalidated (tools and system entries still hold).`, ...lost };
  }
  // §1.6: of output_config only `effort` invalidates (format etc. do not).
  const effort = (r: MessagesRequest) => (r.output_config as { effort?: unknown } | undefined)?.effort ?? null;
  const settings: Array<[string, (r: MessagesRequest) => unknown]> = [
    ['thinking', (r) => r.thinking ?? null],
    ['speed', (r) => r.speed ?? null],
    ['output_config.effort', effort],
  ];
  for (const [key, get] of settings) {
    if (stableStringify(get(prev)) !== stableStringify(get(cur))) {
      return { kind: 'settings-changed', sentence: `The '${key}' setting changed: Anthropic invalidates the cached messages (and, for speed, the system prompt) when it changes.`, ...lost };
    }
  }
  return undefined;
}

function fromNotes(input: ExplainInput): Explanation | undefined {
  const notes = input.predicted.notes ?? [];
  const pick = <K extends CacheNote['kind']>(k: K) => notes.find((x): x is Extract<CacheNote, { kind: K }> => x.kind === k);
  const pending = pick('pending');
  if (pending) {
    return {
      kind: 'concurrent',
      sentence: `Sent ${duration(pending.availableAtMs - input.atMs)} before the response that writes this prefix began: a cache entry only becomes available after the first response begins, so ${n(pending.prefixTokens)} tokens were written again. Wait for the first response before sending parallel requests.`,
      tokensMissed: missed(input, pending.prefixTokens),
    };
  }
  const expired = pick('expired');
  if (expired) return ttlExpired(input, expired.ttl, expired.expiredAtMs, expired.prefixTokens);
  const far = pick('beyond-lookback');
  if (far) {
    return {
      kind: 'lookback-exceeded',
      sentence: `The cached prefix ends at block ${far.blockIndex}, ${far.nearestBreakpoint - far.blockIndex} blocks before the breakpoint at block ${far.nearestBreakpoint}: Anthropic looks back at most 20 blocks per breakpoint, so ${n(far.prefixTokens)} cached tokens were not found. Add a breakpoint within 20 blocks of the previous one.`,
      tokensMissed: missed(input, far.prefixTokens),
    };
  }
  return undefined;
}

function ttlExpired(input: ExplainInput, ttl: CacheTtl, expiredAtMs: number, tokens: number): Explanation {
  const late = duration(input.atMs - expiredAtMs);
  return {
    kind: 'ttl-expired',
    sentence: `The ${ttl} cache entry (${n(tokens)} tokens) expired ${late} before this request (its lifetime counts from the start of the last request that wrote or read it), so it was written again.`,
    tokensMissed: missed(input, tokens),
  };
}

/** Both tool_use blocks, identical once keys are sorted (§1.6: unstable key order is a silent miss). */
function sameInputReordered(a: FlatBlock | undefined, b: FlatBlock | undefined): boolean {
  if (!a || !b || a.type !== 'tool_use' || b.type !== 'tool_use' || a.canonical === b.canonical) return false;
  return stableStringify(JSON.parse(a.canonical)) === stableStringify(JSON.parse(b.canonical));
}

function prefixChange(input: ExplainInput): Explanation | undefined {
  const prev = input.previous;
  if (!prev) return undefined;
  // Same model by now (a model change is reported earlier): key both with the current id.
  const before = flatNoTokens(prev.request, input.model.id);
  const after = flatNoTokens(input.request, input.model.id);
  const lastPrevBp = before.reduce((m, b) => (b.cacheControl ? b.index : m), prev.request.cache_control ? before.length - 1 : -1);
  // Keys fold in the model; a model change is reported before this point.
  const d = firstDifference(before, after);
  if (d < 0 || d > lastPrevBp || d >= before.length) return undefined;
  const loc = locate(d, before, after, input.sources);
  if (!loc) return undefined;
  const lost = cachedBefore(input);
  const tokens = lost ? ` ${n(missed(input, lost))} previously cached tokens were not read.` : '';
  const why = sameInputReordered(before[d], after[d])
    ? ': the same tool_use input with keys in a different order: serialise inputs with a stable key order (the cache compares bytes, so {"a":1,"b":2} and {"b":2,"a":1} differ)'
    : ': everything from there on no longer matches the cached prefix';
  return {
    kind: 'prefix-changed',
    sentence: `The prompt changed at ${describeLocation(loc)}${why}.${tokens}`,
    ...(lost ? { tokensMissed: missed(input, lost) } : {}),
    block: loc,
  };
}
