// The command table: every contributed command and what it does.
import * as vscode from 'vscode';
import type { App } from './app';
import { validateKeyShape } from './apiKey';
import { CommandId } from './commandIds';
import { prewarmActivePrompt } from './prewarm';
import { sendWithActivePrompt } from './send';
import { formatCount } from './tokenStatus';

/** Interactive, or `executeCommand('promptCacheLab.setApiKey', key)` from tasks and tests. */
async function setApiKey(app: App, given?: unknown): Promise<void> {
  if (typeof given === 'string') {
    const problem = validateKeyShape(given);
    if (problem) throw new Error(`that API key was not stored: ${problem}`);
    await app.keys.set(given.trim());
    app.log.info('API key stored in SecretStorage');
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
  await app.keys.set(value.trim());
  app.log.info('API key stored in SecretStorage');
  void vscode.window.showInformationMessage('Prompt Cache Lab: API key saved. Requests now go to the Anthropic API (setting promptCacheLab.backend).');
}

async function clearApiKey(app: App): Promise<void> {
  await app.keys.clear();
  app.log.info('API key removed from SecretStorage');
  void vscode.window.showInformationMessage('Prompt Cache Lab: API key removed. The offline emulator is used until a key is set.');
}

function countTokens(app: App): void {
  const view = app.tokens.view;
  if (!view) {
    void vscode.window.showInformationMessage('Prompt Cache Lab: open a prompt, Markdown or text file to count its tokens.');
    return;
  }
  void vscode.window.showInformationMessage(
    `${view.document}: ≈${formatCount(view.tokens)} tokens (estimate for ${view.model}; o200k ${formatCount(view.rawTokens)} × ${view.factor.toFixed(2)}).`,
  );
}

async function clearResponseCache(app: App): Promise<void> {
  const removed = await app.clearResponseCache();
  void vscode.window.showInformationMessage(
    `Prompt Cache Lab: local response cache cleared (${removed} stored answer(s) removed). ` +
      "Anthropic's server-side prompt cache cannot be deleted by anyone; its entries expire 5 minutes or 1 hour after their last use.",
  );
}

function newConversation(app: App): void {
  const doc = app.plans.activeOrLastPrompt();
  if (!doc) {
    void vscode.window.showInformationMessage('Prompt Cache Lab: open a prompt file to start a new conversation with it.');
    return;
  }
  const session = app.conversations.reset(doc.uri.fsPath);
  if (session) app.plans.resetSession(session);
  void vscode.window.showInformationMessage(
    `Prompt Cache Lab: new conversation with ${vscode.workspace.asRelativePath(doc.uri)}. ` +
      "Entries the old one wrote stay in Anthropic's cache until their TTL runs out; the prompt's shared prefix can still be read.",
  );
}

/** Errors say what happened and offer the fix; backend errors carry their own action. */
function reportFailure(app: App, id: string, err: unknown): void {
  const backendError = (err as { error?: { message: string; action?: string } }).error;
  // Not only backend errors (redacted at their source) reach here: redact whatever came.
  const message = app.log.redact(backendError?.message ?? (err as Error)?.message ?? String(err));
  app.log.error(`${id} failed: ${message}`);
  const openAt = (err as { openAt?: { path: string; line: number } }).openAt;
  const fix = backendError?.action === 'setApiKey' ? 'Set API Key' : backendError?.action === 'openSettings' ? 'Open Settings' : openAt ? `Open Prompt File at Line ${openAt.line}` : undefined;
  const actions = fix ? [fix, 'Show Log'] : ['Show Log'];
  void vscode.window.showErrorMessage(`Prompt Cache Lab: ${message}`, ...actions).then((choice) => {
    if (choice === 'Set API Key') void vscode.commands.executeCommand(CommandId.setApiKey);
    else if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'promptCacheLab');
    else if (choice === 'Show Log') app.log.show();
    else if (choice && openAt) {
      const line = Math.max(0, openAt.line - 1);
      void vscode.window.showTextDocument(vscode.Uri.file(openAt.path), { selection: new vscode.Range(line, 0, line, 0) });
    }
  });
}

export function registerCommands(app: App): vscode.Disposable[] {
  const table: Record<string, (...args: unknown[]) => unknown> = {
    [CommandId.openPanel]: () => app.panel.show(),
    [CommandId.setApiKey]: (key) => setApiKey(app, key),
    [CommandId.clearApiKey]: () => clearApiKey(app),
    [CommandId.countTokens]: () => countTokens(app),
    [CommandId.showPlan]: () => {
      app.panel.show();
      app.plans.refresh(true);
    },
    [CommandId.prewarm]: () => prewarmActivePrompt(app),
    [CommandId.send]: (message) => sendWithActivePrompt(app, message),
    [CommandId.newConversation]: () => newConversation(app),
    [CommandId.clearResponseCache]: () => clearResponseCache(app),
    [CommandId.showLog]: () => app.log.show(),
  };
  return Object.entries(table).map(([id, run]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (err) {
        reportFailure(app, id, err);
        return undefined;
      }
    }),
  );
}
