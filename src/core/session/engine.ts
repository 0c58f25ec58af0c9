// Planning and forecasting of prompt requests, shared by the engine worker (the extension plans
// off the host's main thread) and the CLI (in process): parse → files → compose → plan → predict,
// and the send sessions' cache models. Every function answers bad input with a view that says
// why; none rejects.
import { isAbsolute } from 'node:path';
import type { MessageParam, ToolDefinition } from '../../shared/anthropic';
import { parseModelOverrides } from '../models/overrides';
import { createModelTable } from '../models/table';
import type { ModelTable } from '../models/types';
import { withoutCacheBust, type CacheBust } from '../plan/bust';
import { buildPromptPlan } from '../plan/pipeline';
import { planFailureView, toPlanView } from '../plan/planView';
import { nodeFiles } from '../../node/nodeFiles';
import { SETTING_LIMIT_HINT, validLimit } from '../registry/sizeLimit';
import type { PlanRequest, PlanViewResult, SeedCachesRequest, SendPlanRequest, SendPlanResult, SendRecordRequest, SendRecordResult } from './engineProtocol';
import type { SendSessions } from './session';
import { promptVersion, requestShape } from './shape';
import { changedTtlReasons, replanWithTtls, ttlOverridesOf } from './ttlOverride';
import { badSendPlan, badSendRecord } from './validate';
import { bustPredictionSentence } from './wording';
import { predictColdWarm } from '../plan/predict';
import type { PromptPlanOutcome } from '../plan/pipeline';

/** The `sourceName` in override errors, as the host words them. */
const OVERRIDES_SOURCE = 'setting promptCacheLab.models';

/** The last model table built, keyed by its overrides' JSON: the setting rarely changes. */
let tableMemo: { key: string; table: ModelTable; errors: string[] } | undefined;

export function modelTableFor(overrides: unknown): { table: ModelTable; errors: string[] } {
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

/** Inputs arrive by message from the host: only a plain mapping is passed on to the template. */
function inputsOf(r: PlanRequest): { inputs?: Record<string, unknown> } {
  const v: unknown = r.inputs;
  return v && typeof v === 'object' && !Array.isArray(v) ? { inputs: v as Record<string, unknown> } : {};
}

/** Never rejects: every failure, expected or not, comes back as a view with `error` set. */
export async function planPrompt(r: PlanRequest & { skipColdWarm?: boolean }, messages?: MessageParam[], extraTools?: ToolDefinition[], bust?: CacheBust): Promise<PlanViewResult> {
  const fallbackModel = typeof r.defaultModel === 'string' ? r.defaultModel : '';
  const path = typeof r.path === 'string' ? r.path : '';
  let overrideErrors: string[] = [];
  try {
    const invalid = badRequest(r);
    if (invalid) return { ...planFailureView(path, fallbackModel, `No plan: ${invalid}.`), overrideErrors };
    const { table, errors } = modelTableFor(r.modelOverrides);
    overrideErrors = errors;
    const model = typeof r.model === 'string' && r.model !== '' ? { model: r.model } : {};
    const planned = await buildPromptPlan({ path: r.path, text: r.text, files: nodeFiles(r.root, { maxBytes: validLimit(r.maxFileBytes), raise: SETTING_LIMIT_HINT }), models: table, defaultModel: r.defaultModel, messages, ...(extraTools?.length ? { extraTools } : {}), ...(r.historyByPrompt ? { historyByPrompt: r.historyByPrompt } : {}), ...(r.skipColdWarm ? { skipColdWarm: true } : {}), ...(bust ? { bust } : {}), ...inputsOf(r), ...model });
    const { outcome, notes } = withPickedTtls(planned, r, table);
    const view = toPlanView(r.path, outcome, r.defaultModel);
    return { ...view, ...(notes.length ? { notes: [...(view.notes ?? []), ...notes] } : {}), overrideErrors, ...(outcome.ok ? { request: outcome.plan.request } : {}) };
  } catch (err) {
    return { ...planFailureView(path, fallbackModel, `Cache plan failed: ${(err as Error).message}`), overrideErrors };
  }
}

/** The TTLs picked for the conversation, planned again by the planner; its reasons where it changed a pick. */
function withPickedTtls(outcome: PromptPlanOutcome, r: PlanRequest & { skipColdWarm?: boolean }, table: ModelTable): { outcome: PromptPlanOutcome; notes: string[] } {
  const picked = ttlOverridesOf(r.ttl);
  if (!outcome.ok || !Object.keys(picked).length) return { outcome, notes: [] };
  const plan = replanWithTtls(outcome.plan, outcome.model, outcome.spec, picked);
  const notes = changedTtlReasons(plan, picked).map((reason) => `The planner changed a TTL you picked: ${reason}`);
  const { predicted: _old, predictionError: _err, ...rest } = outcome;
  if (r.skipColdWarm) return { outcome: { ...rest, plan }, notes };
  try {
    return { outcome: { ...rest, plan, predicted: predictColdWarm(plan.request, outcome.model, table) }, notes };
  } catch (err) {
    return { outcome: { ...rest, plan, predictionError: (err as Error).message }, notes };
  }
}

/** The plan of the conversation plus the session's prediction; never rejects (failures set `error`). */
export async function planSend(r: SendPlanRequest, sessions: SendSessions): Promise<SendPlanResult> {
  const sessionId = typeof r.sessionId === 'string' ? r.sessionId : '';
  const invalid = badSendPlan(r);
  if (invalid) {
    return { ...planFailureView(typeof r.path === 'string' ? r.path : '', typeof r.defaultModel === 'string' ? r.defaultModel : '', `No plan: ${invalid}.`), overrideErrors: [], sessionId };
  }
  const view = await planPrompt(r, r.messages, r.extraTools, r.bust);
  if (!view.request) return { ...view, sessionId };
  try {
    const table = modelTableFor(r.modelOverrides).table;
    const predicted = sessions.predict(sessionId, view.request, r.atMs, table, r.cacheScope);
    const version = promptVersion(r.bust ? withoutCacheBust(view.request, r.bust) : view.request);
    const said = r.bust ? { ...predicted, sentence: bustPredictionSentence(predicted.sentence) } : predicted;
    return { ...view, sessionId, predicted: said, shape: requestShape(view.request, table.resolve(view.request.model)), promptVersion: version, ...(r.bust ? { bust: r.bust } : {}) };
  } catch (err) {
    const { request: _unsent, ...rest } = view;
    return { ...rest, sessionId, error: `No prediction: ${(err as Error).message}` };
  }
}

/** Never rejects: bad input or an unexpected failure comes back as a 'not-explained' result. */
export function recordSend(r: SendRecordRequest, sessions: SendSessions): SendRecordResult {
  const invalid = badSendRecord(r);
  const fail = (why: string): SendRecordResult => ({
    explanation: { kind: 'not-explained', sentence: `Not explained, and no cost: ${why}.` },
    costError: why,
    sessionLost: false,
  });
  if (invalid) return fail(invalid);
  try {
    const table = modelTableFor(r.modelOverrides).table;
    const result = sessions.record(r, table);
    const model = table.tryResolve(typeof r.request.model === 'string' ? r.request.model : r.defaultModel);
    return model ? { ...result, shape: requestShape(r.request, model) } : result;
  } catch (err) {
    return fail(`recording the send failed: ${(err as Error).message}`);
  }
}

/** Seeds the sessions' cache models from ledger records; never throws (bad records are skipped, counted in `skipped`). */
export function seedCaches(r: SeedCachesRequest, sessions: SendSessions): { scopes: number; replayed: number; skipped: number } {
  const records: unknown = r?.records;
  if (!Array.isArray(records)) return { scopes: 0, replayed: 0, skipped: 0 };
  try {
    return sessions.seed(records, modelTableFor(r.modelOverrides).table);
  } catch {
    // Unreachable by design (seededScopes skips what it cannot use); a seed is an optimisation, never a failure.
    return { scopes: 0, replayed: 0, skipped: records.length };
  }
}
