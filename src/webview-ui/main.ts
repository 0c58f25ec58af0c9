// Browser side of the panel: says `ready`, receives one snapshot, then numbered deltas; a gap
// in the numbers asks for `resync`. State is saved for a reload, at most twice a second
// (serialising a long session on every streamed token would cost frames).
import type { HostToWebview, PanelState, PanelToHost } from '../shared/protocol';
import { PanelApp } from './app';
import { initialState, reduce, startedResync, type UiState } from './store';

interface VsCodeApi {
  postMessage(message: PanelToHost): void;
  getState(): PanelState | undefined;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const SAVE_EVERY_MS = 500;

const vscode = acquireVsCodeApi();
const post = (m: PanelToHost) => vscode.postMessage(m);
const app = new PanelApp(document.getElementById('app') as HTMLElement, post);
const restored = vscode.getState();
let state: UiState = initialState(restored);
let saveTimer: ReturnType<typeof setTimeout> | undefined;

function save(): void {
  if (saveTimer) return;
  saveTimer = setTimeout(() => {
    saveTimer = undefined;
    vscode.setState(state.panel);
  }, SAVE_EVERY_MS);
}

/** Only the host posts to the webview, but a stray message (an extension of the page) must not count as a gap. */
const isHostMessage = (d: unknown): d is HostToWebview =>
  !!d && typeof d === 'object' && typeof (d as { type?: unknown }).type === 'string' && Number.isInteger((d as { seq?: unknown }).seq);

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (!isHostMessage(e.data)) return;
  const prev = state;
  state = reduce(state, e.data);
  if (startedResync(prev, state)) post({ type: 'resync', lastSeq: prev.seq });
  if (state.panel !== prev.panel) {
    app.update(state.panel);
    save();
  }
});
if (restored) app.update(state.panel);
post({ type: 'ready' });
