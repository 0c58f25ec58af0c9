// The request ledger of this workspace: every record appended to the JSONL file (off the host's
// path: LedgerFile queues and writes in the background), totals per session kept as records
// arrive, and on start the ledger streamed back in so a reload restores the session's numbers.
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { cacheTimeOf, type RequestRecord } from '../../core/ledger/record';
import { createTotals, type Totals, type TotalsAccumulator } from '../../core/ledger/reducers';
import { createGapCollector, type GapCollector, type SessionState } from '../../core/ledger/sessions';
import type { LedgerSink } from '../../core/ports';
import type { LedgerFile } from '../../node/ledgerFile';
import { readSettings } from '../config';
import type { Logger } from '../log';

/** Records kept in memory for views; older ones are read back from the file when asked for. */
const RECENT_RECORDS = 5000;

export class LedgerService implements LedgerSink, vscode.Disposable {
  private file: LedgerFile | undefined;
  private filePath = '';
  private readonly bySession = new Map<string, TotalsAccumulator>();
  private gaps: GapCollector = createGapCollector();
  private readonly changed = new vscode.EventEmitter<RequestRecord>();
  readonly onDidAppend = this.changed.event;
  private warned = false;
  private early: RequestRecord[] = [];
  private latest: SessionState | undefined;
  /** Per prompt id, its latest answered request and that request's first breakpoint TTL: the Prompts view's cache state. */
  private readonly lastByPrompt = new Map<string, { atMs: number; ttl: '5m' | '1h' | undefined }>();
  /** Resolves once the ledger on disk has been read back in (and the file is open for appends). */
  loaded: Promise<void>;

  constructor(
    private readonly storageDir: string,
    private readonly log: Logger,
  ) {
    this.loaded = this.open();
  }

  /** The ledger file: `promptCacheLab.ledger.path` (workspace-relative or absolute), else workspace storage. */
  path(): string {
    const setting = readSettings()['ledger.path'].trim();
    if (!setting) return join(this.storageDir, 'ledger.jsonl');
    const folder = vscode.workspace.workspaceFolders?.[0];
    return isAbsolute(setting) || !folder ? setting : join(folder.uri.fsPath, setting);
  }

  append(record: RequestRecord): void {
    this.add(record);
    // Before the file is open (it opens with the first load), records wait here, in order.
    if (this.file) this.file.append(record);
    else this.early.push(record);
    this.changed.fire(record);
  }

  /** Totals of one session (zero when it has no records). */
  totals(sessionId: string | undefined): Totals {
    return (sessionId ? this.bySession.get(sessionId) : undefined)?.result() ?? createTotals().result();
  }

  /** Per prompt id, the gaps between its requests across sessions, ending with the pause up to `nowMs`: the TTL advisor's history. */
  history(nowMs: number): Record<string, number[]> {
    return this.gaps.history(nowMs);
  }

  /** When the prompt last reached the cache (an answered request), and the TTL of its first breakpoint; undefined: no record. */
  lastRequestOf(promptId: string, cacheScope: string): { atMs: number; ttl: '5m' | '1h' | undefined } | undefined {
    return this.lastByPrompt.get(`${cacheScope}\u0000${promptId}`);
  }

  /** The ledger setting changed: later records go to the new file, whose history is read in. */
  async reopen(): Promise<void> {
    if (this.path() === this.filePath) return;
    await this.file?.close();
    this.file = undefined;
    this.early = [];
    this.forget();
    this.loaded = this.open();
    await this.loaded;
  }

  async flush(): Promise<boolean> {
    await this.loaded;
    return this.file ? this.file.flush() : true;
  }

  /** Every record of the ledger (optionally of one session), streamed from the file after pending appends are written. */
  async records(sessionId?: string): Promise<RequestRecord[]> {
    await this.flush();
    const { loadLedger } = await import('../../node/bundle');
    const out: RequestRecord[] = [];
    await loadLedger(this.path(), (r) => {
      if (!sessionId || r.sessionId === sessionId) out.push(r);
    }, { missingOk: true });
    return out;
  }

  /** Reset All Stats: the ledger's files are deleted and the totals start from zero. */
  async deleteAll(): Promise<number> {
    await this.flush();
    await this.file?.close();
    this.file = undefined;
    const { ledgerParts } = await import('../../node/bundle');
    const { rm } = await import('node:fs/promises');
    const parts = await ledgerParts(this.path());
    const files = [...parts.rotated.map((p) => p.path), ...(parts.live ? [parts.live] : [])];
    for (const f of files) await rm(f, { force: true });
    this.forget();
    this.loaded = this.open();
    await this.loaded;
    return files.length;
  }

  /** Drops everything read from the ledger (before reading another file, or after deleting it). */
  private forget(): void {
    this.bySession.clear();
    this.recent.clear();
    this.lastByPrompt.clear();
    this.gaps = createGapCollector();
    this.latest = undefined;
  }

  /** The session of the latest record: where a reload resumes. */
  lastSession(): SessionState | undefined {
    return this.latest;
  }

  /** The latest records by id (bounded): the panel's cost cards, map and charts after a reload. */
  private readonly recent = new Map<string, RequestRecord>();

  /** Recent records (at most RECENT_RECORDS), of one session when given, in time order. */
  recentRecords(sessionId?: string): RequestRecord[] {
    const all = [...this.recent.values()];
    return (sessionId ? all.filter((r) => r.sessionId === sessionId) : all).sort((a, b) => a.atMs - b.atMs);
  }

  recordById(id: string): RequestRecord | undefined {
    return this.recent.get(id);
  }

  /** Totals of every session the ledger holds. */
  allSessions(): Map<string, Totals> {
    return new Map([...this.bySession].map(([id, acc]) => [id, acc.result()]));
  }

  private add(record: RequestRecord): void {
    this.recent.delete(record.id);
    this.recent.set(record.id, record);
    if (this.recent.size > RECENT_RECORDS) this.recent.delete(this.recent.keys().next().value as string);
    let acc = this.bySession.get(record.sessionId);
    if (!acc) this.bySession.set(record.sessionId, (acc = createTotals()));
    acc.add(record);
    this.gaps.add(record);
    // Failed and locally answered requests never touched the server's cache.
    // Per cache: the Prompts view shows the state in the cache requests land in now.
    const key = `${record.backend.cacheScope}\u0000${record.prompt.id}`;
    const seen = this.lastByPrompt.get(key);
    // On the cache's clock (the emulator's may run ahead): the Prompts view counts down on it.
    if (record.outcome === 'ok' && (!seen || cacheTimeOf(record) >= seen.atMs)) this.lastByPrompt.set(key, { atMs: cacheTimeOf(record), ttl: record.shape.breakpoints[0]?.ttl });
    if (!this.latest || record.atMs >= this.latest.lastAtMs) {
      const startedAtMs = acc.result().firstAtMs ?? record.atMs;
      this.latest = { sessionId: record.sessionId, startedAtMs, lastAtMs: record.atMs };
    }
  }

  private async open(): Promise<void> {
    const path = this.path();
    this.filePath = path;
    const { createLedgerFile, loadLedger } = await import('../../node/bundle');
    try {
      const r = await loadLedger(path, (rec) => this.add(rec), { missingOk: true, onWarning: (m) => this.warn(m) });
      if (r.records) this.log.info(`ledger ${path}: ${r.records} record(s) loaded`);
    } catch (err) {
      this.warn(`The ledger ${path} could not be read (${(err as Error).message}); this session's numbers are kept in memory and written when it can be.`);
    }
    // Opened after the load, so records made while it read are neither lost nor counted twice.
    const file = createLedgerFile({ path, onWarning: (m) => this.warn(m) });
    for (const r of this.early.splice(0)) file.append(r);
    this.file = file;
  }

  /** One notification per window for ledger trouble; every occurrence goes to the log. */
  private warn(message: string): void {
    this.log.warn(message);
    if (this.warned) return;
    this.warned = true;
    void vscode.window.showWarningMessage(`Prompt Cache Lab: ${message}`, 'Show Log').then((c) => c && this.log.show());
  }

  dispose(): void {
    void this.file?.close();
    this.changed.dispose();
  }
}
