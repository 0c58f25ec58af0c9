// Host side of the engine worker: ordered, coalescing requests (token counts, cache plans and
// send sessions), one automatic restart on a crash.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { PlanRequest, PlanViewResult, SeedCachesRequest, SendPlanRequest, SendPlanResult, SendRecordRequest, SendRecordResult, WorkerRequest, WorkerResponse } from '../core/session/engineProtocol';

export type { PlanRequest, PlanViewResult, SendPlanRequest, SendPlanResult, SendRecordRequest, SendRecordResult } from '../core/session/engineProtocol';

export interface TokenCountResult {
  /** Raw o200k_base tokens (apply the model's calibration factor for an estimate). */
  rawTokens: number;
  /** Counting time inside the worker. */
  ms: number;
}

export interface EngineClientOptions {
  /** Passed to the Worker, e.g. `['--import', 'tsx']` to run the TypeScript source in tests. */
  execArgv?: string[];
  resourceLimits?: WorkerOptions['resourceLimits'];
  /** Called with every worker started (tests use it to simulate a crash). */
  onSpawn?: (worker: Worker) => void;
  /**
   * What the worker's cache models start from (the ledger's recent records): asked for each time
   * a worker starts, a restart included, and posted before any other request.
   */
  seed?: () => SeedCachesRequest | undefined;
}

/** A newer request of the same kind for the same document replaced this one before it was sent. */
export class SupersededError extends Error {
  constructor(docKey: string, what = 'token count') {
    super(`${what} for '${docKey}' was superseded by a newer request`);
    this.name = 'SupersededError';
  }
}

/**
 * VS Code hands out settings as read-only proxies, which postMessage cannot clone; a JSON round
 * trip makes them plain. Values JSON cannot hold are passed as they are (validation reports them).
 */
function plainJson(value: unknown): unknown {
  if (value === undefined || value === null || typeof value !== 'object') return value;
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return value;
  }
}

interface Pending {
  id: number;
  /** Requests with equal keys coalesce: a newer one drops a queued older one. None: never dropped. */
  key: string | undefined;
  /** What SupersededError names, e.g. `token count for 'doc'`. */
  what: string;
  subject: string;
  message: WorkerRequest;
  /** Settles the caller's promise from the worker's answer. */
  settle: (msg: WorkerResponse) => void;
  reject: (e: Error) => void;
}

/**
 * One worker, one request in flight at a time: results come back in request order. A request
 * still queued when a newer one for the same document arrives is dropped (rejected with
 * SupersededError). If the worker dies, it is restarted once and the in-flight request retried;
 * a second death rejects everything with an error saying so.
 * A plan that kills the worker (e.g. out of memory) is retried once like a count.
 */
export class EngineClient {
  private worker: Worker | undefined;
  private readonly queue: Pending[] = [];
  private inFlight: Pending | undefined;
  private nextId = 1;
  private restartsLeft = 1;
  private failure: Error | undefined;

  constructor(
    private readonly workerPath: string,
    private readonly options: EngineClientOptions = {},
  ) {}

  count(docKey: string, text: string): Promise<TokenCountResult> {
    return this.enqueue(`count:${docKey}`, 'token count', docKey, (id) => ({ type: 'count', id, docKey, text }), (msg, resolve, reject) => {
      if (msg.type === 'counted') resolve({ rawTokens: msg.rawTokens, ms: msg.ms });
      else reject(new Error(`token counting failed: ${msg.type === 'failed' ? msg.message : `unexpected answer '${msg.type}'`}`));
    });
  }

  /**
   * The cache plan of a prompt file, computed in the worker. Problems in the prompt, its files or
   * `modelOverrides` come back in the result (`error`, `diagnostics`, `overrideErrors`); the
   * promise rejects only with SupersededError (a newer plan for the same path was queued) or
   * when the worker is unavailable (disposed, or it died twice).
   */
  plan(request: PlanRequest): Promise<PlanViewResult> {
    const plain = { ...request, modelOverrides: plainJson(request.modelOverrides) };
    return this.enqueue(`plan:${request.path}`, 'cache plan', request.path, (id) => ({ type: 'plan', id, request: plain }), (msg, resolve, reject) => {
      if (msg.type === 'planned') resolve(msg.result);
      else reject(new Error(`cache planning failed: ${msg.type === 'failed' ? msg.message : `unexpected answer '${msg.type}'`}`));
    });
  }

  /**
   * The plans of many prompt files in one worker request (a workspace scan), in request order,
   * each exactly what `plan` answers for it. Never superseded; rejects only when the worker is
   * unavailable, like `plan`.
   */
  planMany(requests: PlanRequest[]): Promise<PlanViewResult[]> {
    // The requests of a scan share one settings object: made plain once.
    const plainOf = new Map<unknown, unknown>();
    const plain = requests.map((r) => {
      if (!plainOf.has(r.modelOverrides)) plainOf.set(r.modelOverrides, plainJson(r.modelOverrides));
      return { ...r, modelOverrides: plainOf.get(r.modelOverrides) };
    });
    const subject = `${requests.length} prompt(s)`;
    return this.enqueue(undefined, 'cache plans', subject, (id) => ({ type: 'planMany', id, requests: plain }), (msg, resolve, reject) => {
      if (msg.type === 'plannedMany' && msg.results.length === requests.length) resolve(msg.results);
      else reject(new Error(`cache planning failed: ${msg.type === 'failed' ? msg.message : `unexpected answer '${msg.type}'`}`));
    });
  }

  /**
   * Plans the next request of a send session and predicts its cache usage (see SendPlanResult).
   * Rejects like `plan`: SupersededError when a newer planSend for the same session was queued.
   */
  planSend(request: SendPlanRequest): Promise<SendPlanResult> {
    const plain = { ...request, modelOverrides: plainJson(request.modelOverrides), messages: plainJson(request.messages) as SendPlanRequest['messages'] };
    return this.enqueue(`planSend:${request.sessionId}`, 'send plan', request.sessionId, (id) => ({ type: 'planSend', id, request: plain }), (msg, resolve, reject) => {
      if (msg.type === 'sendPlanned') resolve(msg.result);
      else reject(new Error(`send planning failed: ${msg.type === 'failed' ? msg.message : `unexpected answer '${msg.type}'`}`));
    });
  }

  /**
   * Commits a sent request to its session and explains the reported usage. Never superseded; if
   * the worker lost the session (restart), the result says so (`sessionLost`).
   */
  recordSend(request: SendRecordRequest): Promise<SendRecordResult> {
    const plain = plainJson(request) as SendRecordRequest;
    return this.enqueue(undefined, 'send record', request.sessionId, (id) => ({ type: 'recordSend', id, request: plain }), (msg, resolve, reject) => {
      if (msg.type === 'sendRecorded') resolve(msg.result);
      else reject(new Error(`recording the send failed: ${msg.type === 'failed' ? msg.message : `unexpected answer '${msg.type}'`}`));
    });
  }

  /**
   * Forgets a session's cache model and history (fire and forget), in order with queued requests:
   * a planSend queued before it still sees the old state, one queued after sees a cold cache.
   */
  resetSession(sessionId: string): void {
    // A worker that is not running holds no sessions (a restart loses them).
    if (this.failure || (!this.worker && !this.inFlight && this.queue.length === 0)) return;
    this.enqueue<void>(undefined, 'session reset', sessionId, (id) => ({ type: 'resetSession', id, sessionId }), (_msg, resolve) => resolve()).catch(() => {
      // Only disposal or a dead worker reject it, and both drop every session anyway.
    });
  }

  private enqueue<T>(
    key: string | undefined,
    what: string,
    subject: string,
    message: (id: number) => WorkerRequest,
    settle: (msg: WorkerResponse, resolve: (r: T) => void, reject: (e: Error) => void) => void,
  ): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      const older = key === undefined ? -1 : this.queue.findIndex((p) => p.key === key);
      if (older >= 0) {
        const [dropped] = this.queue.splice(older, 1);
        dropped?.reject(new SupersededError(dropped.subject, dropped.what));
      }
      const id = this.nextId++;
      this.queue.push({ id, key, what, subject, message: message(id), settle: (msg) => settle(msg, resolve, reject), reject });
      this.pump();
    });
  }

  /**
   * Seeds the running worker's cache models again (the ledger finished loading after it started);
   * a worker not yet started is seeded when it starts. Fire and forget, in order with requests.
   */
  seed(): void {
    if (this.worker) this.postSeed(this.worker);
  }

  /** Frees the worker's memo for a closed document. */
  forget(docKey: string): void {
    if (this.worker) this.post({ type: 'forget', docKey });
  }

  dispose(): void {
    const err = new Error('token counter disposed');
    this.failure = err;
    this.rejectAll(err);
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
  }

  private post(msg: WorkerRequest): void {
    this.ensureWorker().postMessage(msg);
  }

  private pump(): void {
    if (this.inFlight || this.failure) return;
    const next = this.queue.shift();
    if (!next) {
      // Idle: the worker must not keep the process alive; busy, it must (a pending count).
      this.worker?.unref();
      return;
    }
    this.inFlight = next;
    this.ensureWorker().ref();
    try {
      this.post(next.message);
    } catch (err) {
      // An uncloneable message (DataCloneError) fails only its own request.
      this.inFlight = undefined;
      next.reject(err as Error);
      this.pump();
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.workerPath, {
      execArgv: this.options.execArgv,
      resourceLimits: this.options.resourceLimits,
    });
    w.on('message', (msg: WorkerResponse) => this.onMessage(msg));
    w.on('error', (err: Error) => this.onDeath(w, err.message));
    w.on('exit', (code: number) => this.onDeath(w, `exit code ${code}`));
    this.worker = w;
    this.options.onSpawn?.(w);
    this.postSeed(w);
    return w;
  }

  private postSeed(w: Worker): void {
    let request: SeedCachesRequest | undefined;
    try {
      request = this.options.seed?.();
      if (request) w.postMessage({ type: 'seedCaches', recordsJson: JSON.stringify(request.records), modelOverrides: plainJson(request.modelOverrides) } satisfies WorkerRequest);
    } catch {
      // A seed that cannot be built or serialised leaves the models cold, as before seeding existed.
    }
  }

  private onMessage(msg: WorkerResponse): void {
    const p = this.inFlight;
    if (!p || p.id !== msg.id) return;
    this.inFlight = undefined;
    p.settle(msg);
    this.pump();
  }

  private onDeath(w: Worker, reason: string): void {
    if (w !== this.worker) return; // already handled (error is followed by exit) or disposed
    this.worker = undefined;
    if (this.restartsLeft > 0) {
      this.restartsLeft--;
      const retry = this.inFlight;
      this.inFlight = undefined;
      if (retry) this.queue.unshift(retry);
      this.pump();
      return;
    }
    this.failure = new Error(`token counter worker stopped twice (${reason}); token counts and cache plans are unavailable until reload`);
    this.rejectAll(this.failure);
  }

  private rejectAll(err: Error): void {
    const all = [...(this.inFlight ? [this.inFlight] : []), ...this.queue.splice(0)];
    this.inFlight = undefined;
    for (const p of all) p.reject(err);
  }
}
