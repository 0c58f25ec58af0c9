// Prompt and mode pickers and the conversation buttons. Agent mode stays visible but disabled in
// an untrusted workspace, with the reason beside it.
import type { PanelState, PanelToHost } from '../shared/protocol';
import type { PromptEntryView } from '../shared/panelViews';
import { button, el, setText, toggle } from './dom';

type Post = (m: PanelToHost) => void;

export class ToolbarPart {
  readonly root = el('section', { class: 'toolbar', 'aria-label': 'Conversation controls' });
  private readonly prompt = el('select', { id: 'prompt-picker' });
  private readonly mode = el('select', { id: 'mode-picker' }, el('option', { value: 'chat' }, 'Chat'), el('option', { value: 'agent' }, 'Agent'));
  private readonly reason = el('p', { class: 'note agent-reason', id: 'agent-reason' });
  private readonly retry: HTMLButtonElement;
  private readonly cont: HTMLButtonElement;
  private prompts: PromptEntryView[] | undefined;

  constructor(post: Post) {
    this.prompt.addEventListener('change', () => post({ type: 'selectPrompt', id: this.prompt.value }));
    this.mode.addEventListener('change', () => post({ type: 'setMode', mode: this.mode.value === 'agent' ? 'agent' : 'chat' }));
    this.retry = button('Retry', 'refresh', () => post({ type: 'retryLast' }), { id: 'retry', class: 'secondary' });
    this.cont = button('Continue', 'debug-continue', () => post({ type: 'continue' }), { id: 'continue', class: 'secondary' });
    this.root.append(
      el('label', { for: 'prompt-picker' }, 'Prompt'), this.prompt,
      el('label', { for: 'mode-picker' }, 'Mode'), this.mode,
      button('New Conversation', 'add', () => post({ type: 'newConversation' }), { id: 'new-conversation', class: 'secondary' }),
      this.retry, this.cont,
      button('Export Stats', 'export', () => post({ type: 'exportStats' }), { id: 'export-stats', class: 'secondary' }),
      button('Clear Caches…', 'clear-all', () => post({ type: 'clearCaches' }), { id: 'clear-caches', class: 'secondary' }),
      this.reason,
    );
  }

  /** What the mode picker shows (agent only while it is allowed). */
  pickedMode(): 'chat' | 'agent' {
    return this.mode.value === 'agent' && !(this.mode.options[1] as HTMLOptionElement).disabled ? 'agent' : 'chat';
  }

  update(p: PanelState): void {
    if (p.prompts !== this.prompts) {
      this.prompts = p.prompts;
      const list = p.prompts ?? [];
      this.prompt.replaceChildren(...(list.length ? list.map((x) => el('option', { value: x.id, title: x.path }, `${x.id} · ${x.model}`)) : [el('option', { value: '' }, 'No prompt files found')]));
    }
    if (p.selectedPromptId !== undefined && this.prompt.value !== p.selectedPromptId) this.prompt.value = p.selectedPromptId;
    const allowed = p.agent?.allowed ?? true;
    (this.mode.options[1] as HTMLOptionElement).disabled = !allowed;
    const mode = p.mode ?? 'chat';
    if (this.mode.value !== mode) this.mode.value = mode;
    setText(this.reason, allowed ? '' : (p.agent?.reason ?? 'Agent mode is not available.'));
    toggle(this.reason, 'hidden', allowed);
    const turns = p.conversation?.turns ?? [];
    const last = turns[turns.length - 1];
    const busy = !!last?.inFlight;
    this.retry.disabled = !last || busy;
    this.cont.disabled = !last?.canContinue || busy;
  }
}
