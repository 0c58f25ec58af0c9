// Builds the panel's parts once and hands each new state to them; every part patches only what
// changed in its own slice, so no message rebuilds the page.
import type { PanelState, PanelToHost } from '../shared/protocol';
import { BreakpointMapPart } from './breakpointMap';
import { ChartsPart } from './charts';
import { ComposerPart } from './composer';
import { ConversationPart } from './conversation';
import { el } from './dom';
import { HeaderPart } from './header';
import { SetupPart } from './render';
import { PickersPart } from './pickers';
import { SessionsPart } from './sessions';
import { TimelinePart } from './timeline';
import { ToolbarPart } from './toolbar';

export class PanelApp {
  readonly header = new HeaderPart();
  readonly toolbar: ToolbarPart;
  readonly pickers: PickersPart;
  readonly conversation: ConversationPart;
  readonly composer: ComposerPart;
  readonly timeline = new TimelinePart();
  readonly map = new BreakpointMapPart();
  readonly charts = new ChartsPart();
  readonly sessions: SessionsPart;
  readonly setup: SetupPart;

  constructor(root: HTMLElement, post: (m: PanelToHost) => void) {
    this.toolbar = new ToolbarPart(post);
    this.pickers = new PickersPart(post);
    this.conversation = new ConversationPart(post);
    this.composer = new ComposerPart(post, () => this.toolbar.pickedMode());
    this.sessions = new SessionsPart(post);
    this.setup = new SetupPart(post);
    const main = el('div', { class: 'main-column' }, this.toolbar.root, this.pickers.root, this.conversation.root, this.composer.root);
    const side = el('aside', { class: 'side-column', 'aria-label': 'Cache and costs' }, this.timeline.root, this.map.root, this.charts.root, this.sessions.root, this.setup.root);
    root.replaceChildren(el('header', { class: 'top' }, el('h1', {}, 'Prompt Cache Lab'), this.header.root), el('div', { class: 'layout' }, main, side));
  }

  private latest: PanelState | undefined;
  private sideTimer: ReturnType<typeof setTimeout> | undefined;

  update(p: PanelState): void {
    this.header.update(p.totals);
    this.toolbar.update(p);
    this.pickers.update(p);
    this.conversation.update(p.conversation);
    this.composer.update(p);
    this.timeline.update(p.timeline);
    this.sessions.update(p.sessions);
    this.setup.update(p);
    this.latest = p;
    // The map and the charts draw in the task after, at most once per burst of messages: a long
    // session's snapshot shows its conversation first, and streamed tokens never wait for a chart.
    this.sideTimer ??= setTimeout(() => this.drawSide(), 0);
  }

  private drawSide(): void {
    this.sideTimer = undefined;
    if (!this.latest) return;
    this.map.update(this.latest.map);
    this.charts.update(this.latest.conversation);
  }
}
