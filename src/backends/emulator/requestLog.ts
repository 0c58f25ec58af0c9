// The emulator's request log for tests and `requests()`: bounded by bytes as well as by count,
// since one logged request can be megabytes (a 2 MB system prompt kept 500 times was 1 GB).
// Bodies are kept as the raw text (one flat string, smaller than the parsed tree) and parsed
// when asked for.

export interface LoggedRequest {
  method: string;
  path: string;
  /** Headers with the credentials removed. */
  headers: Record<string, string>;
  /** Last 4 characters of the key that authenticated the request (to tell keys apart in tests). */
  keySuffix?: string;
  body: unknown;
}

interface Stored extends Omit<LoggedRequest, 'body'> {
  raw: string;
  bytes: number;
}

/** Default byte budget of the log: a few large requests or thousands of small ones. */
export const LOG_BUDGET_BYTES = 6 * 1024 * 1024;
const ENTRY_OVERHEAD_BYTES = 512;

function tryJson(raw: string): unknown {
  try {
    return raw ? JSON.parse(raw) : undefined;
  } catch {
    return raw;
  }
}

export class RequestLog {
  private entries: Stored[] = [];
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes = LOG_BUDGET_BYTES,
  ) {}

  add(entry: Omit<LoggedRequest, 'body'>, raw: string): void {
    // A body larger than the whole budget is logged without its text, so the entry still counts.
    const keep = raw.length + ENTRY_OVERHEAD_BYTES <= this.maxBytes;
    const text = keep ? raw : JSON.stringify({ omitted: `body of ${raw.length} characters exceeds the emulator's log budget` });
    const headerChars = Object.entries(entry.headers).reduce((n, [k, v]) => n + k.length + v.length, 0);
    const stored: Stored = { ...entry, raw: text, bytes: text.length + headerChars + ENTRY_OVERHEAD_BYTES };
    this.entries.push(stored);
    this.bytes += stored.bytes;
    while (this.entries.length > this.maxEntries || this.bytes > this.maxBytes) {
      const dropped = this.entries.shift();
      if (!dropped) break;
      this.bytes -= dropped.bytes;
    }
  }

  list(): LoggedRequest[] {
    return this.entries.map(({ raw, bytes: _b, ...rest }) => ({ ...rest, body: tryJson(raw) }));
  }

  clear(): void {
    this.entries = [];
    this.bytes = 0;
  }

  /** Bytes held (approximate: characters plus a fixed overhead per entry). */
  size(): number {
    return this.bytes;
  }
}
