// Browser side of the panel: says `ready`, receives one snapshot, then deltas.
import type { HostToWebview, PanelState, WebviewToHost } from '../shared/protocol';
import { render } from './render';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): PanelState | undefined;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('app') as HTMLElement;
let state: PanelState | undefined = vscode.getState();
/** The answer streaming in right now; not persisted (a reload shows the finished request). */
let streaming: { promptId: string; text: string } | undefined;

function update(next: PanelState): void {
  state = next;
  vscode.setState(next);
  render(root, next, (m) => vscode.postMessage(m), streaming);
}

function apply(message: HostToWebview): void {
  switch (message.type) {
    case 'state':
      update(message.state);
      return;
    case 'tokens':
      if (state) update({ ...state, tokens: message.tokens });
      return;
    case 'plan':
      if (state) update({ ...state, plan: message.plan });
      return;
    case 'backend':
      if (state) update({ ...state, backend: message.backend });
      return;
    case 'request':
      streaming = undefined;
      if (state) update({ ...state, lastRequest: message.request });
      return;
    case 'streaming':
      streaming = { promptId: message.promptId, text: message.text };
      if (state) update(state);
      return;
    default: {
      const never: never = message;
      void never;
    }
  }
}

window.addEventListener('message', (e: MessageEvent<HostToWebview>) => apply(e.data));
if (state) render(root, state, (m) => vscode.postMessage(m));
vscode.postMessage({ type: 'ready' });
