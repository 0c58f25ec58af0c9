// Host side of the token worker: ordered, coalescing requests, one automatic restart on a crash.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { WorkerRequest, WorkerResponse } from './protocol';

export interface TokenCountResult {
  /** Raw o200k_base tokens (apply the model's calibration factor for an estimate). */
  rawTokens: number;
  /** Counting time inside the worker. */
  ms: number;
}

export interface TokenCountClientOptions {
  /** Passed to the Worker, e.g. `['--import', 'tsx']` to run the TypeScript source in tests. */
  execArgv?: string[];
  resourceLimits?: WorkerOptions['resourceLimits'];
  /** Called with every worker started (tests use it to simulate a crash). */
  onSpawn?: (worker: Worker) => void;
}

/** A newer count for the same document replaced this one before it was sent. */
export class SupersededError extends Error {
  constructor(docKey: string) {
    super(`token count for '${docKey}' was superseded by a newer request`);
    this.name = 'SupersededError';
  }
}

interface Pending {
  id: number;
  docKey: string;
  text: string;
  resolve: (r: TokenCountResult) => void;
  reject: (e: Error) => void;
}

/**
 * One worker, one request in flight at a time: results come back in request order. A request
 * still queued when a newer one for the same document arrives is dropped (rejected with
 * SupersededError). If the worker dies, it is restarted once and the in-flight request retried;
 * a second death rejects everything with an error saying so.
 */
export class TokenCountClient {
  private worker: Worker | undefined;
  private readonly queue: Pending[] = [];
  private inFlight: Pending | undefined;
  private nextId = 1;
  private restartsLeft = 1;
  private failure: Error | undefined;

  constructor(
    private readonly workerPath: string,
    private readonly options: TokenCountClientOptions = {},
  ) {}

  count(docKey: string, text: string): Promise<TokenCountResult> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const older = this.queue.findIndex((p) => p.docKey === docKey);
      if (older >= 0) {
        const [dropped] = this.queue.splice(older, 1);
        dropped?.reject(new SupersededError(docKey));
      }
      this.queue.push({ id: this.nextId++, docKey, text, resolve, reject });
      this.pump();
    });
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
    this.post({ type: 'count', id: next.id, docKey: next.docKey, text: next.text });
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
    return w;
  }

  private onMessage(msg: WorkerResponse): void {
    const p = this.inFlight;
    if (!p || p.id !== msg.id) return;
    this.inFlight = undefined;
    if (msg.type === 'counted') p.resolve({ rawTokens: msg.rawTokens, ms: msg.ms });
    else p.reject(new Error(`token counting failed: ${msg.message}`));
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
    this.failure = new Error(`token counter worker stopped twice (${reason}); token counts are unavailable until reload`);
    this.rejectAll(this.failure);
  }

  private rejectAll(err: Error): void {
    const all = [...(this.inFlight ? [this.inFlight] : []), ...this.queue.splice(0)];
    this.inFlight = undefined;
    for (const p of all) p.reject(err);
  }
}
