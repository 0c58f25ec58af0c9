// Send sessions: one conversation each, remembering its previous request per cache scope; sessions
// with the same cache scope share one model of Anthropic's cache (the real one is shared by a whole
// workspace), so the panel can show what the next request should read and write, and afterwards
// why. The scope belongs to each request: a conversation that moves from the emulator to Anthropic
// is predicted against Anthropic's (cold) cache, not the emulator's.
// Lives in the engine worker (and in process for the CLI): predicting and explaining tokenize the whole request.
import type { CacheTtl, MessagesRequest, Usage } from '../../shared/anthropic';
import { createCacheSimulator } from '../cache/simulator';
import type { CacheOutcome, CacheSimulator } from '../cache/types';
import { costOf, type CostResult } from '../cost/cost';
import { parseUsage } from '../cost/usage';
import { explainBust } from '../explain/bust';
import { explainOutcome } from '../explain/explain';
import type { ModelInfo, ModelTable } from '../models/types';
import type { PredictedSend, SendRecordRequest, SendRecordResult } from './engineProtocol';
import { Lru } from '../tokens/lru';
import { costView } from '../cost/costView';
import { calibrationSample, type CalibrationSample } from './calibrationSample';
import { predictionSentence } from './wording';
import { seededScopes } from './cacheSeed';

/** Sessions kept at once; the least recently used one is dropped (its next record says so). */
export const MAX_SESSIONS = 32;

interface Previous {
  request: MessagesRequest;
  atMs: number;
  outcome: CacheOutcome;
  responseStartedAtMs?: number;
}

interface Session {
  /** The previous successful request in each cache scope the conversation has used. */
  previous: Map<string, Previous>;
}

/** The TTL of the request's last breakpoint: what unsplit writes in a reported usage were asked for. */
function lastTtl(outcome: CacheOutcome): CacheTtl | undefined {
  return outcome.breakpoints[outcome.breakpoints.length - 1]?.ttl;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

function tryCost(usage: Usage, model: ModelInfo, ttl: CacheTtl | undefined): { cost?: CostResult; error?: string } {
  try {
    return { cost: costOf(usage, model, ttl ? { requestedTtl: ttl } : {}) };
  } catch (err) {
    return { error: message(err) };
  }
}

const LOST =
  " The worker had no cache state for this session (it restarted, or the session was dropped after too many others), so this was explained as the session's first request.";

const LOST_SEEDED =
  " The worker had no cache state for this session (it restarted, or the session was dropped after too many others): the cache model was rebuilt from the ledger's recent records, without this session's previous request to compare with.";

export class SendSessions {
  private readonly sessions: Lru<string, Session>;
  private readonly caches: Lru<string, CacheSimulator>;
  /** Cache scopes whose model was seeded from the ledger (it knows what the server held before this process). */
  private readonly seeded = new Set<string>();
  /** The table of the latest call: simulators read models through it, so a settings change applies. */
  private models: ModelTable | undefined;
  private readonly liveModels: ModelTable = {
    resolve: (id) => this.table().resolve(id),
    tryResolve: (id) => this.table().tryResolve(id),
    all: () => this.table().all(),
  };

  constructor(capacity = MAX_SESSIONS) {
    this.sessions = new Lru(capacity);
    this.caches = new Lru(capacity);
  }

  has(sessionId: string): boolean {
    return this.sessions.get(sessionId) !== undefined;
  }

  /** Forgets the conversation; a cache model only this session used (its default scope) goes too. */
  reset(sessionId: string): void {
    this.sessions.delete(sessionId);
    this.caches.delete(sessionId);
  }

  /**
   * Seeds the cache models of scopes that persist across reloads with what the ledger's records
   * left in the server's cache (records of other scopes are skipped). Adds to what a model already
   * holds, so seeding twice, or after requests of this process, changes nothing it knew.
   */
  seed(records: readonly unknown[], models: ModelTable): { scopes: number; replayed: number; skipped: number } {
    this.models = models;
    const { entries, replayed, skipped } = seededScopes(records, models);
    for (const [scope, list] of entries) {
      this.cache(scope).seed(list);
      this.seeded.add(scope);
    }
    return { scopes: entries.size, replayed, skipped };
  }

  /**
   * What `request` sent at `atMs` should read and write given this session's history (no state
   * changes beyond creating the session). Throws UnknownModelError for an unknown model.
   */
  predict(sessionId: string, request: MessagesRequest, atMs: number, models: ModelTable, cacheScope?: string): PredictedSend {
    this.models = models;
    const model = models.resolve(request.model);
    this.session(sessionId);
    const outcome = this.cache(cacheScope || sessionId).predict(request, atMs);
    const usage: Usage = { ...outcome.usage, output_tokens: 0 };
    const { cost, error } = tryCost(usage, model, lastTtl(outcome));
    return {
      usage,
      ...(cost ? { costUsd: cost.total } : {}),
      costExact: cost?.exact ?? false,
      sentence: predictionSentence(usage, cost?.total, error),
    };
  }

  /**
   * Commits a sent request to the session's cache model and explains the reported usage against
   * the prediction made just before committing. Never throws for bad input: the result says why.
   */
  record(r: SendRecordRequest, models: ModelTable): SendRecordResult {
    this.models = models;
    const lost = !this.has(r.sessionId);
    const session = this.session(r.sessionId);
    const scope = r.cacheScope || r.sessionId;
    const sim = this.cache(scope);
    const note = lost ? (this.seeded.has(scope) ? LOST_SEEDED : LOST) : '';
    let model: ModelInfo;
    try {
      model = models.resolve(typeof r.request.model === 'string' ? r.request.model : r.defaultModel);
    } catch (err) {
      return notExplained(`the model is unknown: ${message(err)}`, note, lost);
    }
    const request = typeof r.request.model === 'string' ? r.request : { ...r.request, model: model.id };
    // commit evaluates the request against the entries as they were, then applies it: its outcome
    // is exactly what predict would have said just before (one walk of the request, not two).
    const outcome = sim.commit(request, r.atMs, r.responseStartedAtMs !== undefined ? { availableAtMs: r.responseStartedAtMs } : {});
    const predicted = outcome;
    const previous = session.previous.get(scope);
    // A busted request is a one-off detour: the next one is compared with the last request without a nonce.
    if (!r.bust) session.previous.set(scope, { request, atMs: r.atMs, outcome, ...(r.responseStartedAtMs !== undefined ? { responseStartedAtMs: r.responseStartedAtMs } : {}) });
    const predictedUsage = { ...predicted.usage, output_tokens: 0 };
    let usage: Usage;
    try {
      usage = parseUsage(r.usage);
    } catch (err) {
      return { ...notExplained(`the reported usage is invalid: ${message(err)}`, note, lost), predictedUsage };
    }
    const e = r.bust ? explainBust(predicted, usage) : explainOutcome({ request, atMs: r.atMs, model, models, predicted, actualUsage: usage, previous, diagnostics: r.diagnostics ?? null });
    const { cost, error } = tryCost(usage, model, lastTtl(predicted));
    const costNote = error ? ` Cost not computed: ${error}` : '';
    return {
      explanation: { kind: e.kind, sentence: e.sentence + note + costNote, ...(e.tokensMissed !== undefined ? { tokensMissed: e.tokensMissed } : {}) },
      ...(cost ? { cost: costView(cost) } : { costError: error }),
      predictedUsage,
      sessionLost: lost,
      // Tokenizes the whole request: only when the usage is Anthropic's (the emulator's is an estimate itself).
      ...(r.calibrate ? withSample(calibrationSample(request, usage, model)) : {}),
    };
  }

  private session(sessionId: string): Session {
    let s = this.sessions.get(sessionId);
    if (!s) {
      s = { previous: new Map() };
      this.sessions.set(sessionId, s);
      // A session-private cache model left from before the session was dropped is stale.
      this.caches.delete(sessionId);
    }
    return s;
  }

  private cache(scope: string): CacheSimulator {
    let sim = this.caches.get(scope);
    if (!sim) {
      sim = createCacheSimulator({ models: this.liveModels });
      this.caches.set(scope, sim);
      // A seeded model dropped after too many others comes back empty.
      this.seeded.delete(scope);
    }
    return sim;
  }

  private table(): ModelTable {
    if (!this.models) throw new Error('no model table yet'); // unreachable: set before any simulator call
    return this.models;
  }
}

const withSample = (sample: CalibrationSample | undefined) => (sample ? { calibrationSample: sample } : {});

function notExplained(why: string, note: string, lost: boolean): SendRecordResult {
  return {
    explanation: { kind: 'not-explained', sentence: `Not explained, and no cost: ${why.replace(/\.$/, '')}.${note}` },
    costError: why,
    sessionLost: lost,
  };
}
