// The one clock cache lifetimes are judged by in this window. On Anthropic's backend it is the
// wall clock. Offline it is the emulator's virtual clock: the wall clock plus the offset that
// "Clear Caches… → advance the emulator's clock" added. The host mirrors the emulator's own offset
// (from its control endpoint's answer), so the cache model, the forecast, the panel's timeline, the
// Prompts view and the expiry item all count down on the clock the emulator's cache really uses.
// The offset lives as long as the emulator: a new emulator (window reload) or a reset starts at 0.
import * as vscode from 'vscode';
import type { BackendKind } from '../../core/ports';

export interface CacheClock {
  /** Epoch ms on the backend cache's clock. */
  now(): number;
  /** Milliseconds the offline emulator's clock runs ahead of the wall clock (0 on Anthropic's backend). */
  offsetMs(): number;
  /** Fires when the offset changed (an advance, a reset, a new emulator) or the cache was reset. */
  readonly onDidChange: vscode.Event<void>;
}

export class EmulatorClock implements CacheClock, vscode.Disposable {
  private offset = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly backend: () => BackendKind,
    private readonly wall: () => number = Date.now,
  ) {}

  now(): number {
    return this.wall() + this.offsetMs();
  }

  offsetMs(): number {
    return this.backend() === 'offline' ? this.offset : 0;
  }

  /** The emulator's offset as it reported it (`clock_offset_s` of /_emulator/*). */
  set(offsetMs: number): void {
    if (!Number.isFinite(offsetMs) || offsetMs < 0 || offsetMs === this.offset) return;
    this.offset = offsetMs;
    this.changed.fire();
  }

  /** The cache itself changed (an emulator reset): what counts down on this clock must be redrawn. */
  cacheChanged(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
