// The command table: every contributed command and what it does. Each handler gets the narrow
// services it needs, never the composition root.
import * as vscode from 'vscode';
import { PlanError } from '../core/ports';
import type { PanelController } from '../webview/panelController';
import { validateKeyShape, type ApiKeyStore } from './apiKey';
import { CommandId } from './commandIds';
import type { Logger } from './log';
import type { PlanService } from './planService';
import { prewarmActivePrompt, type PrewarmDeps } from './prewarm';
import { promptCommandTable, type PromptCommandServices } from './prompts/promptCommands';
import { sendArgs, sendForReal, sendWithActivePrompt, type SendDeps } from './send';
import type { AnswerCacheService } from './services/answerCache';
import type { SessionService } from './services/sessions';
import type { SessionClock } from './services/sessionClock';
import { bustCacheCommand, clearCachesCommand, costAnalysisCommand, exportStatsCommand, resetAllStatsCommand, type StatsDeps } from './statsCommands';
import { formatCount, type TokenStatus } from './tokenStatus';

export interface CommandServices extends SendDeps, PrewarmDeps, StatsDeps, PromptCommandServices {
  log: Logger;
  keys: ApiKeyStore;
  tokens: TokenStatus;
  plans: PlanService;
  panel: PanelController;
  answers: AnswerCacheService;
  sessions: SessionService;
  clock: SessionClock;
}

/** Interactive, or `executeCommand('promptCacheLab.setApiKey', key)` from tasks and tests. */
async function setApiKey({ keys, log }: Pick<CommandServices, 'keys' | 'log'>, given?: unknown): Promise<void> {
  if (typeof given === 'string') {
    const problem = validateKeyShape(given);
    if (problem) throw new Error(`that API key was not stored: ${problem}`);
    await keys.set(given.trim());
    log.info('API key stored in SecretStorage');
    return;
  }
  const value = await vscode.window.showInputBox({
    title: 'Anthropic API key',
    prompt: 'Stored in VS Code SecretStorage only; never in settings, logs or workspace files.',
    password: true,
    ignoreFocusOut: true,
    placeHolder: 'sk-ant-…',
    validateInput: validateKeyShape,
  });
  if (value === undefined) return;
  await keys.set(value.trim());
  log.info('API key stored in SecretStorage');
  void vscode.window.showInformationMessage('Prompt Cache Lab: API key saved. Requests now go to the Anthropic API (setting promptCacheLab.backend).');
}

async function clearApiKey({ keys, log }: Pick<CommandServices, 'keys' | 'log'>): Promise<void> {
  await keys.clear();
  log.info('API key removed from SecretStorage');
  void vscode.window.showInformationMessage('Prompt Cache Lab: API key removed. The offline emulator is used until a key is set.');
}

function countTokens({ tokens }: Pick<CommandServices, 'tokens'>): void {
  const view = tokens.view;
  if (!view) {
    void vscode.window.showInformationMessage('Prompt Cache Lab: open a prompt, Markdown or text file to count its tokens.');
    return;
  }
  void vscode.window.showInformationMessage(
    `${view.document}: ≈${formatCount(view.tokens)} tokens (estimate for ${view.model}; o200k ${formatCount(view.rawTokens)} × ${view.factor.toFixed(2)}).`,
  );
}

async function clearResponseCache({ answers }: Pick<CommandServices, 'answers'>): Promise<void> {
  const removed = await answers.clear();
  void vscode.window.showInformationMessage(
    `Prompt Cache Lab: local response cache cleared (${removed} stored answer(s) removed). ` +
      "Anthropic's server-side prompt cache cannot be deleted by anyone; its entries expire 5 minutes or 1 hour after their last use.",
  );
}

async function newConversation({ plans, sessions }: Pick<CommandServices, 'plans' | 'sessions'>, prompt?: unknown): Promise<void> {
  const doc = await plans.resolvePrompt(prompt, 'start a new conversation with it');
  if (!doc) return;
  await sessions.reset(doc);
  void vscode.window.showInformationMessage(
    `Prompt Cache Lab: new conversation with ${vscode.workspace.asRelativePath(doc.uri)}. ` +
      'Cache entries the old one wrote stay on the server until their TTL runs out; the prompt\'s shared prefix can still be read. The old conversation and its stats are kept.',
  );
}

function newSession({ clock }: Pick<CommandServices, 'clock'>): void {
  clock.startNew();
  void vscode.window.showInformationMessage('Prompt Cache Lab: a new session starts with the next request. Earlier sessions stay in the ledger.');
}

/** Errors say what happened and offer the fix; backend errors carry their own action. */
function reportFailure(log: Logger, id: string, err: unknown): void {
  const backendError = (err as { error?: { message: string; action?: string } }).error;
  // Not only backend errors (redacted at their source) reach here: redact whatever came.
  const message = log.redact(backendError?.message ?? (err as Error)?.message ?? String(err));
  log.error(`${id} failed: ${message}`);
  const openAt = err instanceof PlanError ? err.at : undefined;
  const fix = backendError?.action === 'setApiKey' ? 'Set API Key' : backendError?.action === 'openSettings' ? 'Open Settings' : openAt ? `Open Prompt File at Line ${openAt.line}` : undefined;
  const actions = fix ? [fix, 'Show Log'] : ['Show Log'];
  void vscode.window.showErrorMessage(`Prompt Cache Lab: ${message}`, ...actions).then((choice) => {
    if (choice === 'Set API Key') void vscode.commands.executeCommand(CommandId.setApiKey);
    else if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'promptCacheLab');
    else if (choice === 'Show Log') log.show();
    else if (choice && openAt) {
      const line = Math.max(0, openAt.line - 1);
      void vscode.window.showTextDocument(vscode.Uri.file(openAt.path), { selection: new vscode.Range(line, 0, line, 0) });
    }
  });
}

export function registerCommands(s: CommandServices): vscode.Disposable[] {
  const table: Record<string, (...args: unknown[]) => unknown> = {
    [CommandId.openPanel]: () => s.panel.show(),
    [CommandId.setApiKey]: (key) => setApiKey(s, key),
    [CommandId.clearApiKey]: () => clearApiKey(s),
    [CommandId.countTokens]: () => countTokens(s),
    ...promptCommandTable(s),
    [CommandId.prewarm]: (prompt) => prewarmActivePrompt(s, prompt),
    [CommandId.send]: (first, second) => {
      const { prompt, message } = sendArgs(first, second);
      return sendWithActivePrompt(s, message, 'chat', prompt);
    },
    [CommandId.runAgent]: (first, second) => {
      const { prompt, message } = sendArgs(first, second);
      return sendWithActivePrompt(s, message, 'agent', prompt);
    },
    [CommandId.resendLast]: (prompt) => sendForReal(s, prompt),
    [CommandId.newConversation]: (prompt) => newConversation(s, prompt),
    [CommandId.newSession]: () => newSession(s),
    [CommandId.clearResponseCache]: () => clearResponseCache(s),
    [CommandId.clearCaches]: (action, arg) => clearCachesCommand(s, action as Parameters<typeof clearCachesCommand>[1], arg),
    [CommandId.bustCache]: (prompt) => bustCacheCommand(s, prompt),
    [CommandId.exportStats]: (given) => exportStatsCommand(s, given as Parameters<typeof exportStatsCommand>[1]),
    [CommandId.showCostAnalysis]: (given) => costAnalysisCommand(s, given as Parameters<typeof costAnalysisCommand>[1]),
    [CommandId.resetAllStats]: (confirmed) => resetAllStatsCommand(s, confirmed),
    [CommandId.showLog]: () => s.log.show(),
  };
  return Object.entries(table).map(([id, run]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (err) {
        reportFailure(s.log, id, err);
        return undefined;
      }
    }),
  );
}
