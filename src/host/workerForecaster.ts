// The runner's Forecaster for one prompt document, planned and recorded in the engine worker (the
// host never tokenizes). The document's current text is read at each request, so edits apply.
import * as vscode from 'vscode';
import { PRICE_TABLE_VERSION } from '../core/models/data';
import type { Forecaster } from '../core/ports';
import type { PlanRequest } from '../core/session/engineProtocol';
import type { CalibrationSample } from '../core/session/calibrationSample';
import { plannedFrom, priceUsage, recordedFrom, recordInput } from '../core/session/forecastViews';
import { readSettings } from './config';
import type { ModelCatalog } from './modelCatalog';
import type { PlanService } from './planService';
import type { EngineWorker } from './engineWorker';

/**
 * Plans carry the ledger's TTL history (PlanService.planInput adds it) and what was picked for
 * the conversation in the panel (`picks`: model, TTLs, template inputs).
 */
export function workerForecaster(doc: () => vscode.TextDocument, worker: EngineWorker, plans: PlanService, models: ModelCatalog, onSample?: (sample: CalibrationSample) => void, picks?: () => Partial<PlanRequest>): Forecaster {
  return {
    get priceTable() {
      return Object.keys(readSettings().models).length ? `${PRICE_TABLE_VERSION}; with promptCacheLab.models overrides` : PRICE_TABLE_VERSION;
    },
    async plan(input) {
      const base = { ...plans.planInput(doc()), ...picks?.() };
      const result = await worker.planSend({ ...base, sessionId: input.conversationId, cacheScope: input.cacheScope, messages: input.messages, atMs: input.atMs, skipColdWarm: true, ...(input.extraTools ? { extraTools: input.extraTools } : {}) });
      return plannedFrom(result, base.root);
    },
    async record(input) {
      const s = readSettings();
      const recorded = await worker.recordSend(recordInput(input, { modelOverrides: s.models, defaultModel: s.defaultModel }));
      // Real usage refines the estimator (the worker only samples Anthropic's usage: `calibrate`).
      if (recorded.calibrationSample) onSample?.(recorded.calibrationSample);
      return recordedFrom(recorded);
    },
    price: (model, usage, ttl) => priceUsage(models.live, model, usage, ttl),
  };
}
