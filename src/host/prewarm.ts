// "Pre-warm Cache for Active Prompt": writes the prompt's shared prefix (tools, instructions,
// context) into the cache with a max_tokens 0 request (spec §1.8), then reports what was written
// and what it cost, from the usage the API returned.
import * as vscode from 'vscode';
import { costOf } from '../core/cost/cost';
import type { RequestView } from '../shared/protocol';
import { usageBuckets } from '../core/cost/usage';
import type { App } from './app';
import { planFailure } from './planService';

export async function prewarmActivePrompt(app: App): Promise<RequestView | undefined> {
  const doc = app.plans.activeOrLastPrompt();
  if (!doc) {
    void vscode.window.showInformationMessage('Prompt Cache Lab: open a prompt file (*.prompt.md, .prompts/**/*.md or *.prompty) to pre-warm its cache.');
    return undefined;
  }
  const planned = await app.plans.buildFor(doc);
  if (!planned.request) {
    throw planFailure('pre-warm', doc, planned);
  }
  const request = planned.request;
  const model = app.models.resolve(planned.model);
  const promptId = planned.promptId ?? vscode.workspace.asRelativePath(doc.uri);
  const started = Date.now();
  const backend = await app.backends.get();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Pre-warming ${promptId}…`, cancellable: true },
    (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return backend.prewarm(request, abort.signal);
    },
  );
  const cost = result.cost ?? costOf(result.usage, model, { requestedTtl: result.ttl });
  // The local cache model learns what the pre-warm wrote, so the next send is predicted warm.
  const recorded = await app.plans
    .recordSend({ sessionId: `prewarm:${doc.uri.fsPath}`, cacheScope: app.backends.cacheScope() }, result.sent, started, { ttftMs: null, usage: result.usage, diagnostics: undefined })
    .catch((err: Error) => app.log.warn(`pre-warm not recorded in the cache model: ${err.message}`));
  const usage = usageBuckets(result.usage, result.ttl);
  const read = usage.cacheRead;
  const what =
    result.written > 0
      ? `wrote ${result.written.toLocaleString('en-US')} tokens to the cache (breakpoint at ${result.breakpoint}, ${result.ttl})`
      : read > 0
        ? `the prefix was already cached: read ${read.toLocaleString('en-US')} tokens, wrote nothing`
        : 'nothing was cached: the shared prefix is below the model minimum or has no eligible block';
  const view: RequestView = {
    kind: 'prewarm',
    promptId,
    model: model.id,
    at: started,
    backend: app.backends.kind(),
    usage,
    costUsd: cost.total,
    noCacheUsd: cost.noCache,
    savedUsd: cost.saved,
    hitRatio: cost.hitRatio,
    costExact: cost.exact,
    summary: `Pre-warm of ${promptId}: ${what}.${result.stripped.length ? ` Removed for max_tokens 0: ${result.stripped.join(', ')}.` : ''}`,
    explanation: recorded ? recorded.explanation.sentence : undefined,
  };
  app.recordRequest(view);
  void vscode.window.showInformationMessage(`Prompt Cache Lab: ${view.summary} Cost ${cost.exact ? '' : '≈'}$${cost.total.toFixed(6)}.`);
  return view;
}
