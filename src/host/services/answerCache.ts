// The local response cache as the session runner's AnswerCache: one folder per backend scope (an
// offline answer must never come back as Anthropic's, nor one from another gateway or script),
// whole answers stored (tool calls included), used per mode as the settings allow. The runner
// says which mode a request belongs to; nothing here guesses it from the request's shape.
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResponseCache } from '../../backends/responseCache';
import type { AnswerCache, RunMode, SendResult, StoredAnswer } from '../../core/ports';
import type { MessagesRequest } from '../../shared/anthropic';
import { readSettings } from '../config';
import type { Logger } from '../log';

export class AnswerCacheService implements AnswerCache {
  private cache: Promise<ResponseCache> | undefined;
  private cacheKey = '';

  constructor(
    /** Workspace storage (global storage without a workspace) / response-cache. */
    private readonly root: string,
    /** The backend's cache scope plus the emulator script version: answers are kept apart by it. */
    private readonly scope: () => string,
    private readonly log: Logger,
  ) {}

  /** Whether stored answers may answer requests of this mode (sends: off by default, see the setting). */
  enabledFor(mode: RunMode): boolean {
    const s = readSettings();
    return s['responseCache.enabled'] && (mode === 'chat' || s['responseCache.agentLoops']);
  }

  async get(request: MessagesRequest, mode: RunMode): Promise<StoredAnswer | undefined> {
    if (!this.eligible(request, mode)) return undefined;
    const hit = await (await this.current()).get(request);
    return hit ? { result: hit.result, storedAtMs: hit.storedAtMs } : undefined;
  }

  async put(request: MessagesRequest, mode: RunMode, result: SendResult): Promise<void> {
    if (!this.eligible(request, mode)) return;
    await (await this.current()).put(request, result);
  }

  /** Stored answers of every backend. */
  async count(): Promise<number> {
    let entries = 0;
    for (const folder of await readdir(this.root).catch(() => [] as string[])) entries += (await (await this.open(join(this.root, folder))).stats()).entries;
    return entries;
  }

  /** Deletes every stored answer of every backend; returns how many there were. */
  async clear(): Promise<number> {
    let entries = 0;
    const folders = await readdir(this.root).catch(() => [] as string[]);
    for (const folder of folders) {
      const cache = await this.open(join(this.root, folder));
      entries += (await cache.stats()).entries;
      await cache.clear();
    }
    this.cache = undefined;
    this.log.info(`local response cache cleared (${entries} entries)`);
    return entries;
  }

  /** A pre-warm exists for its side effect: it is never answered locally. */
  private eligible(request: MessagesRequest, mode: RunMode): boolean {
    return request.max_tokens !== 0 && this.enabledFor(mode);
  }

  private current(): Promise<ResponseCache> {
    const s = readSettings();
    const scope = this.scope();
    const key = `${s['responseCache.ttlHours']}|${s['responseCache.maxMegabytes']}|${scope}`;
    if (!this.cache || key !== this.cacheKey) {
      this.cacheKey = key;
      this.cache = this.open(join(this.root, createHash('sha256').update(scope).digest('hex').slice(0, 16)));
    }
    return this.cache;
  }

  private async open(dir: string): Promise<ResponseCache> {
    const { ResponseCache } = await import('../../backends/bundle');
    const settings = readSettings();
    return new ResponseCache({
      dir,
      ttlMs: settings['responseCache.ttlHours'] * 3_600_000,
      maxBytes: settings['responseCache.maxMegabytes'] * 1024 * 1024,
      log: (line) => this.log.warn(line),
    });
  }
}
