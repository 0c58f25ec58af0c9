// Pending one-off cache busts, by prompt file: "Clear Caches… → make the next request write
// afresh". The next request of that prompt (a send, an agent turn or a pre-warm, whichever comes
// first) is planned with a nonce before its first breakpoint (core/plan/bust.ts). Only an answered
// request uses the bust up: a failed or cancelled one may never have reached the cache, so the
// bust stays for the next attempt, with a new nonce (a half-processed attempt may have written the
// old one). Busts live in memory: a reload forgets them, as it forgets the emulator.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { CacheBust } from '../../core/plan/bust';

export class CacheBusts implements vscode.Disposable {
  private readonly pendingPaths = new Set<string>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the prompt's path when a bust is asked for or used up. */
  readonly onDidChange = this.changed.event;

  /** The next request of the prompt at `path` (an absolute file path) writes afresh. */
  request(path: string): void {
    this.pendingPaths.add(path);
    this.changed.fire(path);
  }

  pending(path: string): boolean {
    return this.pendingPaths.has(path);
  }

  /** A fresh nonce for a plan of `path` while its bust is pending; undefined otherwise. */
  next(path: string): CacheBust | undefined {
    return this.pendingPaths.has(path) ? { nonce: randomBytes(4).toString('hex') } : undefined;
  }

  /** A busted request of `path` was answered: the bust is used up. */
  used(path: string): void {
    if (this.pendingPaths.delete(path)) this.changed.fire(path);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
