// Owns the one Prompt Cache Lab panel: creation, restore after reload (serializer), the typed
// message channel, and pushing state. The HTML is set once; data only ever moves by message.
import * as vscode from 'vscode';
import { isWebviewToHost, type HostToWebview, type PanelState, type WebviewToHost } from '../shared/protocol';
import { panelHtml } from './html';

export const PANEL_VIEW_TYPE = 'promptCacheLab.panel';

export interface PanelHandlers {
  snapshot(): PanelState;
  onMessage(message: Exclude<WebviewToHost, { type: 'ready' }>): void;
}

export class PanelController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly registration: vscode.Disposable;
  private ready = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly handlers: PanelHandlers,
  ) {
    this.registration = vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => this.attach(panel),
    });
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Prompt Cache Lab', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    });
    this.attach(panel);
  }

  /** Sends a delta; dropped until the webview has said `ready` (it then gets a full snapshot). */
  post(message: HostToWebview): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(message);
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.svg');
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    panel.webview.html = panelHtml(panel.webview, this.extensionUri);
    this.panelDisposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => this.detach()),
    );
  }

  private receive(message: unknown): void {
    if (!isWebviewToHost(message)) return;
    if (message.type === 'ready') {
      this.ready = true;
      this.post({ type: 'state', state: this.handlers.snapshot() });
      return;
    }
    this.handlers.onMessage(message);
  }

  private detach(): void {
    for (const d of this.panelDisposables) d.dispose();
    this.panelDisposables = [];
    this.panel = undefined;
    this.ready = false;
  }

  dispose(): void {
    this.panel?.dispose();
    this.detach();
    this.registration.dispose();
  }
}
