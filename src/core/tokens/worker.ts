// The token worker (bundled to dist/tokenWorker.js): keeps one IncrementalCounter per open
// document so typing in a large prompt re-tokenizes only the edited chunk, and computes cache
// plans (which tokenize the whole prompt, its tools and context documents), all off the host's
// main thread, and keeps the send sessions (per conversation: cache model, previous request) that
// predict and explain each send. Requests are handled strictly in arrival order, even the
// asynchronous plans.
import { isAbsolute } from 'node:path';
import type { MessageParam } from '../../shared/anthropic';
import { parentPort } from 'node:worker_threads';
import { parseModelOverrides } from '../models/overrides';
import { createModelTable } from '../models/table';
import type { ModelTable } from '../models/types';
import { buildPromptPlan } from '../plan/pipeline';
import { planFailureView, toPlanView } from '../plan/planView';
import { nodeFiles } from '../registry/nodeFiles';
import { SendSessions } from '../session/session';
import { badSendPlan, badSendRecord } from '../session/validate';
import { IncrementalCounter } from './incremental';
import { Lru } from './lru';
import type { PlanRequest, PlanViewResult, SendPlanRequest, SendPlanResult, SendRecordRequest, SendRecordResult, WorkerRequest, WorkerResponse } from './protocol';

/** Open documents tracked at once; the least recently counted one is dropped beyond this. */
const MAX_DOCS = 32;

/** The `sourceName` in override errors, as the host words them. */
const OVERRIDES_SOURCE = 'setting promptCacheLab.models';

const docs = new Lru<string, IncrementalCounter>(MAX_DOCS);
const sessions = new SendSessions();

function counterFor(docKey: string): IncrementalCounter {
  let c = docs.get(docKey);
  if (!c) {
    c = new IncrementalCounter();
    docs.set(docKey, c);
  }
  return c;
}

/** The last model table built, keyed by its overrides' JSON: the setting rarely changes. */
let tableMemo: { key: string; table: ModelTable; errors: string[] } | undefined;

function modelTableFor(overrides: unknown): { table: ModelTable; errors: string[] } {
  const key = JSON.stringify(overrides) ?? 'undefined';
  if (tableMemo?.key === key) return tableMemo;
  const parsed = parseModelOverrides(overrides, OVERRIDES_SOURCE);
  let built: { table: ModelTable; errors: string[] };
  try {
    built = { table: createModelTable(parsed.overrides), errors: parsed.errors };
  } catch (err) {
    // Validated overrides should always build; if not, say so and keep the built-in prices.
    built = { table: createModelTable(), errors: [...parsed.errors, `${OVERRIDES_SOURCE}: ${(err as Error).message}; using the built-in model table`] };
  }
  tableMemo = { key, ...built };
  return built;
}

function badRequest(r: PlanRequest): string | undefined {
  if (typeof r.path !== 'string' || !isAbsolute(r.path)) return `the prompt path must be absolute, got ${JSON.stringify(r.path)}`;
  if (typeof r.root !== 'string' || !isAbsolute(r.root)) return `the workspace root must be absolute, got ${JSON.stringify(r.root)}`;
  if (typeof r.text !== 'string') return 'the prompt text is missing';
  if (typeof r.defaultModel !== 'string' || r.defaultModel === '') return 'the default model is missing';
  return undefined;
}

/** Never rejects: every failure, expected or not, comes back as a view with `error` set. */
export async function planInWorker(r: PlanRequest, messages?: MessageParam[]): Promise<PlanViewResult> {
  const fallbackModel = typeof r.defaultModel === 'string' ? r.defaultModel : '';
  const path = typeof r.path === 'string' ? r.path : '';
  let overrideErrors: string[] = [];
  try {
    const invalid = badRequest(r);
    if (invalid) return { ...planFailureView(path, fallbackModel, `No plan: ${invalid}.`), overrideErrors };
    const { table, errors } = modelTableFor(r.modelOverrides);
    overrideErrors = errors;
    const outcome = await buildPromptPlan({ path: r.path, text: r.text, files: nodeFiles(r.root), models: table, defaultModel: r.defaultModel, messages });
    return { ...toPlanView(r.path, outcome, r.defaultModel), overrideErrors, ...(outcome.ok ? { request: outcome.plan.request } : {}) };
  } catch (err) {
    return { ...planFailureView(path, fallbackModel, `Cache plan failed: ${(err as Error).message}`), overrideErrors };
  }
}

/** The plan of the conversation plus the session's prediction; never rejects (failures set `error`). */
export async function planSendInWorker(r: SendPlanRequest): Promise<SendPlanResult> {
  const sessionId = typeof r.sessionId === 'string' ? r.sessionId : '';
  const invalid = badSendPlan(r);
  if (invalid) {
    return { ...planFailureView(typeof r.path === 'string' ? r.path : '', typeof r.defaultModel === 'string' ? r.defaultModel : '', `No plan: ${invalid}.`), overrideErrors: [], sessionId };
  }
  const view = await planInWorker(r, r.messages);
  if (!view.request) return { ...view, sessionId };
  try {
    return { ...view, sessionId, predicted: sessions.predict(sessionId, view.request, r.atMs, modelTableFor(r.modelOverrides).table, r.cacheScope) };
  } catch (err) {
    const { request: _unsent, ...rest } = view;
    return { ...rest, sessionId, error: `No prediction: ${(err as Error).message}` };
  }
}

/** Never rejects: bad input or an unexpected failure comes back as a 'not-explained' result. */
export function recordSendInWorker(r: SendRecordRequest): SendRecordResult {
  const invalid = badSendRecord(r);
  const fail = (why: string): SendRecordResult => ({
    explanation: { kind: 'not-explained', sentence: `Not explained, and no cost: ${why}.` },
    costError: why,
    sessionLost: false,
  });
  if (invalid) return fail(invalid);
  try {
    return sessions.record(r, modelTableFor(r.modelOverrides).table);
  } catch (err) {
    return fail(`recording the send failed: ${(err as Error).message}`);
  }
}

export async function handle(msg: WorkerRequest): Promise<WorkerResponse | undefined> {
  switch (msg.type) {
    case 'forget':
      docs.delete(msg.docKey);
      return undefined;
    case 'plan':
      return { type: 'planned', id: msg.id, result: await planInWorker(msg.request) };
    case 'planSend':
      return { type: 'sendPlanned', id: msg.id, result: await planSendInWorker(msg.request) };
    case 'recordSend':
      return { type: 'sendRecorded', id: msg.id, result: recordSendInWorker(msg.request) };
    case 'resetSession':
      sessions.reset(msg.sessionId);
      return { type: 'sessionReset', id: msg.id };
    case 'count':
      return countInWorker(msg.id, msg.docKey, msg.text);
  }
}

function countInWorker(id: number, docKey: string, text: string): WorkerResponse {
  const t0 = performance.now();
  try {
    const rawTokens = counterFor(docKey).count(text);
    return { type: 'counted', id, rawTokens, ms: performance.now() - t0 };
  } catch (err) {
    return { type: 'failed', id, message: (err as Error).message };
  }
}

const port = parentPort;
if (port) {
  // Chained so a plan awaiting file reads cannot be overtaken by a later request.
  let chain: Promise<void> = Promise.resolve();
  port.on('message', (msg: WorkerRequest) => {
    chain = chain
      .then(async () => {
        const res = await handle(msg);
        if (res) port.postMessage(res);
      })
      .catch((err: unknown) => {
        // Unreachable by design (handle catches); answer anyway so the client never waits forever.
        if (msg.type !== 'forget') port.postMessage({ type: 'failed', id: msg.id, message: String(err) } satisfies WorkerResponse);
      });
  });
}
