// A conversation with one prompt: its messages, and a queue of turns. A second message sent while
// one is being answered waits for it (no "busy" refusal); conversations are independent.
import type { ContentBlock, MessageParam } from '../../shared/anthropic';
import { appendUser, runTurn, type TurnOptions, type TurnResult, type TurnState } from './agentLoop';
import type { RunnerDeps } from './runnerDeps';

export interface ConversationSnapshot {
  id: string;
  /** User turns attempted so far: a failed turn keeps its number, so records never share one. */
  turns: number;
  messages: MessageParam[];
  lastMessageId: string | null;
}

export class Conversation {
  private state: TurnState;
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;
  /** The last user turn and the history before it, so it can be sent again (retry, or past a local answer). */
  private last: { before: MessageParam[]; content: string | ContentBlock[] } | undefined;

  constructor(
    private readonly deps: RunnerDeps,
    restored: ConversationSnapshot,
  ) {
    this.state = { conversationId: restored.id, turn: restored.turns, messages: structuredClone(restored.messages), lastMessageId: restored.lastMessageId };
  }

  get id(): string {
    return this.state.conversationId;
  }

  /** Turns queued or running. */
  get busy(): number {
    return this.pending;
  }

  snapshot(): ConversationSnapshot {
    return { id: this.state.conversationId, turns: this.state.turn, messages: structuredClone(this.state.messages), lastMessageId: this.state.lastMessageId };
  }

  /** Queues one user turn; resolves when the model stopped (or the turn failed). Rejects only when the prompt cannot be planned. */
  send(content: string | ContentBlock[], opts: TurnOptions): Promise<TurnResult> {
    return this.enqueue(() => {
      this.last = { before: this.state.messages.slice(), content };
      return this.run(opts, (messages) => appendUser(messages, content), true);
    });
  }

  /**
   * Sends the last user turn again in place of its answer (a retry, or "send for real" after a
   * local answer: pass `localAnswers: false`). A new turn number: both attempts stay recorded.
   */
  resendLast(opts: TurnOptions): Promise<TurnResult> {
    return this.enqueue(() => {
      const last = this.last;
      if (!last) throw new Error('There is no earlier message in this conversation to send again.');
      return this.run(opts, (messages) => {
        messages.splice(0, messages.length, ...last.before);
        appendUser(messages, last.content);
      }, true);
    });
  }

  /** Lets the model go on after an answer cut at max_tokens (the API continues the last assistant message). */
  continueTurn(opts: TurnOptions): Promise<TurnResult> {
    return this.enqueue(() => {
      const last = this.state.messages[this.state.messages.length - 1];
      if (last?.role !== 'assistant') throw new Error('There is no cut-off answer to continue; send a message instead.');
      return this.run(opts, () => undefined, false);
    });
  }

  private enqueue(job: () => Promise<TurnResult>): Promise<TurnResult> {
    this.pending++;
    const run = this.tail.then(job).finally(() => this.pending--);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** A failed or cancelled turn leaves the conversation as it was before it (its records stay). */
  private async run(opts: TurnOptions, prepare: (messages: MessageParam[]) => void, newTurn: boolean): Promise<TurnResult> {
    // Array copies only: message objects are never changed in place (see agentLoop's append*).
    const before = this.state.messages.slice();
    const working: TurnState = { ...this.state, turn: this.state.turn + (newTurn ? 1 : 0), messages: before.slice() };
    prepare(working.messages);
    try {
      const result = await runTurn(this.deps, working, opts);
      this.state = result.kept ? working : { ...working, messages: before };
      return result;
    } catch (err) {
      this.state = { ...working, messages: before };
      throw err;
    }
  }
}
