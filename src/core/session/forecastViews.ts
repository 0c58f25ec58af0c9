// The engine's plan and record answers as the runner's ports see them. Shared by the in-process
// forecaster (CLI, tests) and the extension's worker-backed one, so both build records alike.
import type { CacheTtl, MessagesRequest, Usage } from '../../shared/anthropic';
import { costOf } from '../cost/cost';
import type { ModelTable } from '../models/types';
import { PlanError, type CostView, type PlannedRequest, type RecordedRequest, type SendResult } from '../ports';
import type { SendPlanResult, SendRecordRequest, SendRecordResult } from './engineProtocol';
import { costView } from '../cost/costView';

/** Workspace-relative path with forward slashes (ledgers are shared across machines). */
export function relativePath(root: string, abs: string): string {
  const r = root.replace(/\\/g, '/').replace(/\/+$/, '');
  const a = abs.replace(/\\/g, '/');
  return a.startsWith(`${r}/`) ? a.slice(r.length + 1) : a;
}

/** Throws PlanError (with the first error's line) when the prompt could not be planned. */
export function plannedFrom(result: SendPlanResult, root: string): PlannedRequest {
  if (!result.request || !result.shape || !result.promptVersion) {
    const first = result.diagnostics.find((d) => d.severity === 'error');
    const why = result.error ?? 'no plan';
    throw new PlanError(`${why}${first ? ` (line ${first.line}: ${first.message})` : ''}`, first ? { path: result.promptPath, line: first.line } : undefined);
  }
  const path = relativePath(root, result.promptPath);
  const last = result.shape.breakpoints[result.shape.breakpoints.length - 1];
  const p = result.predicted;
  return {
    request: result.request,
    model: result.model,
    prompt: { id: result.promptId ?? path, path, version: result.promptVersion },
    ...(p ? { predicted: { usage: p.usage, ...(p.costUsd !== undefined ? { costUsd: p.costUsd } : {}), costExact: p.costExact, sentence: p.sentence } } : {}),
    shape: result.shape,
    ...(last ? { requestedTtl: last.ttl } : {}),
    ...(result.bust ? { bust: result.bust } : {}),
  };
}

export function recordInput(
  base: { conversationId: string; cacheScope: string; request: MessagesRequest; atMs: number; result: SendResult; calibrate?: boolean; bust?: boolean },
  settings: { modelOverrides: unknown; defaultModel: string },
): SendRecordRequest {
  const { result } = base;
  return {
    sessionId: base.conversationId,
    cacheScope: base.cacheScope,
    request: base.request,
    atMs: base.atMs,
    ...(result.ttftMs !== null ? { responseStartedAtMs: base.atMs + result.ttftMs } : {}),
    usage: result.usage,
    diagnostics: result.diagnostics,
    modelOverrides: settings.modelOverrides,
    defaultModel: settings.defaultModel,
    ...(base.calibrate ? { calibrate: true } : {}),
    ...(base.bust ? { bust: true } : {}),
  };
}

export function recordedFrom(r: SendRecordResult): RecordedRequest {
  return { explanation: r.explanation, ...(r.cost ? { cost: r.cost } : {}), ...(r.costError ? { costError: r.costError } : {}), ...(r.shape ? { shape: r.shape } : {}) };
}

/** Cost of usage outside the cache model (a failed request's partial usage); undefined when unpriced. */
export function priceUsage(models: ModelTable, model: string, usage: Usage, requestedTtl?: CacheTtl): CostView | undefined {
  try {
    return costView(costOf(usage, models.resolve(model), requestedTtl ? { requestedTtl } : {}));
  } catch {
    return undefined;
  }
}
