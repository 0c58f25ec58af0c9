// Owns the engine worker thread (token counts, cache plans and send sessions, off the main thread);
// starts it on first use so activation stays light. Each worker it starts has its cache models
// seeded from the ledger (seedFrom), so a window reload does not forget Anthropic's warm cache.
import type * as vscode from 'vscode';
import type { PlanRequest, PlanViewResult, SeedCachesRequest, SendPlanRequest, SendPlanResult, SendRecordRequest, SendRecordResult } from '../core/session/engineProtocol';
import { EngineClient } from '../node/engineClient';
import type { Logger } from './log';
import type { TokenCounter } from './tokenStatus';

export class EngineWorker implements TokenCounter, vscode.Disposable {
  private client: EngineClient | undefined;
  private seed: (() => SeedCachesRequest | undefined) | undefined;

  constructor(
    private readonly workerPath: string,
    private readonly log: Logger,
  ) {}

  private get started(): EngineClient {
    if (!this.client) {
      this.client = new EngineClient(this.workerPath, { seed: () => this.seedRequest() });
      this.log.info('engine worker started');
    }
    return this.client;
  }

  /** What each worker's cache models start from: called when a worker starts (a restart too) and by reseed(). */
  seedFrom(seed: () => SeedCachesRequest | undefined): void {
    this.seed = seed;
  }

  /** The records changed under a running worker (the ledger finished loading): seed it again; a later start seeds anyway. */
  reseed(): void {
    this.client?.seed();
  }

  private seedRequest(): SeedCachesRequest | undefined {
    try {
      const request = this.seed?.();
      if (request?.records.length) this.log.info(`engine worker: cache models seeded from ${request.records.length} recent ledger record(s) of Anthropic's cache`);
      return request?.records.length ? request : undefined;
    } catch (err) {
      this.log.warn(`engine worker: cache models not seeded from the ledger (${(err as Error).message}); the first request after a reload is predicted cold`);
      return undefined;
    }
  }

  count(docKey: string, text: string): Promise<{ rawTokens: number; ms: number }> {
    return this.started.count(docKey, text);
  }

  plan(request: PlanRequest): Promise<PlanViewResult> {
    return this.started.plan(request);
  }

  planMany(requests: PlanRequest[]): Promise<PlanViewResult[]> {
    return this.started.planMany(requests);
  }

  planSend(request: SendPlanRequest): Promise<SendPlanResult> {
    return this.started.planSend(request);
  }

  recordSend(request: SendRecordRequest): Promise<SendRecordResult> {
    return this.started.recordSend(request);
  }

  resetSession(sessionId: string): void {
    this.client?.resetSession(sessionId);
  }

  forget(docKey: string): void {
    this.client?.forget(docKey);
  }

  dispose(): void {
    void this.client?.dispose();
    this.client = undefined;
  }
}
