// Extension entry point: everything is built and owned by App.
import type * as vscode from 'vscode';
import { App, type PromptCacheLabApi } from './app';

let app: App | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<PromptCacheLabApi> {
  app = new App(context);
  context.subscriptions.push(app);
  await app.start();
  return app.api;
}

export function deactivate(): void {
  app = undefined;
}
