import * as vscode from 'vscode';
import type { PromptCacheLabApi } from '../../src/host/app';

export const EXTENSION_ID = 'prompt-cache-lab.prompt-cache-lab';

export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined | false;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

export async function extensionApi(): Promise<PromptCacheLabApi> {
  const ext = vscode.extensions.getExtension<PromptCacheLabApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in the host`);
  return ext.activate();
}

export async function openWorkspaceFile(relative: string): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder open');
  return vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, relative));
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('promptCacheLab').update(key, value, vscode.ConfigurationTarget.Global);
}
