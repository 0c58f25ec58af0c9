// Owns the engine worker thread (token counts, cache plans and send sessions, off the main thread);
// starts it on first use so activation stays light.
import type * as vscode from 'vscode';
import type { PlanRequest, PlanViewResult, SendPlanRequest, SendPlanResult, SendRecordRequest, SendRecordResult } from '../core/session/engineProtocol';
import { EngineClient } from '../node/engineClient';
import type { Logger } from './log';
import type { TokenCounter } from './tokenStatus';

export class EngineWorker implements TokenCounter, vscode.Disposable {
  private client: EngineClient | undefined;

  constructor(
    private readonly workerPath: string,
    private readonly log: Logger,
  ) {}

  private get started(): EngineClient {
    if (!this.client) {
      this.client = new EngineClient(this.workerPath);
      this.log.info('engine worker started');
    }
    return this.client;
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
