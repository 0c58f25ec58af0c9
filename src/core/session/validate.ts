// Shape checks for send-session requests arriving from the host: a bad field must come back as
// a clear message, never as a crash deep inside the cache model.
import { badNonce } from '../plan/bust';
import type { SendPlanRequest, SendRecordRequest } from './engineProtocol';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function badSessionId(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? undefined : `the session id must be a non-empty string, got ${JSON.stringify(v)}`;
}

function badMessages(v: unknown): string | undefined {
  if (!Array.isArray(v) || v.length === 0) return 'the conversation must be a non-empty array of messages';
  const i = v.findIndex((m) => !isObject(m) || (m.role !== 'user' && m.role !== 'assistant') || (typeof m.content !== 'string' && !Array.isArray(m.content)));
  if (i >= 0) return `message ${i} must have role 'user' or 'assistant' and string or block-array content`;
  return undefined;
}

/** The send-specific fields of a SendPlanRequest (the PlanRequest fields are checked by the planner). */
export function badSendPlan(r: SendPlanRequest): string | undefined {
  const bust = r.bust === undefined ? undefined : isObject(r.bust) ? badNonce(r.bust.nonce) : `the cache bust must be an object {nonce}, got ${JSON.stringify(r.bust)}`;
  return badSessionId(r.sessionId) ?? (finite(r.atMs) ? undefined : `atMs must be a finite number, got ${JSON.stringify(r.atMs)}`) ?? badMessages(r.messages) ?? bust;
}

export function badSendRecord(r: SendRecordRequest): string | undefined {
  const idError = badSessionId(r.sessionId);
  if (idError) return idError;
  if (!isObject(r.request) || !Array.isArray(r.request.messages)) return 'the sent request must be an object with a messages array';
  if (!finite(r.atMs)) return `atMs must be a finite number, got ${JSON.stringify(r.atMs)}`;
  if (r.responseStartedAtMs !== undefined && !finite(r.responseStartedAtMs)) return `responseStartedAtMs must be a finite number, got ${JSON.stringify(r.responseStartedAtMs)}`;
  return undefined;
}
