// "Send Message with Active Prompt": one chat turn with the active prompt file as the system
// prompt. Before the send the worker predicts what the cache will read and write; the request
// goes through the SDK (Anthropic or the offline emulator), streams into the panel, and the
// actual usage is priced and explained. Identical requests may be answered by the local
// response cache at no cost.
import * as vscode from 'vscode';
import type { SendResult } from '../backends/types';
import type { MessageParam, MessagesRequest } from '../shared/anthropic';
import type { RequestView } from '../shared/protocol';
import type { SendPlanResult } from '../core/tokens/protocol';
import { usageBuckets } from '../core/cost/usage';
import type { App } from './app';
import type { Conversation } from './conversations';
import { planFailure } from './planService';

async function askMessage(given: unknown): Promise<string | undefined> {
  if (typeof given === 'string') return given;
  return vscode.window.showInputBox({
    title: 'Send a message with the active prompt',
    prompt: 'The prompt file is the system prompt; the conversation continues until "New Conversation".',
    placeHolder: 'Where is my order AO-12345678?',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Type a message, or press Escape to cancel.'),
  });
}

function answerText(result: Pick<SendResult, 'content' | 'text'>): string {
  const tools = result.content.filter((b) => b.type === 'tool_use').map((b) => `[tool_use ${(b as { name: string }).name} ${JSON.stringify((b as { input: unknown }).input)}]`);
  return [result.text, ...tools].filter(Boolean).join('\n');
}

async function plan(app: App, doc: vscode.TextDocument, messages: MessageParam[], session: { sessionId: string; cacheScope: string }, atMs: number): Promise<SendPlanResult & { request: MessagesRequest }> {
  const planned = await app.plans.planSend(doc, messages, session, atMs);
  if (!planned.request) {
    throw planFailure('send with', doc, planned);
  }
  return planned as SendPlanResult & { request: MessagesRequest };
}

export async function sendWithActivePrompt(app: App, given?: unknown): Promise<RequestView | undefined> {
  const doc = app.plans.activeOrLastPrompt();
  if (!doc) {
    void vscode.window.showInformationMessage('Prompt Cache Lab: open a prompt file (*.prompt.md, .prompts/**/*.md or *.prompty) to send a message with it.');
    return undefined;
  }
  const text = await askMessage(given);
  if (text === undefined) return undefined;
  const conversation = app.conversations.get(doc.uri.fsPath);
  // Two sends building on the same history would each drop the other's turn.
  if (conversation.busy) throw new Error(`a message to ${vscode.workspace.asRelativePath(doc.uri)} is still being answered; wait for it, or cancel it.`);
  conversation.busy = true;
  try {
    return await sendTurn(app, doc, conversation, text);
  } finally {
    conversation.busy = false;
  }
}

async function sendTurn(app: App, doc: vscode.TextDocument, conversation: Conversation, text: string): Promise<RequestView> {
  const messages: MessageParam[] = [...conversation.messages, { role: 'user', content: text }];
  const started = Date.now();
  const session = { sessionId: conversation.sessionId, cacheScope: app.backends.cacheScope() };
  const planned = await plan(app, doc, messages, session, started);
  const promptId = planned.promptId ?? vscode.workspace.asRelativePath(doc.uri);
  const base = {
    kind: 'send' as const,
    promptId,
    model: planned.model,
    at: started,
    backend: app.backends.kind(),
    turn: messages.length / 2 + 0.5,
    predicted: planned.predicted ? { ...usageBuckets(planned.predicted.usage), costUsd: planned.predicted.costUsd } : undefined,
  };
  const cached = await app.cachedAnswer(planned.request);
  if (cached) {
    conversation.messages = [...messages, { role: 'assistant', content: cached.text }];
    const view: RequestView = {
      ...base,
      usage: { input: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, output: 0 },
      costUsd: 0,
      costExact: true,
      localCache: true,
      answer: cached.text,
      summary: `Answered from the local response cache (stored ${new Date(cached.storedAtMs).toLocaleString()}): no request was sent, nothing was billed.`,
    };
    app.recordRequest(view);
    return view;
  }
  const result = await streamSend(app, promptId, planned.request, conversation.lastMessageId ?? null);
  if (result.messageId) conversation.lastMessageId = result.messageId;
  const record = await app.plans.recordSend(session, planned.request, started, result);
  // Real usage refines the estimator; the emulator's usage is itself an estimate and would not.
  const sample = record.calibrationSample;
  if (sample && base.backend === 'anthropic' && !result.error && app.calibration.observe(sample.generation, sample.rawTokens, sample.actualTokens)) {
    app.tokens.refresh();
  }
  const answer = answerText(result);
  if (!result.error) {
    conversation.messages = [...messages, { role: 'assistant', content: result.content.length ? (result.content as MessageParam['content']) : answer }];
    await app.storeAnswer(planned.request, result);
  }
  const view: RequestView = {
    ...base,
    usage: usageBuckets(result.usage),
    costUsd: record.cost?.total,
    noCacheUsd: record.cost?.noCache,
    savedUsd: record.cost?.saved,
    hitRatio: record.cost?.hitRatio,
    costExact: record.cost?.exact ?? false,
    explanation: record.explanation.sentence,
    answer,
    ttftMs: result.ttftMs,
    totalMs: result.totalMs,
    error: result.error ? `${result.error.message}${result.partial ? ' (the partial answer is kept)' : ''}` : undefined,
    summary: record.explanation.sentence,
  };
  app.recordRequest(view);
  if (result.error) throw Object.assign(new Error(result.error.message), { error: result.error });
  return view;
}

async function streamSend(app: App, promptId: string, request: MessagesRequest, previousMessageId: string | null): Promise<SendResult> {
  const backend = await app.backends.get();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Sending with ${promptId}…`, cancellable: true },
    (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      let last = 0;
      return backend.send(request, {
        signal: abort.signal,
        previousMessageId,
        onText: (_delta, snapshot) => {
          // At most ~20 panel updates a second, whatever the stream rate.
          const now = Date.now();
          if (now - last < 50) return;
          last = now;
          app.panel.post({ type: 'streaming', promptId, text: snapshot });
        },
      } as Parameters<typeof backend.send>[1]);
    },
  );
}
