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
import type { CacheBusts } from './services/cacheBusts';

/**
 * Plans carry the ledger's TTL history (PlanService.planInput adds it), what was picked for the
 * conversation in the panel (`picks`: model, TTLs, template inputs) and a pending one-off bust.
 */
export function workerForecaster(doc: () => vscode.TextDocument, worker: EngineWorker, plans: PlanService, models: ModelCatalog, onSample?: (sample: CalibrationSample) => void, extra: { busts?: CacheBusts; picks?: () => Partial<PlanRequest> } = {}): Forecaster {
  const { busts, picks } = extra;
  return {
    get priceTable() {
      return Object.keys(readSettings().models).length ? `${PRICE_TABLE_VERSION}; with promptCacheLab.models overrides` : PRICE_TABLE_VERSION;
    },
    async plan(input) {
      const base = { ...plans.planInput(doc()), ...picks?.() };
      const bust = busts?.next(doc().uri.fsPath);
      const result = await worker.planSend({ ...base, sessionId: input.conversationId, cacheScope: input.cacheScope, messages: input.messages, atMs: input.atMs, skipColdWarm: true, ...(input.extraTools ? { extraTools: input.extraTools } : {}), ...(bust ? { bust } : {}) });
      return plannedFrom(result, base.root);
    },
    async record(input) {
      const s = readSettings();
      const recorded = await worker.recordSend(recordInput(input, { modelOverrides: s.models, defaultModel: s.defaultModel }));
      // Real usage refines the estimator (the worker only samples Anthropic's usage: `calibrate`).
      if (recorded.calibrationSample) onSample?.(recorded.calibrationSample);
      // Only answered requests are recorded: a failed one leaves the bust pending.
      if (input.bust) busts?.used(doc().uri.fsPath);
      return recordedFrom(recorded);
    },
    price: (model, usage, ttl) => priceUsage(models.live, model, usage, ttl),
  };
}
