// Every prompt file of the workspace with its latest plan. Plans come from the engine worker (the
// host never tokenizes), one at a time: the worker runs requests in order anyway, and a queue of
// URIs (a Set) coalesces rapid edits of one file into one plan of its latest text. The text of an
// open editor, saved or not, wins over the file on disk. Views subscribe to `onDidChange`.
import * as vscode from 'vscode';
import type { PlanRequest, PlanViewResult } from '../../core/session/engineProtocol';
import { SupersededError } from '../../node/engineClient';
import type { Logger } from '../log';
import { relativeInWorkspace } from './promptFiles';

/** Files larger than this are registered with a diagnostic and never read whole on the host. */
export const MAX_PROMPT_BYTES = 2 * 1024 * 1024;

export interface RegisteredPrompt {
  readonly uri: vscode.Uri;
  readonly relativePath: string;
  /** The latest plan (with the exact request body); undefined until the first plan arrives. */
  plan?: PlanViewResult;
  /** Why the file could not be planned at all (too large, binary, unreadable). */
  readError?: string;
  /** Where the front-matter `id:` value is (1-based line and columns, end exclusive), for problems about the id. */
  idSpan?: { line: number; column: number; endColumn: number };
}

/** The value of a top-level `id:` key within the front matter (a cheap scan, no parse). */
function idSpanOf(text: string): RegisteredPrompt['idSpan'] {
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

export interface RegistryChange {
  /** Prompts added or re-planned. */
  changed: vscode.Uri[];
  removed: vscode.Uri[];
}

export interface RegistryDeps {
  plan(request: PlanRequest): Promise<PlanViewResult>;
  input(uri: vscode.Uri, text: string): PlanRequest;
  log: Logger;
  /** Delay between the last edit of a file and its plan. */
  debounceMs: () => number;
}

/** A prompt's id as the plan names it, or its file name until planned. */
export function promptIdOf(p: RegisteredPrompt): string {
  return p.plan?.promptId ?? p.relativePath.split('/').pop() ?? p.relativePath;
}

export class PromptRegistry implements vscode.Disposable {
  private readonly prompts = new Map<string, RegisteredPrompt>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly pending = new Set<string>();
  private busy = false;
  private idleWaiters: Array<() => void> = [];
  private batch: RegistryChange = { changed: [], removed: [] };
  private batchTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  private readonly emitter = new vscode.EventEmitter<RegistryChange>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly deps: RegistryDeps) {}

  all(): RegisteredPrompt[] {
    return [...this.prompts.values()].sort((a, b) => a.relativePath.localeCompare(b.relativePath));
  }

  get(uri: vscode.Uri): RegisteredPrompt | undefined {
    return this.prompts.get(uri.toString());
  }

  has(uri: vscode.Uri): boolean {
    return this.prompts.has(uri.toString());
  }

  /** Registers a prompt file (or notes that it changed) and plans it after the debounce delay; 0 plans it next. */
  upsert(uri: vscode.Uri, delayMs = this.deps.debounceMs()): void {
    const key = uri.toString();
    if (!this.prompts.has(key)) {
      this.prompts.set(key, { uri, relativePath: relativeInWorkspace(uri) ?? uri.fsPath });
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

  remove(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.pending.delete(key);
    if (this.prompts.delete(key)) this.note('removed', uri);
  }

  /** Removes every prompt at or below a path (a folder was deleted or renamed). */
  removeUnder(uri: vscode.Uri): void {
    const base = uri.toString();
    for (const p of [...this.prompts.values()]) {
      const key = p.uri.toString();
      if (key === base || key.startsWith(`${base}/`)) this.remove(p.uri);
    }
  }

  /** Keeps exactly these prompts (a rescan), planning each again. */
  replaceAll(uris: vscode.Uri[]): void {
    const keep = new Set(uris.map((u) => u.toString()));
    for (const p of [...this.prompts.values()]) if (!keep.has(p.uri.toString())) this.remove(p.uri);
    for (const u of uris) this.upsert(u, 0);
  }

  replanAll(): void {
    for (const p of this.prompts.values()) this.upsert(p.uri, 0);
  }

  /** Resolves once nothing is waiting to be planned (tests, Reload Prompts). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return !this.busy && this.pending.size === 0 && this.timers.size === 0;
  }

  private enqueue(key: string): void {
    this.pending.add(key);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.busy || this.disposed) return;
    this.busy = true;
    try {
      for (let key = this.next(); key !== undefined; key = this.next()) {
        const prompt = this.prompts.get(key);
        if (prompt) await this.planOne(prompt);
      }
    } finally {
      this.busy = false;
    }
    if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private next(): string | undefined {
    const [first] = this.pending;
    if (first !== undefined) this.pending.delete(first);
    return first;
  }

  private async planOne(prompt: RegisteredPrompt): Promise<void> {
    const text = await this.textOf(prompt);
    // Removed while its text was read, or superseded by a rename: nothing to publish.
    if (this.prompts.get(prompt.uri.toString()) !== prompt) return;
    if (typeof text !== 'string') {
      prompt.plan = undefined;
      prompt.readError = text.error;
      this.note('changed', prompt.uri);
      return;
    }
    try {
      const plan = await this.deps.plan(this.deps.input(prompt.uri, text));
      if (this.prompts.get(prompt.uri.toString()) !== prompt) return;
      prompt.plan = plan;
      prompt.readError = undefined;
      prompt.idSpan = idSpanOf(text);
      this.note('changed', prompt.uri);
    } catch (err) {
      if (err instanceof SupersededError || this.disposed) return;
      this.deps.log.warn(`planning ${prompt.relativePath} failed: ${(err as Error).message}`);
      prompt.readError = `Cache plan failed: ${(err as Error).message}`;
      this.note('changed', prompt.uri);
    }
  }

  /** The open editor's text when there is one, else the file's (bounded, text only). */
  private async textOf(prompt: RegisteredPrompt): Promise<string | { error: string }> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === prompt.uri.toString());
    if (open) return open.getText();
    try {
      const stat = await vscode.workspace.fs.stat(prompt.uri);
      if (stat.type & vscode.FileType.Directory) return { error: 'This is a folder, not a prompt file.' };
      if (stat.size > MAX_PROMPT_BYTES) return { error: `The file is ${(stat.size / 1048576).toFixed(1)} MB, over the ${MAX_PROMPT_BYTES / 1048576} MB a prompt file may have; it is not read.` };
      const bytes = await vscode.workspace.fs.readFile(prompt.uri);
      if (bytes.subarray(0, 8192).includes(0)) return { error: 'This looks like a binary file (it contains NUL bytes), not a prompt.' };
      return new TextDecoder().decode(bytes);
    } catch (err) {
      return { error: `The file could not be read: ${(err as Error).message}` };
    }
  }

  /** Changes are delivered in small batches: a scan of 500 files is not 500 view refreshes. */
  private note(kind: keyof RegistryChange, uri: vscode.Uri): void {
    this.batch[kind].push(uri);
    this.batchTimer ??= setTimeout(() => {
      this.batchTimer = undefined;
      const batch = this.batch;
      this.batch = { changed: [], removed: [] };
      if (!this.disposed) this.emitter.fire(batch);
    }, 30);
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    clearTimeout(this.batchTimer);
    this.emitter.dispose();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
