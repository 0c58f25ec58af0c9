// The local response cache ("same question, 24 h"): an identical request is answered from disk at
// zero cost. Identity = canonical JSON of the request without cache_control markers, `stream`
// or `diagnostics` (they change neither the question nor the answer). Entries are files named by
// that hash; writes are atomic (temp + rename); the file mtime is the LRU clock.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { stableStringify } from '../core/request/canonical';
import type { MessagesRequest } from '../shared/anthropic';
import type { SendResult } from './types';

export const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
const FORMAT = 1;

export interface ResponseCacheOptions {
  dir: string;
  ttlMs?: number;
  maxBytes?: number;
  now?: () => number;
  log?: (line: string) => void;
}

export interface CachedResponse {
  key: string;
  storedAtMs: number;
  result: SendResult;
}

export interface ResponseCacheStats {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
  evictions: number;
}

// Subtrees that are user data (a schema property or a tool input may be called cache_control).
const OPAQUE = new Set(['input_schema', 'input', 'metadata']);

function stripMarkers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripMarkers);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'cache_control') continue;
    out[k] = OPAQUE.has(k) ? v : stripMarkers(v);
  }
  return out;
}

export function responseCacheKey(request: MessagesRequest): string {
  const { stream: _s, diagnostics: _d, ...rest } = request;
  const canon = stripMarkers(rest) as Record<string, unknown>;
  if (typeof canon.system === 'string') canon.system = [{ type: 'text', text: canon.system }];
  if (Array.isArray(canon.messages)) {
    canon.messages = canon.messages.map((m: { role: string; content: unknown }) => (typeof m.content === 'string' ? { ...m, content: [{ type: 'text', text: m.content }] } : m));
  }
  return createHash('sha256').update(stableStringify(canon)).digest('hex');
}

interface IndexEntry {
  bytes: number;
  lastAccessMs: number;
}

export class ResponseCache {
  private readonly ttlMs: number;
  private readonly maxBytes: number;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private index: Map<string, IndexEntry> | undefined;
  private loading: Promise<Map<string, IndexEntry>> | undefined;
  private counters = { hits: 0, misses: 0, evictions: 0 };

  constructor(private readonly opts: ResponseCacheOptions) {
    this.ttlMs = opts.ttlMs ?? DEFAULT_TTL_MS;
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? (() => undefined);
  }

  private file(key: string): string {
    return join(this.opts.dir, `${key}.json`);
  }

  private async load(): Promise<Map<string, IndexEntry>> {
    if (this.index) return this.index;
    this.loading ??= (async () => {
      const index = new Map<string, IndexEntry>();
      await fs.mkdir(this.opts.dir, { recursive: true });
      for (const name of await fs.readdir(this.opts.dir)) {
        const m = /^([0-9a-f]{64})\.json$/.exec(name);
        if (!m) {
          if (name.endsWith('.tmp')) await fs.rm(join(this.opts.dir, name), { force: true }); // an interrupted write
          continue;
        }
        const st = await fs.stat(join(this.opts.dir, name)).catch(() => undefined);
        if (st) index.set(m[1] as string, { bytes: st.size, lastAccessMs: st.mtimeMs });
      }
      this.index = index;
      return index;
    })();
    return this.loading;
  }

  private async drop(key: string, why?: string): Promise<void> {
    this.index?.delete(key);
    await fs.rm(this.file(key), { force: true }).catch(() => undefined);
    if (why) this.log(`response cache: dropped ${key.slice(0, 12)}: ${why}`);
  }

  async get(request: MessagesRequest): Promise<CachedResponse | undefined> {
    const index = await this.load();
    const key = responseCacheKey(request);
    const entry = index.get(key);
    if (!entry) return this.miss();
    let stored: { v?: number; key?: string; storedAtMs?: number; result?: SendResult };
    try {
      stored = JSON.parse(await fs.readFile(this.file(key), 'utf8'));
    } catch (err) {
      await this.drop(key, `unreadable or corrupt (${(err as Error).message})`);
      return this.miss();
    }
    if (stored.v !== FORMAT || stored.key !== key || typeof stored.storedAtMs !== 'number' || !stored.result || typeof stored.result.text !== 'string') {
      await this.drop(key, 'corrupt entry (unexpected shape)');
      return this.miss();
    }
    if (this.now() - stored.storedAtMs >= this.ttlMs) {
      await this.drop(key);
      return this.miss();
    }
    entry.lastAccessMs = this.now();
    const t = entry.lastAccessMs / 1000;
    await fs.utimes(this.file(key), t, t).catch(() => undefined);
    this.counters.hits++;
    return { key, storedAtMs: stored.storedAtMs, result: stored.result };
  }

  private miss(): undefined {
    this.counters.misses++;
    return undefined;
  }

  /** Stores a complete answer; partial or failed results are never stored. Returns whether it was. */
  async put(request: MessagesRequest, result: SendResult): Promise<boolean> {
    if (result.partial || result.error) return false;
    const index = await this.load();
    const key = responseCacheKey(request);
    const data = JSON.stringify({ v: FORMAT, key, storedAtMs: this.now(), result });
    const bytes = Buffer.byteLength(data);
    if (bytes > this.maxBytes) {
      this.log(`response cache: answer of ${bytes} bytes exceeds the ${this.maxBytes}-byte cap; not stored`);
      return false;
    }
    const tmp = join(this.opts.dir, `${key}.${randomBytes(4).toString('hex')}.tmp`);
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, this.file(key));
    const t = this.now() / 1000;
    await fs.utimes(this.file(key), t, t).catch(() => undefined);
    index.set(key, { bytes, lastAccessMs: this.now() });
    await this.evict(index);
    return true;
  }

  private async evict(index: Map<string, IndexEntry>): Promise<void> {
    let total = [...index.values()].reduce((n, e) => n + e.bytes, 0);
    if (total <= this.maxBytes) return;
    const oldestFirst = [...index.entries()].sort((a, b) => a[1].lastAccessMs - b[1].lastAccessMs);
    for (const [key, e] of oldestFirst) {
      if (total <= this.maxBytes) break;
      total -= e.bytes;
      this.counters.evictions++;
      await this.drop(key);
    }
  }

  async clear(): Promise<void> {
    const index = await this.load();
    for (const key of [...index.keys()]) await this.drop(key);
  }

  async stats(): Promise<ResponseCacheStats> {
    const index = await this.load();
    const bytes = [...index.values()].reduce((n, e) => n + e.bytes, 0);
    return { entries: index.size, bytes, ...this.counters };
  }
}
