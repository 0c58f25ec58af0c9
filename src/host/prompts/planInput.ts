// What the engine worker needs to plan one prompt file: its current text (an unsaved editor's,
// or the file's), the workspace root it must stay inside, and the settings the plan depends on.
import * as vscode from 'vscode';
import type { PlanRequest } from '../../core/session/engineProtocol';
import { readSettings } from '../config';

export type PromptHistory = (nowMs: number) => Record<string, number[]>;

export function planInputFor(uri: vscode.Uri, text: string, history: PromptHistory): PlanRequest {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const root = folder?.uri ?? vscode.Uri.joinPath(uri, '..');
  const settings = readSettings();
  return { path: uri.fsPath, text, root: root.fsPath, modelOverrides: settings.models, defaultModel: settings.defaultModel, historyByPrompt: history(Date.now()), maxFileBytes: settings['prompts.maxFileBytes'] };
}
