// One conversation per prompt file, held in memory for this window: the messages sent so far
// and the worker session that models what those sends put in Anthropic's cache.
import { randomUUID } from 'node:crypto';
import type { MessageParam } from '../shared/anthropic';

export interface Conversation {
  readonly promptPath: string;
  sessionId: string;
  messages: MessageParam[];
  /** Id of the last answer, for cache diagnostics (`diagnostics.previous_message_id`). */
  lastMessageId?: string | null;
  /** A send is in flight; a second one is refused. */
  busy?: boolean;
}

export class Conversations {
  private readonly byPrompt = new Map<string, Conversation>();

  get(promptPath: string): Conversation {
    let c = this.byPrompt.get(promptPath);
    if (!c) {
      c = { promptPath, sessionId: randomUUID(), messages: [] };
      this.byPrompt.set(promptPath, c);
    }
    return c;
  }

  /** Starts over: the next send is turn 1 again, predicted against a fresh cache model. */
  reset(promptPath: string): string | undefined {
    const old = this.byPrompt.get(promptPath);
    this.byPrompt.delete(promptPath);
    return old?.sessionId;
  }

  turns(promptPath: string): number {
    return (this.byPrompt.get(promptPath)?.messages.length ?? 0) / 2;
  }
}
