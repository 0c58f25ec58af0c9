// A Forecaster that plans in this thread: the CLI's `run` and the unit tests. The extension plans
// in its engine worker instead (host/workerForecaster.ts); both go through core/session/engine.ts.
import { PRICE_TABLE_VERSION } from '../models/data';
import type { CacheBust } from '../plan/bust';
import type { Forecaster } from '../ports';
import { modelTableFor, planSend, recordSend } from './engine';
import { plannedFrom, priceUsage, recordedFrom, recordInput } from './forecastViews';
import { SendSessions } from './session';

export interface LocalForecasterOptions {
  /** Absolute path of the prompt file. */
  promptPath: string;
  /** Absolute workspace root: the prompt's tools and context files must lie inside it. */
  root: string;
  /** The prompt's current text (read again for every request, so edits apply). */
  readText: () => Promise<string>;
  modelOverrides?: unknown;
  defaultModel: string;
  /** Shared between conversations that talk to the same caches. */
  sessions?: SendSessions;
  /** The ledger's TTL history per prompt id at a time (GapCollector.history), for the TTL advisor. */
  history?: (nowMs: number) => Record<string, number[]>;
  /** A pending one-off cache bust for this prompt (a fresh nonce each plan); `used` once a busted request was answered. */
  busts?: { next(): CacheBust | undefined; used(): void };
}

export function createLocalForecaster(opts: LocalForecasterOptions): Forecaster {
  const sessions = opts.sessions ?? new SendSessions();
  const settings = { modelOverrides: opts.modelOverrides ?? {}, defaultModel: opts.defaultModel };
  return {
    priceTable: PRICE_TABLE_VERSION,
    async plan(input) {
      const text = await opts.readText();
      const bust = opts.busts?.next();
      const result = await planSend(
        { path: opts.promptPath, text, root: opts.root, ...settings, sessionId: input.conversationId, cacheScope: input.cacheScope, messages: input.messages, atMs: input.atMs, skipColdWarm: true, ...(input.extraTools ? { extraTools: input.extraTools } : {}), ...(opts.history ? { historyByPrompt: opts.history(input.atMs) } : {}), ...(bust ? { bust } : {}) },
        sessions,
      );
      return plannedFrom(result, opts.root);
    },
    async record(input) {
      const recorded = recordedFrom(recordSend(recordInput(input, settings), sessions));
      if (input.bust) opts.busts?.used();
      return recorded;
    },
    price(model, usage, requestedTtl) {
      return priceUsage(modelTableFor(settings.modelOverrides).table, model, usage, requestedTtl);
    },
  };
}
