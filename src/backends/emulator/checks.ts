// Rejects what the API would reject, with its status and error type (spec §1.8, §6.1, §7.4).
// Messages not quoted by the spec are ours and say so only where the API's wording is unknown.
import type { IncomingHttpHeaders } from 'node:http';
import type { MessagesRequest } from '../../shared/anthropic';
import type { ModelTable } from '../../core/models/types';
import { validateCacheControl } from '../../core/cache/validate';

export interface ApiFailure {
  status: number;
  type: string;
  message: string;
}

const bad = (message: string): ApiFailure => ({ status: 400, type: 'invalid_request_error', message });

export const SAMPLING_REMOVED_IN = '2026-10-21';

/** A key from `x-api-key` or `Authorization: Bearer`; undefined when neither carries one. */
export function apiKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const x = headers['x-api-key'];
  const xKey = (Array.isArray(x) ? x[0] : x)?.trim();
  if (xKey) return xKey;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return m?.[1];
}

export function checkAuth(headers: IncomingHttpHeaders): ApiFailure | null {
  if (apiKeyOf(headers)) return null;
  return { status: 401, type: 'authentication_error', message: 'x-api-key header is required' };
}

export function parseBody(raw: string): { body?: Record<string, unknown>; failure?: ApiFailure } {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (err) {
    return { failure: bad(`The request body is not valid JSON: ${(err as Error).message}`) };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { failure: bad('The request body must be a JSON object.') };
  return { body: body as Record<string, unknown> };
}

function checkShape(body: Record<string, unknown>, needsMaxTokens: boolean): ApiFailure | null {
  if (typeof body.model !== 'string' || !body.model) return bad('model: Field required');
  if (needsMaxTokens) {
    if (body.max_tokens === undefined) return bad('max_tokens: Field required');
    if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 0) return bad('max_tokens: Input should be a valid non-negative integer');
  }
  if (body.messages === undefined) return bad('messages: Field required');
  if (!Array.isArray(body.messages)) return bad('messages: Input should be a valid list');
  if (body.messages.length === 0) return bad('messages: at least one message is required');
  for (let i = 0; i < body.messages.length; i++) {
    const m = body.messages[i] as { role?: unknown; content?: unknown } | null;
    if (!m || typeof m !== 'object') return bad(`messages.${i}: Input should be a valid dictionary`);
    if (m.role !== 'user' && m.role !== 'assistant' && m.role !== 'system') return bad(`messages.${i}.role: Input should be 'user', 'assistant' or 'system'`);
    if (typeof m.content !== 'string' && !Array.isArray(m.content)) return bad(`messages.${i}.content: Input should be a valid string or list`);
  }
  return null;
}

function checkVersion(body: Record<string, unknown>, version: string | undefined): ApiFailure | null {
  if (!version) return bad('anthropic-version: header is required');
  if (version >= SAMPLING_REMOVED_IN) {
    for (const k of ['temperature', 'top_p', 'top_k']) {
      if (body[k] !== undefined) return bad(`${k}: not supported with anthropic-version ${version} (removed in ${SAMPLING_REMOVED_IN}; emulator wording)`);
    }
  }
  return null;
}

/** §1.8: max_tokens 0 (pre-warm) rejects streaming, enabled thinking, output_config.format and forced tool_choice. */
function checkPrewarm(req: MessagesRequest): ApiFailure | null {
  if (req.max_tokens !== 0) return null;
  const why = req.stream ? 'stream: true'
    : req.thinking?.type === 'enabled' ? 'thinking.type "enabled"'
    : req.output_config && 'format' in req.output_config ? 'output_config.format'
    : req.tool_choice && (req.tool_choice.type === 'any' || req.tool_choice.type === 'tool') ? `tool_choice "${req.tool_choice.type}"`
    : null;
  return why ? bad(`max_tokens: 0 cannot be combined with ${why} (emulator wording)`) : null;
}

export function checkModel(models: ModelTable, id: string): ApiFailure | null {
  return models.tryResolve(id) ? null : { status: 404, type: 'not_found_error', message: `model: ${id}` };
}

/** Validates a parsed body for /v1/messages (`create`) or /v1/messages/count_tokens. */
export function checkRequest(body: Record<string, unknown>, kind: 'create' | 'count', version: string | undefined, models: ModelTable): ApiFailure | null {
  const req = body as unknown as MessagesRequest;
  return (
    checkVersion(body, version) ??
    checkShape(body, kind === 'create') ??
    checkModel(models, req.model) ??
    (kind === 'create' ? checkPrewarm(req) : null) ??
    ((msg) => (msg ? bad(msg) : null))(validateCacheControl(req))
  );
}
