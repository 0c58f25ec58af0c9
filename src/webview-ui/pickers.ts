// Model, backend and TTL pickers and the prompt's template inputs. Built once; updates patch
// values and lists only, and never overwrite a field the user is typing in.
import type { PanelState, PanelToHost } from '../shared/protocol';
import type { OverridesView, PromptInputView, TtlChoice, TtlTier } from '../shared/panelViews';
import { button, el, setText, toggle } from './dom';

type Post = (m: PanelToHost) => void;

/** Inputs are posted once typing pauses: each post re-plans the prompt. */
export const INPUTS_DEBOUNCE_MS = 300;
const TIERS: readonly TtlTier[] = ['system', 'context', 'conversation'];

const focused = (node: Element) => node.ownerDocument.activeElement === node;

function ttlSelect(tier: TtlTier): HTMLSelectElement {
  return el('select', { id: `ttl-${tier}`, 'aria-label': `${tier} TTL` }, el('option', { value: 'default' }, 'prompt default'), el('option', { value: '5m' }, '5m'), el('option', { value: '1h' }, '1h'));
}

export class PickersPart {
  readonly root = el('section', { class: 'pickers', 'aria-label': 'Model, backend and cache TTLs' });
  private readonly backend = el('select', { id: 'backend-picker' }, el('option', { value: 'offline' }, 'Offline emulator'), el('option', { value: 'anthropic' }, 'Anthropic API'));
  private readonly model = el('input', { id: 'model-picker', list: 'model-ids', autocomplete: 'off', spellcheck: 'false' });
  private readonly ids = el('datalist', { id: 'model-ids' });
  private readonly ttl = new Map(TIERS.map((t) => [t, ttlSelect(t)]));
  private readonly keyNote = el('p', { class: 'note hidden', id: 'needs-key' });
  private readonly error = el('p', { class: 'error hidden', id: 'picks-error', role: 'alert' });
  private readonly notes = el('div', { class: 'note', id: 'picks-notes' });
  private readonly inputs = el('fieldset', { class: 'prompt-inputs hidden', id: 'prompt-inputs' }, el('legend', {}, 'Template inputs'));
  private fields = new Map<string, HTMLTextAreaElement>();
  private names = '';
  private view: OverridesView | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly post: Post) {
    this.backend.addEventListener('change', () => post({ type: 'setBackend', backend: this.backend.value === 'anthropic' ? 'anthropic' : 'offline' }));
    this.model.addEventListener('change', () => post({ type: 'setModel', model: this.model.value.trim() }));
    this.model.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') post({ type: 'setModel', model: this.model.value.trim() });
    });
    for (const [tier, s] of this.ttl) s.addEventListener('change', () => post({ type: 'setTtl', tier, ttl: s.value as TtlChoice }));
    const keyButton = button('Set API Key', 'key', () => post({ type: 'runCommand', command: 'setApiKey' }), { id: 'picks-set-key', class: 'secondary' });
    this.keyNote.append('Anthropic needs an API key; the panel stays on the offline emulator until one is set. ', keyButton);
    this.root.append(
      el('label', { for: 'backend-picker' }, 'Backend'), this.backend,
      el('label', { for: 'model-picker' }, 'Model'), this.model, this.ids,
      el('span', { class: 'ttl-label' }, 'TTL'),
      ...TIERS.flatMap((t) => [el('label', { for: `ttl-${t}` }, t), this.ttl.get(t) as HTMLSelectElement]),
      this.keyNote, this.error, this.notes, this.inputs,
    );
  }

  update(p: PanelState): void {
    if (!focused(this.backend) && this.backend.value !== p.backend.kind) this.backend.value = p.backend.kind;
    const o = p.overrides;
    if (o === this.view) return;
    const old = this.view;
    this.view = o;
    if (o?.models !== old?.models) this.ids.replaceChildren(...(o?.models ?? []).map((id) => el('option', { value: id })));
    this.model.placeholder = o ? `prompt's own: ${o.promptModel}` : '';
    if (!focused(this.model) && this.model.value !== (o?.model ?? '')) this.model.value = o?.model ?? '';
    for (const [tier, s] of this.ttl) if (s.value !== (o?.ttl[tier] ?? 'default')) s.value = o?.ttl[tier] ?? 'default';
    toggle(this.keyNote, 'hidden', !o?.needsKey);
    setText(this.error, o?.error ?? '');
    toggle(this.error, 'hidden', !o?.error);
    if (o?.notes !== old?.notes) this.notes.replaceChildren(...(o?.notes ?? []).map((n) => el('p', {}, n)));
    this.patchInputs(o?.inputs);
  }

  private patchInputs(inputs: PromptInputView[] | undefined): void {
    toggle(this.inputs, 'hidden', !inputs?.length);
    const names = (inputs ?? []).map((i) => i.name).join('\u0000');
    if (names !== this.names) {
      this.names = names;
      this.fields = new Map();
      const rows = (inputs ?? []).map((i) => {
        const id = `input-${i.name}`;
        const area = el('textarea', { id, rows: '1', class: 'prompt-input', 'data-input': i.name });
        area.addEventListener('input', () => this.typed());
        this.fields.set(i.name, area);
        return el('div', { class: 'input-row' }, el('label', { for: id }, i.name), area);
      });
      this.inputs.replaceChildren(el('legend', {}, 'Template inputs'), ...rows);
    }
    for (const i of inputs ?? []) {
      const f = this.fields.get(i.name);
      if (f && !focused(f) && f.value !== i.value) f.value = i.value;
      if (f) f.title = `sample: ${i.sample}`;
    }
  }

  private typed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.post({ type: 'setInputs', inputs: Object.fromEntries([...this.fields].map(([k, f]) => [k, f.value])) }), INPUTS_DEBOUNCE_MS);
  }
}
