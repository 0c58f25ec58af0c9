// The command table: every contributed command and what it does.
import * as vscode from 'vscode';
import type { App } from './app';
import { validateKeyShape } from './apiKey';
import { CommandId } from './commandIds';
import { formatCount } from './tokenStatus';

async function setApiKey(app: App): Promise<void> {
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

export function registerCommands(app: App): vscode.Disposable[] {
  const table: Record<string, () => unknown> = {
    [CommandId.openPanel]: () => app.panel.show(),
    [CommandId.setApiKey]: () => setApiKey(app),
    [CommandId.clearApiKey]: () => clearApiKey(app),
    [CommandId.countTokens]: () => countTokens(app),
    [CommandId.showPlan]: () => {
      app.panel.show();
      app.plans.refresh(true);
    },
    [CommandId.clearResponseCache]: () => clearResponseCache(app),
    [CommandId.showLog]: () => app.log.show(),
  };
  return Object.entries(table).map(([id, run]) =>
    vscode.commands.registerCommand(id, async () => {
      try {
        await run();
      } catch (err) {
        app.log.error(`${id} failed: ${(err as Error).message}`);
        void vscode.window.showErrorMessage(`Prompt Cache Lab: ${(err as Error).message}`, 'Show Log').then((c) => {
          if (c) app.log.show();
        });
      }
    }),
  );
}
