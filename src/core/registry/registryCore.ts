// The registry's queue without VS Code: every prompt file with its latest plan, planned from a
// queue of keys (a Set) that coalesces rapid edits of one file into one plan of its latest text.
// A scan plans in batches (one worker request for up to PLAN_BATCH prompts, see planMany); a
// single edited file is planned on its own. The host's PromptRegistry
// is this over vscode.Uri and an EventEmitter; the registry bench drives it over node:fs.
import type { PlanRequest, PlanViewResult } from '../session/engineProtocol';
import type { PromptText } from './promptText';

export interface RegisteredPromptOf<U> {
  readonly uri: U;
  readonly relativePath: string;
  /** The latest plan (with the exact request body); undefined until the first plan arrives. */
  plan?: PlanViewResult;
  /** Why the file could not be planned at all (too large, binary, unreadable). */
  readError?: string;
  /** The diagnostic code of `readError` (file-too-large, binary-file, not-a-file, unreadable-file). */
  readErrorCode?: string;
  /** Where the front-matter `id:` value is (1-based line and columns, end exclusive), for problems about the id. */
  idSpan?: { line: number; column: number; endColumn: number };
  /** The front matter's lines as planned (bounded), so later problems can find the entry naming a file. */
  frontMatter?: string[];
}

export interface RegistryChangeOf<U> {
  /** Prompts added or re-planned. */
  changed: U[];
  removed: U[];
}

export interface RegistryCoreDeps<U> {
  plan(request: PlanRequest): Promise<PlanViewResult>;
  /** The plans of several prompts in one request, in order (EngineClient.planMany); without it each is planned alone. */
  planMany?(requests: PlanRequest[]): Promise<PlanViewResult[]>;
  input(uri: U, text: string): PlanRequest;
  /** The text to plan: an open editor's, else the file's (see readPromptText). */
  text(uri: U): Promise<PromptText>;
  relativePath(uri: U): string;
  warn(message: string): void;
  /** Delay between the last edit of a file and its plan. */
  debounceMs: () => number;
  /** A newer plan of the same file replaced this one: nothing to report. */
  superseded(err: unknown): boolean;
  /** Called with each batch of changes. */
  publish(change: RegistryChangeOf<U>): void;
}

/** Changes are delivered in batches this far apart: a scan of 500 files is not 500 view refreshes. */
const BATCH_MS = 30;

/**
 * Prompts planned per worker request in a scan: enough that the round trip and the files' stamp
 * checks are shared, few enough that taking in one answer (about 10 KB of plan per prompt,
 * structured-cloned) stays a short task on the host's main thread.
 */
export const PLAN_BATCH = 50;

/** The value of a top-level `id:` key within the front matter (a cheap scan, no parse). */
export function idSpanOf(text: string): RegisteredPromptOf<unknown>['idSpan'] {
  if (!text.startsWith('---')) return undefined;
  const lines = text.slice(0, 64 * 1024).split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (line.startsWith('---')) return undefined;
    const m = /^(id\s*:\s*)(["']?)([^"'#\s]+)\2/.exec(line);
    if (m) {
      const column = (m[1]?.length ?? 0) + (m[2]?.length ?? 0) + 1;
      return { line: i + 1, column, endColumn: column + (m[3]?.length ?? 0) };
    }
  }
  return undefined;
}

/** Lines 1.. of the front matter (line 0 is the opening '---'), at most 64 KB of it. */
export function frontMatterLines(text: string): string[] | undefined {
  if (!text.startsWith('---')) return undefined;
  const lines = text.slice(0, 64 * 1024).split('\n').map((l) => l.replace(/\r$/, ''));
  const end = lines.findIndex((l, i) => i > 0 && l.startsWith('---'));
  return end < 0 ? undefined : lines.slice(0, end);
}

export class RegistryCore<U extends { toString(): string }> {
  private readonly prompts = new Map<string, RegisteredPromptOf<U>>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly pending = new Set<string>();
  private busy = false;
  private idleWaiters: Array<() => void> = [];
  private batch: RegistryChangeOf<U> = { changed: [], removed: [] };
  private batchTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly deps: RegistryCoreDeps<U>) {}

  all(): RegisteredPromptOf<U>[] {
    return [...this.prompts.values()].sort((a, b) => a.relativePath.localeCompare(b.relativePath));
  }

  get(uri: U): RegisteredPromptOf<U> | undefined {
    return this.prompts.get(uri.toString());
  }

  has(uri: U): boolean {
    return this.prompts.has(uri.toString());
  }

  get size(): number {
    return this.prompts.size;
  }

  /** Registers a prompt file (or notes that it changed) and plans it after the debounce delay; 0 plans it next. */
  upsert(uri: U, delayMs = this.deps.debounceMs()): void {
    const key = uri.toString();
    if (!this.prompts.has(key)) {
      this.prompts.set(key, { uri, relativePath: this.deps.relativePath(uri) });
      this.note('changed', uri);
    }
    const old = this.timers.get(key);
    if (old) clearTimeout(old);
    if (delayMs <= 0) {
      this.timers.delete(key);
      this.enqueue(key);
      return;
    }
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.enqueue(key);
      }, delayMs),
    );
  }

  remove(uri: U): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.pending.delete(key);
    if (this.prompts.delete(key)) this.note('removed', uri);
  }

  /** Removes every prompt at or below a path (a folder was deleted or renamed). */
  removeUnder(uri: U): void {
    const base = uri.toString();
    for (const p of [...this.prompts.values()]) {
      const key = p.uri.toString();
      if (key === base || key.startsWith(`${base}/`)) this.remove(p.uri);
    }
  }

  /** Keeps exactly these prompts (a rescan), planning each again. */
  replaceAll(uris: U[]): void {
    const keep = new Set(uris.map((u) => u.toString()));
    for (const p of [...this.prompts.values()]) if (!keep.has(p.uri.toString())) this.remove(p.uri);
    for (const u of uris) this.upsert(u, 0);
  }

  replanAll(): void {
    for (const p of this.prompts.values()) this.upsert(p.uri, 0);
  }

  /** Resolves once nothing is waiting to be planned (tests, Reload Prompts, the bench). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return !this.busy && this.pending.size === 0 && this.timers.size === 0;
  }

  private enqueue(key: string): void {
    this.pending.add(key);
    // After the current task: a rescan queues all its files first, so they go out in full batches.
    queueMicrotask(() => void this.pump());
  }

  private async pump(): Promise<void> {
    if (this.busy || this.disposed) return;
    this.busy = true;
    try {
      // With planMany, the next batch's texts are read while the worker plans this one.
      let reading = this.readNext();
      while (reading) {
        const batch = await reading;
        reading = this.deps.planMany ? this.readNext() : undefined;
        await this.planBatch(batch);
        reading ??= this.readNext();
      }
    } finally {
      this.busy = false;
    }
    if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /**
   * The texts of the next prompts to plan, read one after another (a burst of concurrent reads
   * lands as one long task on the main thread); undefined when nothing is pending.
   */
  private readNext(): Promise<Array<{ prompt: RegisteredPromptOf<U>; text: PromptText }>> | undefined {
    const prompts = this.take()
      .map((k) => this.prompts.get(k))
      .filter((p): p is RegisteredPromptOf<U> => p !== undefined);
    if (!prompts.length) return undefined;
    return (async () => {
      const out: Array<{ prompt: RegisteredPromptOf<U>; text: PromptText }> = [];
      for (const prompt of prompts) out.push({ prompt, text: await this.deps.text(prompt.uri) });
      return out;
    })();
  }

  /** The next keys to plan: up to PLAN_BATCH with planMany, else one. */
  private take(): string[] {
    const max = this.deps.planMany ? PLAN_BATCH : 1;
    const out: string[] = [];
    for (const key of this.pending) {
      if (out.length >= max) break;
      out.push(key);
    }
    for (const key of out) this.pending.delete(key);
    return out;
  }

  /** Still registered as this entry (not removed, nor replaced by a rename, while it was read or planned). */
  private isCurrent(prompt: RegisteredPromptOf<U>): boolean {
    return this.prompts.get(prompt.uri.toString()) === prompt;
  }

  private async planOne(prompt: RegisteredPromptOf<U>, text: PromptText): Promise<void> {
    // Removed while its text was read, or superseded by a rename: nothing to publish.
    if (!this.isCurrent(prompt)) return;
    if (typeof text !== 'string') return this.unreadable(prompt, text);
    try {
      const plan = await this.deps.plan(this.deps.input(prompt.uri, text));
      if (this.isCurrent(prompt)) this.planned(prompt, text, plan);
    } catch (err) {
      if (this.deps.superseded(err) || this.disposed) return;
      this.deps.warn(`planning ${prompt.relativePath} failed: ${(err as Error).message}`);
      this.planFailed(prompt, err as Error);
    }
  }

  /** Like planOne for each prompt; two or more go in one planMany request. */
  private async planBatch(read: Array<{ prompt: RegisteredPromptOf<U>; text: PromptText }>): Promise<void> {
    const batch: Array<{ prompt: RegisteredPromptOf<U>; text: string }> = [];
    for (const { prompt, text } of read) {
      if (!this.isCurrent(prompt)) continue;
      if (typeof text !== 'string') this.unreadable(prompt, text);
      else batch.push({ prompt, text });
    }
    if (!batch.length) return;
    if (batch.length === 1 || !this.deps.planMany) {
      for (const b of batch) await this.planOne(b.prompt, b.text);
      return;
    }
    try {
      const plans = await this.deps.planMany(batch.map((b) => this.deps.input(b.prompt.uri, b.text)));
      batch.forEach((b, i) => {
        if (this.isCurrent(b.prompt)) this.planned(b.prompt, b.text, plans[i] as PlanViewResult);
      });
    } catch (err) {
      if (this.deps.superseded(err) || this.disposed) return;
      this.deps.warn(`planning ${batch.length} prompts (${(batch[0] as { prompt: RegisteredPromptOf<U> }).prompt.relativePath}, …) failed: ${(err as Error).message}`);
      for (const b of batch) if (this.isCurrent(b.prompt)) this.planFailed(b.prompt, err as Error);
    }
  }

  private unreadable(prompt: RegisteredPromptOf<U>, text: Exclude<PromptText, string>): void {
    prompt.plan = undefined;
    prompt.readError = text.error;
    prompt.readErrorCode = text.code;
    this.note('changed', prompt.uri);
  }

  private planned(prompt: RegisteredPromptOf<U>, text: string, plan: PlanViewResult): void {
    prompt.plan = plan;
    prompt.readError = undefined;
    prompt.readErrorCode = undefined;
    prompt.idSpan = idSpanOf(text);
    prompt.frontMatter = frontMatterLines(text);
    this.note('changed', prompt.uri);
  }

  private planFailed(prompt: RegisteredPromptOf<U>, err: Error): void {
    prompt.readError = `Cache plan failed: ${err.message}`;
    prompt.readErrorCode = 'plan-failed';
    this.note('changed', prompt.uri);
  }

  private note(kind: keyof RegistryChangeOf<U>, uri: U): void {
    this.batch[kind].push(uri);
    this.batchTimer ??= setTimeout(() => {
      this.batchTimer = undefined;
      const batch = this.batch;
      this.batch = { changed: [], removed: [] };
      if (!this.disposed) this.deps.publish(batch);
    }, BATCH_MS);
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    clearTimeout(this.batchTimer);
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
