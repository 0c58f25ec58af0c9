// What the emulator accepts at the HTTP level, before any route: it serves programs on this
// machine, never web pages. A page can reach 127.0.0.1 two ways: through DNS rebinding (its own
// host name resolving to 127.0.0.1, so the Host header names the page's host) and through
// "simple" cross-origin requests that need no preflight (a text/plain or form POST). The Host
// check stops the first, JSON-only POSTs the second: a cross-origin JSON POST needs a preflight,
// and the emulator's OPTIONS answer carries no Access-Control-Allow-* header, so it never passes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiFailure } from './checks';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `host[:port]` naming this emulator over loopback; a missing port means 80. */
export function isLoopbackHost(value: string | undefined, port: number): boolean {
  if (!value) return false;
  const m = /^(\[[^\]]*\]|[^:]+)(?::(\d{1,5}))?$/.exec(value.trim().toLowerCase());
  if (!m || !LOOPBACK_HOSTS.has(m[1] as string)) return false;
  return Number(m[2] ?? '80') === port;
}

/** Browsers send Origin on cross-origin and POST requests; programs on this machine send none. */
function isLoopbackOrigin(origin: string): boolean {
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && LOOPBACK_HOSTS.has(u.hostname);
  } catch {
    return false;
  }
}

export function isJsonContentType(value: string | undefined): boolean {
  return /^application\/json\s*(;.*)?$/i.test((value ?? '').trim());
}

const refuse = (status: number, type: string, message: string): ApiFailure => ({ status, type, message });

/** The refusal for a request from outside this machine's programs, or null to serve it. */
export function transportFailure(req: IncomingMessage, port: number): ApiFailure | null {
  const host = req.headers.host;
  if (!isLoopbackHost(host, port)) {
    return refuse(403, 'permission_error', `Host ${JSON.stringify(host ?? '').slice(0, 100)} is not allowed: the emulator answers only 127.0.0.1:${port}, localhost:${port} or [::1]:${port}.`);
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !isLoopbackOrigin(origin)) {
    return refuse(403, 'permission_error', `Origin ${JSON.stringify(origin).slice(0, 100)} is not allowed: the emulator does not serve web pages.`);
  }
  if (req.method === 'POST' && !isJsonContentType(req.headers['content-type'])) {
    // 415 with the API's catch-all 4xx type (spec §6.1: invalid_request_error covers unlisted 4xx).
    return refuse(415, 'invalid_request_error', `Content-Type must be application/json, got ${JSON.stringify(req.headers['content-type'] ?? '').slice(0, 100)}.`);
  }
  return null;
}

/** OPTIONS (a CORS preflight): answered, but with no Access-Control-Allow-* headers, so it fails. */
export function answerOptions(res: ServerResponse, requestId: string): void {
  res.writeHead(204, { allow: 'GET, POST', 'request-id': requestId });
  res.end();
}

export type BodyResult = { ok: true; text: string } | { ok: false };

/**
 * Reads a body of at most `limit` bytes. A larger one (by Content-Length up front, or once the
 * bytes pass the limit) is answered with `tooLarge` at once; up to another `limit` bytes are read
 * and discarded so the client sees the answer rather than a reset, then the connection is cut.
 */
export function readBody(req: IncomingMessage, limit: number, tooLarge: () => void): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    const refuseNow = () => {
      refused = true;
      chunks.length = 0;
      tooLarge();
      resolve({ ok: false });
    };
    if (declared > limit) refuseNow();
    req.on('data', (c: Buffer) => {
      size += c.length;
      // Discarding is cheap on loopback, but not without end: past twice the limit, hang up.
      if (refused) {
        if (size > 2 * limit) req.socket.destroy();
        return;
      }
      if (size > limit) refuseNow();
      else chunks.push(c);
    });
    req.on('end', () => {
      if (!refused) resolve({ ok: true, text: Buffer.concat(chunks).toString('utf8') });
    });
    req.on('error', (err) => (refused ? undefined : reject(err)));
  });
}
