// PromptPlanOutcome → PlanView: the plain-JSON shape the panel shows. Shared by the engine worker
// (which plans off the host's main thread) and the host, so both word results identically.
import type { PlanView } from '../../shared/protocol';
import type { ModelInfo } from '../models/types';
import type { PromptPlanOutcome } from './pipeline';

export function toPlanView(path: string, outcome: PromptPlanOutcome, fallbackModel: string): PlanView {
  // Diagnostics of another file (e.g. the tools JSON) carry that file's line, so name the file.
  const diagnostics = outcome.diagnostics.map((d) => ({
    severity: d.severity,
    message: d.file ? `${d.file}: ${d.message}` : d.message,
    line: d.line,
    ...(d.column !== undefined ? { column: d.column } : {}),
    ...(d.endColumn !== undefined ? { endColumn: d.endColumn } : {}),
    ...(d.file ? { file: d.file } : {}),
    ...(d.code ? { code: d.code } : {}),
    ...(d.fixes?.length ? { fixes: d.fixes } : {}),
  }));
  if (!outcome.ok) {
    return { promptPath: path, promptId: outcome.spec?.id, model: outcome.spec?.model ?? fallbackModel, breakpoints: [], diagnostics, error: `No plan: ${outcome.error}.` };
  }
  return {
    promptPath: path,
    promptId: outcome.spec.id,
    model: outcome.model.id,
    breakpoints: outcome.plan.breakpoints.map((b) => ({ tier: b.tier, ttl: b.ttl, prefixTokens: b.prefix_tokens, placed: b.placed, reason: b.reason })),
    coldUsd: outcome.predicted?.cold_usd,
    warmUsd: outcome.predicted?.warm_usd,
    diagnostics,
    error: outcome.predictionError,
    notes: modelNotes(outcome.model),
  };
}

/** What the spec leaves unconfirmed about this model, said where its numbers are shown. */
export function modelNotes(model: ModelInfo): string[] {
  const notes: string[] = [];
  if (model.pricesUnknown) notes.push(`No published prices for ${model.id}; add them in promptCacheLab.models.`);
  else if (!model.confirmed) notes.push(`Prices for ${model.id} are third-party or unconfirmed (${model.source}, ${model.sourceDate}); override them in promptCacheLab.models if you know better.`);
  if (!model.minCacheableConfirmed && model.minCacheableNote) notes.push(`Minimum cacheable length: ${model.minCacheableNote}`);
  return notes;
}

/** The view of a plan that could not be computed at all (an unexpected failure, not bad input). */
export function planFailureView(path: string, fallbackModel: string, message: string): PlanView {
  return { promptPath: path, model: fallbackModel, breakpoints: [], diagnostics: [], error: message };
}
