// Anthropic's own count (`messages.countTokens`: free, rate-limited) for the active document, when
// promptCacheLab.exactCounts is on and the Anthropic backend is in use. Debounced by the caller,
// cached by content, and fed back into the estimator's calibration.
import { createHash } from 'node:crypto';
import type { ModelInfo } from '../core/models/types';
import { FRAMING_TOKENS_PER_MESSAGE } from '../core/request/blocks';
import { Lru } from '../core/tokens/lru';
import type { BackendManager } from './backendManager';
import type { CalibrationStore } from './calibrationStore';
import type { Logger } from './log';

export type ExactCount = { tokens: number } | { unavailable: string };

export class ExactCounts {
  private readonly cache = new Lru<string, number>(256);
  /** After a rate limit or auth failure, no calls until this time. */
  private pausedUntil = 0;

  constructor(
    private readonly backends: BackendManager,
    private readonly calibration: CalibrationStore,
    private readonly log: Logger,
  ) {}

  /** Why exact counts are off right now, or undefined when they can run. */
  unavailableReason(enabled: boolean): string | undefined {
    if (!enabled) return 'off (setting promptCacheLab.exactCounts)';
    if (this.backends.kind() !== 'anthropic') return 'needs the Anthropic backend (the offline emulator would only echo the estimate)';
    if (Date.now() < this.pausedUntil) return 'paused after an API error; see the log';
    return undefined;
  }

  /** Anthropic's count of `text` as one user message, less the message framing. */
  async count(text: string, model: ModelInfo, rawO200k: number, signal?: AbortSignal): Promise<ExactCount> {
    const key = createHash('sha256').update(model.id).update('\0').update(text).digest('hex');
    const cached = this.cache.get(key);
    if (cached !== undefined) return { tokens: cached };
    const backend = await this.backends.get();
    try {
      const total = await backend.countTokens({ model: model.id, messages: [{ role: 'user', content: text }] }, signal);
      const tokens = Math.max(0, total - FRAMING_TOKENS_PER_MESSAGE);
      this.cache.set(key, tokens);
      this.calibration.observe(model.tokenizer, rawO200k, tokens);
      return { tokens };
    } catch (err) {
      const e = (err as { error?: { kind?: string; retryAfterS?: number; message?: string } }).error;
      const wait = e?.kind === 'rate_limit' ? (e.retryAfterS ?? 30) : e?.kind === 'auth' || e?.kind === 'spend_cap' ? 600 : 10;
      this.pausedUntil = Date.now() + wait * 1000;
      const message = e?.message ?? (err as Error).message;
      this.log.warn(`count_tokens failed (${e?.kind ?? 'error'}); exact counts paused for ${wait}s: ${message}`);
      return { unavailable: message };
    }
  }
}
