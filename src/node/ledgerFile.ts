// The ledger on disk: JSONL in workspace storage (or a CLI path), appended from the host without
// ever blocking it, rotated by size, loaded as a stream.
//
// Appending: `append()` only encodes and queues; a single drain loop writes one line per
// `fs.write` on a descriptor opened with the 'a' flag and kept open. O_APPEND makes every write
// land at the end of the file as one unit, so two windows (or the CLI and a window) appending to
// one ledger never interleave inside a line. A short write (disk full mid-line) is closed with a
// newline, so the fragment is one corrupt line the loader skips, and the whole line is retried.
// When the folder cannot be written (EACCES, EROFS, ENOSPC, ENOTDIR, …) the caller gets one
// warning per episode, records stay in memory, and the next append or flush() tries again.
// Rotation between processes is best effort: each writer knows the size it saw at open plus its
// own writes, so a shared file may pass maxBytes before one of them rotates; a writer whose
// file was rotated by another just reopens. Lines are never lost or torn either way.
import * as fs from 'node:fs';
import { dirname, join } from 'node:path';
import { encodeRecord } from '../core/ledger/codec';
import type { RequestRecord } from '../core/ledger/record';
import type { LedgerSink } from '../core/ports';
import { ledgerParts, stemOf } from './ledgerLoad';

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
/** Beyond this many unwritten lines the oldest are dropped (a folder that never comes back must not eat the heap). */
export const DEFAULT_MAX_PENDING = 100_000;

export interface LedgerFileOptions {
  path: string;
  /** Rotate once the live file would grow past this many bytes (setting-driven). */
  maxBytes?: number;
  maxPending?: number;
  /** One call per failure episode, with a sentence for the log or a notification. */
  onWarning?: (message: string) => void;
}

const writeAsync = (fd: number, buf: Buffer): Promise<number> =>
  new Promise((resolve, reject) => fs.write(fd, buf, 0, buf.length, null, (err, n) => (err ? reject(err) : resolve(n))));

class ShortWriteError extends Error {
  readonly code = 'ENOSPC';
}

/** A lock older than this was left by a writer that died mid-rotation (a rotation takes milliseconds). */
const STALE_LOCK_MS = 30_000;

async function acquireLock(lock: string): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await (await fs.promises.open(lock, 'wx')).close();
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const st = await fs.promises.stat(lock).catch(() => null);
      // Released meanwhile: try again. Never unlink here: by now the lock may be another writer's
      // fresh one, and two writers rotating at once would pick the same part number.
      if (!st) continue;
      if (Date.now() - st.mtimeMs < STALE_LOCK_MS) return false;
      // Left by a writer that died: move that very file aside (only one taker succeeds), then retry.
      const aside = `${lock}.${process.pid}.${Date.now()}.stale`;
      if (await fs.promises.rename(lock, aside).then(() => true, () => false)) await fs.promises.unlink(aside).catch(() => undefined);
    }
  }
  return false;
}

export class LedgerFile implements LedgerSink {
  private queue: string[] = [];
  private head = 0;
  private fd: number | null = null;
  private size = 0;
  private running: Promise<void> | null = null;
  private failing = false;
  private closed = false;
  private dropped = 0;
  private rotationFailed = false;
  private readonly maxBytes: number;
  private readonly maxPending: number;

  constructor(private readonly opts: LedgerFileOptions) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    this.maxPending = opts.maxPending ?? DEFAULT_MAX_PENDING;
  }

  /** Lines appended but not yet written. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  /** Lines dropped because the pending cap was reached while the file could not be written. */
  get droppedLines(): number {
    return this.dropped;
  }

  append(record: RequestRecord): void {
    if (this.closed) return;
    let line: string;
    try {
      line = encodeRecord(record);
    } catch (err) {
      this.warn(`A ledger record could not be encoded and was not saved: ${(err as Error).message}`);
      return;
    }
    this.queue.push(line);
    if (this.pending > this.maxPending) {
      // Never the line a running drain is writing (queue[head]): it may be on disk already.
      this.queue.splice(this.running ? this.head + 1 : this.head, 1);
      this.dropped++;
    }
    // Also while failing: every append tries the folder again (it may have become writable).
    if (!this.running) this.kick();
  }

  /** Writes everything pending; true when nothing is left in memory. Retries a failing folder. */
  async flush(): Promise<boolean> {
    if (this.pending > 0 && !this.running) this.kick();
    while (this.running) await this.running;
    return this.pending === 0;
  }

  async close(): Promise<void> {
    const done = await this.flush();
    this.closed = true;
    if (!done) this.warn(`${this.pending} ledger records could not be written to ${this.opts.path} and are lost.`);
    await this.closeFd();
  }

  /** The sink never throws, not even through a caller's warning callback. */
  private warn(message: string): void {
    try {
      this.opts.onWarning?.(message);
    } catch {
      // A broken callback must not stop the ledger; the records are what matter.
    }
  }

  private kick(): void {
    this.running = this.drain().finally(() => {
      this.running = null;
      // A line queued while the loop was finishing would otherwise wait for the next append.
      if (this.pending > 0 && !this.failing && !this.closed) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.pending > 0) {
      try {
        await this.writeLine(this.queue[this.head] as string);
      } catch (err) {
        this.fail(err as NodeJS.ErrnoException);
        return;
      }
      this.failing = false;
      this.head++;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
    }
  }

  private fail(err: NodeJS.ErrnoException): void {
    void this.closeFd();
    if (this.failing) return;
    this.failing = true;
    const code = err.code ? `${err.code}: ` : '';
    this.warn(
      `The ledger ${this.opts.path} cannot be written (${code}${err.message}). ${this.pending} record(s) are kept in memory ` +
        'and will be written on the next request or flush once the folder is writable.',
    );
  }

  private async writeLine(line: string): Promise<void> {
    const buf = Buffer.from(line, 'utf8');
    let fd = await this.ensureOpen();
    if (this.size > 0 && this.size + buf.length > this.maxBytes && !this.rotationFailed) {
      await this.rotate(fd).catch((err: NodeJS.ErrnoException) => {
        // A folder that allows appends but not renames: keep the records, let the file grow.
        this.rotationFailed = true;
        this.warn(`The ledger ${this.opts.path} could not be rotated (${err.code ?? err.message}); it keeps growing past ${this.maxBytes} bytes.`);
      });
      fd = await this.ensureOpen();
    }
    const n = await writeAsync(fd, buf);
    this.size += n;
    if (n < buf.length) {
      this.size += await writeAsync(fd, Buffer.from('\n')).catch(() => 0);
      throw new ShortWriteError(`only ${n} of ${buf.length} bytes were written`);
    }
  }

  private async ensureOpen(): Promise<number> {
    if (this.fd !== null) return this.fd;
    await fs.promises.mkdir(dirname(this.opts.path), { recursive: true });
    const fd = await new Promise<number>((resolve, reject) => fs.open(this.opts.path, 'a', 0o644, (err, d) => (err ? reject(err) : resolve(d))));
    this.fd = fd;
    this.size = await new Promise<number>((resolve) => fs.fstat(fd, (err, st) => resolve(err ? 0 : st.size)));
    return fd;
  }

  /**
   * Renames the live file to the next `<name>.<n>.jsonl`, holding `<path>.lock` so two writers
   * never pick the same part number (a rename would overwrite it). Without the lock another
   * writer is rotating: keep appending to our descriptor (lines stay whole wherever they land) and
   * try again on the next line. If the path no longer names our file, someone rotated: reopen.
   */
  private async rotate(fd: number): Promise<void> {
    const lock = `${this.opts.path}.lock`;
    if (!(await acquireLock(lock))) return;
    try {
      const mine = await new Promise<fs.Stats>((resolve, reject) => fs.fstat(fd, (err, st) => (err ? reject(err) : resolve(st))));
      const current = await fs.promises.stat(this.opts.path).catch(() => null);
      await this.closeFd();
      if (!current || current.ino !== mine.ino || current.dev !== mine.dev) return;
      const parts = await ledgerParts(this.opts.path);
      const next = parts.rotated.reduce((m, p) => Math.max(m, p.n), 0) + 1;
      const target = join(dirname(this.opts.path), `${stemOf(this.opts.path)}.${next}.jsonl`);
      // rename() replaces an existing part silently: a part that appeared anyway is never overwritten.
      if (await fs.promises.lstat(target).then(() => true, () => false)) return;
      await fs.promises.rename(this.opts.path, target);
    } finally {
      await fs.promises.unlink(lock).catch(() => undefined);
    }
  }

  private async closeFd(): Promise<void> {
    const fd = this.fd;
    this.fd = null;
    if (fd !== null) await new Promise<void>((resolve) => fs.close(fd, () => resolve()));
  }
}

export function createLedgerFile(opts: LedgerFileOptions): LedgerFile {
  return new LedgerFile(opts);
}
