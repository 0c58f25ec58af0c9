// "Send Message with Active Prompt" and "Run Agent Turn with Active Prompt": one user turn with the
// active prompt file as the system prompt, through the session runner. The answer streams into the
// panel; each request's record lands in the ledger and the panel; a local answer says so and
// offers to send for real.
import * as vscode from 'vscode';
import type { RunMode } from '../core/ports';
import type { RunEvent, TurnResult } from '../core/session/agentLoop';
import { turnCardOf } from './panel/views';
import type { RequestView } from '../shared/protocol';
import type { PanelController } from '../webview/panelController';
import type { PlanService } from './planService';
import type { SessionService, TurnRequest } from './services/sessions';

export interface SendDeps {
  plans: PlanService;
  sessions: SessionService;
  panel: PanelController;
}

/** Given text (tasks, tests: `executeCommand(id, text)`), or asked for in an input box. */
async function askMessage(given: unknown, mode: RunMode): Promise<string | undefined> {
  if (typeof given === 'string') return given;
  return vscode.window.showInputBox({
    title: mode === 'agent' ? 'Run an agent turn with the active prompt' : 'Send a message with the active prompt',
    prompt: mode === 'agent' ? 'The model may call the workspace tools (read_file, list_files, search_text) until it stops.' : 'The prompt file is the system prompt; the conversation continues until "New Conversation". Use \\n for a line break.',
    placeHolder: mode === 'agent' ? 'Which settings does src/host/config.ts define?' : 'Where is my order AO-12345678?',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Type a message, or press Escape to cancel.'),
  }).then((v) => v?.replace(/\\n/g, '\n'));
}

/**
 * `executeCommand(id, text)`, `executeCommand(id, uri, text)` (CodeLens, Prompts view, editor
 * title: the prompt to use, then the message), or nothing (the active or default prompt, asked).
 */
export function sendArgs(first: unknown, second: unknown): { prompt: unknown; message: unknown } {
  return typeof first === 'string' || first === undefined ? { prompt: undefined, message: first } : { prompt: first, message: second };
}

export async function sendWithActivePrompt(deps: SendDeps, given: unknown, mode: RunMode = 'chat', prompt?: unknown): Promise<RequestView | undefined> {
  if (mode === 'agent' && !vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Prompt Cache Lab: agent turns are disabled in an untrusted workspace (the model could read workspace files through its tools). Trust the workspace to run them.');
    return undefined;
  }
  const doc = await deps.plans.resolvePrompt(prompt, mode === 'agent' ? 'run an agent turn with it' : 'send a message with it');
  if (!doc) return undefined;
  const text = await askMessage(given, mode);
  if (text === undefined) return undefined;
  return runWithProgress(deps, doc, mode, (req) => deps.sessions.send(doc, text, req));
}

/** Sends the last message of the active prompt's conversation again, past the local response cache. */
export async function sendForReal(deps: SendDeps, prompt?: unknown): Promise<RequestView | undefined> {
  const doc = await deps.plans.resolvePrompt(prompt, 'send its last message again');
  if (!doc) return undefined;
  const last = (await deps.sessions.transcriptOf(doc)).turns.at(-1);
  if (!last) throw new Error('this conversation has no message to send again yet.');
  return runWithProgress(deps, doc, last.mode, (req) => deps.sessions.resendLast(doc, { ...req, localAnswers: false }));
}

async function runWithProgress(deps: SendDeps, doc: vscode.TextDocument, mode: RunMode, run: (req: TurnRequest) => Promise<TurnResult>): Promise<RequestView | undefined> {
  const name = vscode.workspace.asRelativePath(doc.uri);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `${mode === 'agent' ? 'Agent turn' : 'Sending'} with ${name}…`, cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      return run({ mode, signal: abort.signal, onEvent: streamTo(deps.panel, name, progress) }).finally(() => sub.dispose());
    },
  );
  const last = result.records.at(-1);
  const view = turnCardOf(result);
  // No record: nothing went out (no backend could be reached), a failure with its reason.
  if (!last || !view) throw new Error(result.stop.message);
  if (last.outcome === 'failed') throw Object.assign(new Error(last.error?.message ?? result.stop.message), { error: last.error });
  if (last.outcome === 'local') {
    void vscode.window.showInformationMessage(`Prompt Cache Lab: answered from the local response cache, so no request was sent and the prompt cache was not used.`, 'Send for Real').then((choice) => {
      if (choice) void sendForReal(deps, doc.uri).catch((err: Error) => void vscode.window.showErrorMessage(`Prompt Cache Lab: ${err.message}`));
    });
  } else if (result.stop.canContinue || !['end_turn', 'aborted'].includes(result.stop.reason)) {
    void vscode.window.showInformationMessage(`Prompt Cache Lab: ${result.stop.message}`);
  }
  return view;
}

/** Streaming text to the panel (at most ~20 updates a second) and agent steps to the progress note. */
function streamTo(panel: PanelController, promptId: string, progress: vscode.Progress<{ message?: string }>): (e: RunEvent) => void {
  let last = 0;
  return (e) => {
    if (e.type === 'text') {
      const now = Date.now();
      if (now - last < 50) return;
      last = now;
      panel.post({ type: 'streaming', promptId, text: e.snapshot });
    } else if (e.type === 'tool-call') {
      progress.report({ message: `step ${e.step + 1}: ${e.call.name}` });
    }
  };
}
