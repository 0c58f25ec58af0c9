// Owns the one Prompt Cache Lab panel: creation, restore after reload (serializer), the typed
// message channel, and pushing state. The HTML is set once; data only ever moves by message.
// The controller numbers every message it posts (`seq`) so the webview can tell a lost or
// reordered delta, and answers `resync` with a fresh snapshot: host code posts plain deltas.
import * as vscode from 'vscode';
import { isWebviewToHost, type HostDelta, type HostToWebview, type PanelState, type PanelToHost, type WebviewToHost } from '../shared/protocol';
import { panelHtml } from './html';

export const PANEL_VIEW_TYPE = 'promptCacheLab.panel';

export interface PanelHandlers {
  snapshot(): PanelState;
  /** The messages of the first panel (open a file, run a command). */
  onMessage(message: Exclude<WebviewToHost, { type: 'ready' }>): void;
  /** Every message but `ready` and `resync` (answered here); when set, `onMessage` is not called. */
  onPanelMessage?(message: Exclude<PanelToHost, { type: 'ready' | 'resync' }>): void;
}

const LEGACY = new Set(['openFile', 'runCommand']);

export class PanelController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly registration: vscode.Disposable;
  private ready = false;
  private seq = 0;

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
  post(message: HostDelta): void {
    if (this.panel && this.ready) this.send({ ...message, seq: this.seq++ } as HostToWebview);
  }

  /** Posts a fresh snapshot (e.g. a new session: every part shows it, not only the next delta's). */
  refresh(): void {
    if (this.panel && this.ready) this.postSnapshot();
  }

  private send(message: HostToWebview): void {
    void this.panel?.webview.postMessage(message);
  }

  private postSnapshot(): void {
    this.send({ type: 'state', seq: this.seq++, state: this.handlers.snapshot() });
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
    if (message.type === 'ready' || message.type === 'resync') {
      this.ready = true;
      this.postSnapshot();
      return;
    }
    if (this.handlers.onPanelMessage) this.handlers.onPanelMessage(message);
    else if (LEGACY.has(message.type)) this.handlers.onMessage(message as Exclude<WebviewToHost, { type: 'ready' }>);
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
