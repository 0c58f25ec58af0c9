// Rejects what the API would reject, with its status and error type (spec §1.8, §6.1, §7.4):
// shapes through requestSchema.ts, then the rules that need the model or the API version.
// Messages not quoted by the spec are ours and say so only where the API's wording is unknown.
import type { IncomingHttpHeaders } from 'node:http';
import type { MessageParam, MessagesRequest } from '../../shared/anthropic';
import type { ModelInfo, ModelTable } from '../../core/models/types';
import { validateCacheControl } from '../../core/cache/validate';
import { countedCharsLimit, MAX_DEPTH, measure, type Measure } from './limits';
import { countTokensBody, createBody } from './requestSchema';

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

export interface ParsedBody {
  body?: Record<string, unknown>;
  measure?: Measure;
  failure?: ApiFailure;
}

export function parseBody(raw: string): ParsedBody {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (err) {
    return { failure: bad(`The request body is not valid JSON: ${(err as Error).message}`) };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { failure: bad('The request body must be a JSON object.') };
  // Before anything walks the body recursively (validation, canonical JSON, token counting).
  const m = measure(body);
  if (m.tooDeep) return { failure: bad(`The request body nests deeper than ${MAX_DEPTH} levels (emulator limit).`) };
  return { body: body as Record<string, unknown>, measure: m };
}

/** Blocks of one role anywhere in the conversation, with their paths. */
function* blocksOf(req: MessagesRequest, role: string): Generator<[string, Record<string, unknown>]> {
  for (let i = 0; i < req.messages.length; i++) {
    const m = req.messages[i] as MessageParam;
    if (m.role !== role || !Array.isArray(m.content)) continue;
    for (let j = 0; j < m.content.length; j++) yield [`messages.${i}.content.${j}`, m.content[j] as unknown as Record<string, unknown>];
  }
}

/** Spec §7.4: what API version 2026-10-21 removed or now refuses. */
function checkVersion(req: MessagesRequest, version: string): ApiFailure | null {
  if (version < SAMPLING_REMOVED_IN) return null;
  for (const k of ['temperature', 'top_p', 'top_k']) {
    if (req[k] !== undefined) return bad(`${k}: not supported with anthropic-version ${version} (removed in ${SAMPLING_REMOVED_IN}; emulator wording)`);
  }
  for (const [path, b] of blocksOf(req, 'assistant')) {
    if (b.type === 'document') return bad(`${path}: document blocks are not allowed in assistant messages with anthropic-version ${version} (emulator wording)`);
  }
  for (const [path, b] of blocksOf(req, 'user')) {
    const cites = b.type === 'text' ? b.citations : undefined;
    if (Array.isArray(cites) && cites.length > 0) return bad(`${path}.citations: text blocks with citations are not allowed in user messages with anthropic-version ${version} (emulator wording)`);
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

/**
 * §1.6: `{"role":"system"}` messages on Fable 5, Mythos 5, Opus 4.8 and Opus 5, not on Sonnet 5.
 * Later versions of those lines are assumed to keep it (the spec has no word on them).
 */
const SYSTEM_MESSAGE_MODELS = /^claude-(fable-5|mythos-5|opus-5|opus-4-8)(-\d+)?$/;

/** Rules that need the model: output bound, system-role messages, thinking budget, text to count. */
function checkForModel(req: MessagesRequest, model: ModelInfo, measured: Measure | undefined): ApiFailure | null {
  // The model table has no output limits and the spec gives none, so the context window bounds it.
  // (count_tokens bodies may carry a max_tokens the schema does not type: numbers only here.)
  if (typeof req.max_tokens === 'number' && req.max_tokens > model.contextWindow) {
    return bad(`max_tokens: ${req.max_tokens} > ${model.contextWindow}, which is the maximum allowed number of output tokens for ${model.id} (emulator bound: the model's context window)`);
  }
  if (!SYSTEM_MESSAGE_MODELS.test(model.id)) {
    const i = req.messages.findIndex((m) => m.role === 'system');
    if (i >= 0) return bad(`messages.${i}.role: 'system' messages are not supported by ${model.id}; use the top-level system parameter (emulator wording)`);
  }
  const budget = req.thinking?.type === 'enabled' ? req.thinking.budget_tokens : undefined;
  if (budget !== undefined && typeof req.max_tokens === 'number' && req.max_tokens > 0 && req.max_tokens <= budget) {
    return bad('max_tokens must be greater than thinking.budget_tokens');
  }
  const limit = countedCharsLimit(model.contextWindow);
  if (measured && measured.countedChars > limit) {
    return bad(`prompt is too long: ${measured.countedChars} characters of text exceed the ${limit} the emulator counts for ${model.id} (${model.contextWindow}-token context window; emulator limit)`);
  }
  return null;
}

/** Validates a parsed body for /v1/messages (`create`) or /v1/messages/count_tokens. */
export function checkRequest(parsed: ParsedBody & { body: Record<string, unknown> }, kind: 'create' | 'count', version: string | undefined, models: ModelTable): ApiFailure | null {
  if (!version) return bad('anthropic-version: header is required');
  // Versions are dates (2023-06-01, 2026-10-21); anything else would compare as a string at random.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(version)) return bad(`anthropic-version: ${JSON.stringify(version).slice(0, 60)} is not a valid version (emulator wording)`);
  const shape = (kind === 'create' ? createBody : countTokensBody)(parsed.body, '');
  if (shape) return bad(shape);
  const req = parsed.body as unknown as MessagesRequest;
  const model = models.tryResolve(req.model);
  if (!model) return checkModel(models, req.model);
  return (
    checkVersion(req, version) ??
    checkForModel(req, model, parsed.measure) ??
    (kind === 'create' ? checkPrewarm(req) : null) ??
    ((msg) => (msg ? bad(msg) : null))(validateCacheControl(req))
  );
}
