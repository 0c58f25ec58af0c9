// The multi-line composer and the live forecast line. Built once and never re-rendered: updates
// only toggle buttons and the forecast text, so focus and the cursor survive streaming answers.
import type { PanelState, PanelToHost } from '../shared/protocol';
import type { ForecastView, PanelMode } from '../shared/panelViews';
import { button, el, int, setText, usd } from './dom';

type Post = (m: PanelToHost) => void;

/** The forecast asks the worker; one request per pause in typing keeps typing lag-free. */
export const TYPING_DEBOUNCE_MS = 250;

export function forecastText(f: ForecastView | undefined): string {
  if (!f) return '';
  const cost = f.costUsd === undefined ? '' : ` · ≈${usd(f.costUsd)}`;
  return `Next request ≈ reads ${int(f.cacheRead)} · writes ${int(f.cacheWrite)} · uncached ${int(f.input)}${cost}${f.note ? ` — ${f.note}` : ''}`;
}

export class ComposerPart {
  readonly root = el('section', { class: 'composer', 'aria-label': 'Message' });
  readonly input = el('textarea', { id: 'composer-input', rows: '4', placeholder: 'Message the prompt… (Ctrl+Enter to send)', 'aria-describedby': 'forecast' });
  private readonly forecast = el('p', { id: 'forecast', class: 'forecast muted', 'aria-live': 'polite' });
  private readonly sendButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private mode: PanelMode = 'chat';
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Why nothing may be sent now (a past session is shown; the template inputs do not render). */
  private blocked: string | undefined;
  private draftId = -1;

  /** `pickedMode`: the mode picker's value now, so a send right after a pick is not sent in the mode the host confirmed last. */
  constructor(private readonly post: Post, private readonly pickedMode?: () => PanelMode) {
    this.sendButton = button('Send', 'send', () => this.send(), { id: 'send-message', title: 'Send (Ctrl+Enter)' });
    this.cancelButton = button('Cancel', 'debug-stop', () => post({ type: 'cancel' }), { id: 'cancel', class: 'secondary' });
    const label = el('label', { for: 'composer-input', class: 'visually-hidden' }, 'Message');
    this.root.append(label, this.input, this.forecast, el('div', { class: 'actions' }, this.sendButton, this.cancelButton, el('span', { class: 'muted hint' }, 'Ctrl+Enter sends · Esc cancels')));
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.send();
      } else if (e.key === 'Escape' && !this.cancelButton.disabled) {
        // Stopping an answer should not need the mouse.
        e.preventDefault();
        post({ type: 'cancel' });
      }
    });
    this.input.addEventListener('input', () => this.typed());
  }

  private typed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.post({ type: 'typing', text: this.input.value }), TYPING_DEBOUNCE_MS);
  }

  private send(): void {
    const text = this.input.value;
    if (!text.trim() || this.blocked) return;
    clearTimeout(this.timer);
    this.post({ type: 'send', text, mode: this.pickedMode?.() ?? this.mode });
    this.input.value = '';
    this.post({ type: 'typing', text: '' });
  }

  update(p: PanelState): void {
    this.mode = p.mode ?? 'chat';
    const busy = !!p.conversation?.turns.some((t) => t.inFlight);
    if (this.cancelButton.disabled === busy) this.cancelButton.disabled = !busy;
    const past = !!p.conversation?.past;
    const badInputs = p.overrides?.inputs && p.overrides.error ? `Not sent until the template inputs render: ${p.overrides.error}` : undefined;
    this.blocked = past ? 'A past session is shown: go back to the current one to send.' : badInputs;
    if (this.sendButton.disabled !== !!this.blocked) this.sendButton.disabled = !!this.blocked;
    // A message the host handed back (not sent) returns to an empty composer; typed text always wins.
    if (p.draft && p.draft.id !== this.draftId) {
      this.draftId = p.draft.id;
      if (!this.input.value) this.input.value = p.draft.text;
    }
    setText(this.forecast, this.blocked ?? forecastText(p.forecast));
  }
}
