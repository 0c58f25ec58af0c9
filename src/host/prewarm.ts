// "Pre-warm Cache for Active Prompt": writes the prompt's shared prefix (tools, instructions,
// context) into the cache with a max_tokens 0 request (spec §1.8), then reports what was written
// and what it cost. It becomes a RequestRecord like every request, and teaches the cache model
// what it wrote, so the next send is predicted warm.
import * as vscode from 'vscode';
import { BackendFailure } from '../backends/types';
import type { Forecaster, SendResult } from '../core/ports';
import { PLACEHOLDER_USER_TURN } from '../core/plan/placeholder';
import { buildRecord } from '../core/session/records';
import { cardOf } from './panel/views';
import type { RequestView } from '../shared/protocol';
import type { BackendManager } from './backendManager';
import type { PlanService } from './planService';
import type { SessionService } from './services/sessions';
import type { SessionClock } from './services/sessionClock';

export interface PrewarmDeps {
  plans: PlanService;
  backends: BackendManager;
  sessions: SessionService;
  clock: SessionClock;
  forecasterFor: (doc: vscode.TextDocument) => Forecaster;
}

function written(n: number, breakpoint: string, ttl: string, read: number): string {
  if (n > 0) return `wrote ${n.toLocaleString('en-US')} tokens to the cache (breakpoint at ${breakpoint}, ${ttl})`;
  if (read > 0) return `the prefix was already cached: read ${read.toLocaleString('en-US')} tokens, wrote nothing`;
  return 'nothing was cached: the shared prefix is below the model minimum or has no eligible block';
}

/** `prompt`: a Uri (or a view item carrying one) from CodeLens, the Prompts view or the editor title. */
export async function prewarmActivePrompt(deps: PrewarmDeps, prompt?: unknown): Promise<RequestView | undefined> {
  const doc = await deps.plans.resolvePrompt(prompt, 'pre-warm its cache');
  if (!doc) return undefined;
  const forecaster = deps.forecasterFor(doc);
  const conversationId = `prewarm-${Buffer.from(doc.uri.fsPath).toString('base64url').slice(-40)}`;
  const port = await deps.backends.port();
  const backend = await deps.backends.get();
  const atMs = Date.now();
  // TTLs run on the cache's clock (the emulator's may have been advanced).
  const cacheAtMs = port.now?.() ?? atMs;
  const planned = await forecaster.plan({ conversationId, cacheScope: port.cacheScope, messages: [{ role: 'user', content: PLACEHOLDER_USER_TURN }], atMs: cacheAtMs });
  const result = await Promise.resolve(vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Pre-warming ${planned.prompt.id}…`, cancellable: true },
    (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return backend.prewarm(planned.request, abort.signal);
    },
  )).catch((err: unknown) => {
    if (!(err instanceof BackendFailure)) throw err;
    const failed = buildRecord({ kind: 'prewarm', mode: 'chat', ids: ids(deps, conversationId), atMs, cacheAtMs, planned: { ...planned, predicted: undefined }, backend: { kind: port.kind, cacheScope: port.cacheScope }, error: err.error, priceTable: forecaster.priceTable });
    deps.sessions.append(failed);
    throw err;
  });
  const sent: SendResult = { content: [], text: '', stopReason: null, usage: result.usage, ttftMs: null, totalMs: Date.now() - atMs, requestId: result.requestId, messageId: null, model: planned.model, partial: false };
  const recorded = await forecaster.record({ conversationId, cacheScope: port.cacheScope, request: result.sent, atMs: cacheAtMs, result: sent, ...(planned.bust ? { bust: true } : {}) });
  // The plan's prediction was for a full send, not for this max_tokens 0 request: not shown.
  const record = buildRecord({ kind: 'prewarm', mode: 'chat', ids: ids(deps, conversationId), atMs, cacheAtMs, planned: { ...planned, predicted: undefined }, backend: { kind: port.kind, cacheScope: port.cacheScope }, result: sent, recorded, priceTable: forecaster.priceTable });
  const summary = `Pre-warm of ${planned.prompt.id}: ${written(result.written, result.breakpoint, result.ttl, record.buckets.cacheRead)}.${result.stripped.length ? ` Removed for max_tokens 0: ${result.stripped.join(', ')}.` : ''}`;
  deps.sessions.append(record, { summary });
  const view = cardOf(record, { summary });
  const cost = record.cost ? ` Cost ${record.cost.exact ? '' : '≈'}$${record.cost.total.toFixed(6)}.` : '';
  void vscode.window.showInformationMessage(`Prompt Cache Lab: ${summary}${cost}`);
  return view;
}

function ids(deps: PrewarmDeps, conversationId: string) {
  return { id: deps.sessions.newId(), sessionId: deps.clock.current(Date.now()), conversationId, turn: 0, step: 0 };
}
