// The offline backend: an Anthropic-compatible HTTP server on 127.0.0.1 (node:http, in-process),
// so the real SDK code path runs offline. Its cache IS the shared cache simulator.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CacheTtl } from '../../shared/anthropic';
import type { ModelTable } from '../../core/models/types';
import { createModelTable } from '../../core/models/table';
import { createCacheSimulator } from '../../core/cache/simulator';
import { apiKeyOf } from './checks';
import { DiagnosticsMemory } from './diagnostics';
import { FaultQueue, parseFaults, type EmulatorFault } from './faults';
import { handleCountTokens, handleMessages, sendError, type EmulatorCore } from './messages';
import type { EmulatorScript } from './script';

export interface StartEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  script?: EmulatorScript;
  models?: ModelTable;
  /** Base wall clock in epoch ms; the virtual clock adds its offset. */
  now?: () => number;
  /** Logged requests kept for `requests()` (default 50). */
  keepRequests?: number;
}

export interface EmulatorCacheEntry {
  model: string;
  prefix_tokens: number;
  ttl: CacheTtl;
  expires_in_s: number;
}

export interface EmulatorState {
  now_ms: number;
  clock_offset_s: number;
  entries: EmulatorCacheEntry[];
  faults_pending: number;
  script_turns_left: number;
  requests: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  /** Headers with the credentials removed. */
  headers: Record<string, string>;
  /** Last 4 characters of the key that authenticated the request (to tell keys apart in tests). */
  keySuffix?: string;
  body: unknown;
}

export interface EmulatorHandle {
  url: string;
  port: number;
  close(): Promise<void>;
  clock: { advance(seconds: number): void; nowMs(): number };
  setFaults(faults: EmulatorFault[] | EmulatorFault | null): void;
  setScript(script: EmulatorScript | undefined): void;
  state(): EmulatorState;
  requests(): LoggedRequest[];
  reset(): void;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024; // the Messages limit (spec §6.1)

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, requestId: string, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId });
  res.end(JSON.stringify(value));
}

function safeHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (k === 'x-api-key' || k === 'authorization') out[k] = '[present]';
    else if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export async function startEmulator(opts: StartEmulatorOptions = {}): Promise<EmulatorHandle> {
  const models = opts.models ?? createModelTable();
  const baseNow = opts.now ?? Date.now;
  let offsetMs = 0;
  let counter = 0;
  const log: LoggedRequest[] = [];
  const keep = opts.keepRequests ?? 50;
  const core: EmulatorCore = {
    models,
    sim: createCacheSimulator({ models }),
    faults: new FaultQueue(),
    diagnostics: new DiagnosticsMemory(),
    nowMs: () => baseNow() + offsetMs,
    nextId: (prefix) => `${prefix}_emu_${String(++counter).padStart(6, '0')}`,
    script: { value: opts.script, cursor: 0 },
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
  let requestCount = 0;

  const state = (): EmulatorState => {
    const now = core.nowMs();
    return {
      now_ms: now,
      clock_offset_s: offsetMs / 1000,
      entries: core.sim.entries(now).map((e) => ({ model: e.model, prefix_tokens: e.prefixTokens, ttl: e.ttl, expires_in_s: Math.max(0, (e.expiresAtMs - now) / 1000) })),
      faults_pending: core.faults.pending(),
      script_turns_left: Math.max(0, (core.script.value?.turns.length ?? 0) - core.script.cursor),
      requests: requestCount,
    };
  };
  const reset = () => {
    core.sim.clear();
    core.faults.set([]);
    core.script.cursor = 0;
    offsetMs = 0;
    log.length = 0;
  };
  const advance = (seconds: number) => {
    if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`clock: advance_s must be a non-negative number, got ${seconds}`);
    offsetMs += seconds * 1000;
  };

  async function route(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const raw = req.method === 'POST' ? await readBody(req) : '';
    if (raw === null) return sendError(res, requestId, { status: 413, type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' });
    if (!path.startsWith('/_emulator/')) {
      requestCount++;
      const apiKey = apiKeyOf(req.headers);
      log.push({ method: req.method ?? '', path, headers: safeHeaders(req), body: tryJson(raw), ...(apiKey ? { keySuffix: apiKey.slice(-4) } : {}) });
      if (log.length > keep) log.shift();
    }
    const key = `${req.method} ${path}`;
    switch (key) {
      case 'POST /v1/messages':
        return handleMessages(core, req, res, raw, requestId);
      case 'POST /v1/messages/count_tokens':
        return handleCountTokens(core, req, res, raw, requestId);
      case 'GET /_emulator/state':
        return json(res, requestId, 200, state());
      case 'POST /_emulator/reset':
        reset();
        return json(res, requestId, 200, state());
      case 'POST /_emulator/clock':
        return control(res, requestId, () => advance(Number((tryJson(raw) as { advance_s?: unknown } | undefined)?.advance_s)));
      case 'POST /_emulator/faults':
        return control(res, requestId, () => core.faults.set(parseFaults(tryJson(raw) ?? null)));
      default:
        return sendError(res, requestId, { status: 404, type: 'not_found_error', message: `Not found: ${req.method} ${path}` });
    }
  }

  function control(res: ServerResponse, requestId: string, action: () => void): void {
    try {
      action();
      json(res, requestId, 200, state());
    } catch (err) {
      sendError(res, requestId, { status: 400, type: 'invalid_request_error', message: (err as Error).message });
    }
  }

  const server = createServer((req, res) => {
    const requestId = `req_emu_${String(++counter).padStart(6, '0')}`;
    route(req, res, requestId).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, requestId, { status: 500, type: 'api_error', message: `Emulator error: ${(err as Error).message}` });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
    clock: { advance, nowMs: core.nowMs },
    setFaults: (f) => core.faults.set(f === null ? [] : parseFaults(f)),
    setScript: (s) => {
      core.script.value = s;
      core.script.cursor = 0;
    },
    state,
    requests: () => log.map((r) => ({ ...r })),
    reset,
  };
}

function tryJson(raw: string): unknown {
  try {
    return raw ? JSON.parse(raw) : undefined;
  } catch {
    return raw;
  }
}
