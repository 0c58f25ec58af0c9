// The panel's HTML shell: a strict CSP with a per-load nonce; all data arrives by message.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { panelShell } from './htmlShell';

export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const asset = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  return panelShell({ cspSource: webview.cspSource, nonce: makeNonce(), asset });
}
