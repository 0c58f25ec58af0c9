// Owns the tokenizer worker thread; starts it on the first count so activation stays light.
import type * as vscode from 'vscode';
import { TokenCountClient } from '../core/tokens/workerClient';
import type { Logger } from './log';
import type { TokenCounter } from './tokenStatus';

export class TokenWorker implements TokenCounter, vscode.Disposable {
  private client: TokenCountClient | undefined;

  constructor(
    private readonly workerPath: string,
    private readonly log: Logger,
  ) {}

  count(docKey: string, text: string): Promise<{ rawTokens: number; ms: number }> {
    if (!this.client) {
      this.client = new TokenCountClient(this.workerPath);
      this.log.info('tokenizer worker started');
    }
    return this.client.count(docKey, text);
  }

  forget(docKey: string): void {
    this.client?.forget(docKey);
  }

  dispose(): void {
    void this.client?.dispose();
    this.client = undefined;
  }
}
