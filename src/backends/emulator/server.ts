// The offline backend: an Anthropic-compatible HTTP server on 127.0.0.1 (node:http, in-process),
// so the real SDK code path runs offline. Its cache IS the shared cache simulator.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CacheTtl } from '../../shared/anthropic';
import type { ModelTable } from '../../core/models/types';
import { createModelTable } from '../../core/models/table';
import { createCacheSimulator } from '../../core/cache/simulator';
import { apiKeyOf, type ApiFailure } from './checks';
import { advanceOf, checkAdvance, controlBody } from './control';
import { DiagnosticsMemory } from './diagnostics';
import { FaultQueue, parseFaults, type EmulatorFault } from './faults';
import { answerOptions, readBody, transportFailure } from './http';
import { MAX_BODY_BYTES, MAX_CONTROL_BODY_BYTES } from './limits';
import { handleCountTokens, handleMessages, sendError, type EmulatorCore } from './messages';
import { RequestLog, type LoggedRequest } from './requestLog';
import type { EmulatorScript } from './script';

export type { LoggedRequest };

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

/** The emulator's mutable parts, shared by the routes and the handle. */
interface Emulator {
  core: EmulatorCore;
  log: RequestLog;
  clock: { offsetMs: number };
  requestCount: number;
}

function createEmulator(opts: StartEmulatorOptions): Emulator {
  const models = opts.models ?? createModelTable();
  const baseNow = opts.now ?? Date.now;
  const clock = { offsetMs: 0 };
  let counter = 0;
  const core: EmulatorCore = {
    models,
    sim: createCacheSimulator({ models }),
    faults: new FaultQueue(),
    diagnostics: new DiagnosticsMemory(),
    nowMs: () => baseNow() + clock.offsetMs,
    nextId: (prefix) => `${prefix}_emu_${String(++counter).padStart(6, '0')}`,
    script: { value: opts.script, cursor: 0 },
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
  return { core, log: new RequestLog(opts.keepRequests ?? 50), clock, requestCount: 0 };
}

function stateOf(emu: Emulator): EmulatorState {
  const { core } = emu;
  const now = core.nowMs();
  return {
    now_ms: now,
    clock_offset_s: emu.clock.offsetMs / 1000,
    entries: core.sim.entries(now).map((e) => ({ model: e.model, prefix_tokens: e.prefixTokens, ttl: e.ttl, expires_in_s: Math.max(0, (e.expiresAtMs - now) / 1000) })),
    faults_pending: core.faults.pending(),
    script_turns_left: Math.max(0, (core.script.value?.turns.length ?? 0) - core.script.cursor),
    requests: emu.requestCount,
  };
}

function resetEmulator(emu: Emulator): void {
  emu.core.sim.clear();
  emu.core.faults.set([]);
  emu.core.script.cursor = 0;
  emu.clock.offsetMs = 0;
  emu.log.clear();
}

const advanceClock = (emu: Emulator, seconds: number) => {
  emu.clock.offsetMs += checkAdvance(seconds, emu.clock.offsetMs / 1000) * 1000;
};

/** A control POST: the action, then the state; its Error is a 400 naming the bad value. */
function control(emu: Emulator, res: ServerResponse, requestId: string, action: () => void): void {
  try {
    action();
    json(res, requestId, 200, stateOf(emu));
  } catch (err) {
    sendError(res, requestId, { status: 400, type: 'invalid_request_error', message: (err as Error).message });
  }
}

function logRequest(emu: Emulator, req: IncomingMessage, path: string, raw: string): void {
  emu.requestCount++;
  const apiKey = apiKeyOf(req.headers);
  emu.log.add({ method: req.method ?? '', path, headers: safeHeaders(req), ...(apiKey ? { keySuffix: apiKey.slice(-4) } : {}) }, raw);
}

const TOO_LARGE: ApiFailure = { status: 413, type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' };

async function route(emu: Emulator, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const isControl = path.startsWith('/_emulator/');
  let raw = '';
  if (req.method === 'POST') {
    const body = await readBody(req, isControl ? MAX_CONTROL_BODY_BYTES : MAX_BODY_BYTES, () => sendError(res, requestId, TOO_LARGE));
    if (!body.ok) return;
    raw = body.text;
  }
  if (!isControl) logRequest(emu, req, path, raw);
  const { core } = emu;
  switch (`${req.method} ${path}`) {
    case 'POST /v1/messages':
      return handleMessages(core, req, res, raw, requestId);
    case 'POST /v1/messages/count_tokens':
      return handleCountTokens(core, req, res, raw, requestId);
    case 'GET /_emulator/state':
      return json(res, requestId, 200, stateOf(emu));
    case 'POST /_emulator/reset':
      return control(emu, res, requestId, () => resetEmulator(emu));
    case 'POST /_emulator/clock':
      return control(emu, res, requestId, () => advanceClock(emu, advanceOf(controlBody(raw), emu.clock.offsetMs / 1000)));
    case 'POST /_emulator/faults':
      return control(emu, res, requestId, () => core.faults.set(parseFaults(raw.trim() === '' ? null : controlBody(raw))));
    default:
      return sendError(res, requestId, { status: 404, type: 'not_found_error', message: `Not found: ${req.method} ${path}` });
  }
}

function serve(emu: Emulator, port: () => number) {
  let counter = 0;
  return (req: IncomingMessage, res: ServerResponse) => {
    const requestId = `req_emu_${String(++counter).padStart(6, '0')}`;
    // Before reading any body: a refused request costs the emulator nothing.
    const refused = transportFailure(req, port());
    if (refused) return sendError(res, requestId, refused, { connection: 'close' });
    if (req.method === 'OPTIONS') return answerOptions(res, requestId);
    route(emu, req, res, requestId).catch((err: unknown) => {
      // An emulator bug, not bad input: the message only (a stack trace has no place in an answer).
      if (!res.headersSent) sendError(res, requestId, { status: 500, type: 'api_error', message: `Emulator error: ${(err as Error).message}` });
      else res.destroy();
    });
  };
}

export async function startEmulator(opts: StartEmulatorOptions = {}): Promise<EmulatorHandle> {
  const emu = createEmulator(opts);
  let port = 0;
  const server = createServer(serve(emu, () => port));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
    clock: { advance: (s) => advanceClock(emu, s), nowMs: emu.core.nowMs },
    setFaults: (f) => emu.core.faults.set(f === null ? [] : parseFaults(f)),
    setScript: (s) => {
      emu.core.script.value = s;
      emu.core.script.cursor = 0;
    },
    state: () => stateOf(emu),
    requests: () => emu.log.list(),
    reset: () => resetEmulator(emu),
  };
}
