// Why a turn ended, in words a user can act on. Every stop_reason of the API (spec §6) plus the
// runner's own: a chat turn the model wanted tools for, the iteration limit, cancel and failure.

export type StopReason =
  | 'end_turn'
  | 'stop_sequence'
  | 'max_tokens'
  | 'refusal'
  | 'model_context_window_exceeded'
  | 'tool_use'
  | 'iteration_limit'
  | 'aborted'
  | 'failed'
  | 'unknown';

export interface TurnStop {
  reason: StopReason;
  message: string;
  /** max_tokens: the answer was cut; `continueTurn` lets the model go on from where it stopped. */
  canContinue: boolean;
}

const stop = (reason: StopReason, message: string, canContinue = false): TurnStop => ({ reason, message, canContinue });

export function stopOf(apiReason: string | null, detail: { maxTokens?: number; toolNames?: string[]; stopSequence?: string | null } = {}): TurnStop {
  switch (apiReason) {
    case 'end_turn':
      return stop('end_turn', 'The model finished its answer.');
    case 'stop_sequence':
      return stop('stop_sequence', `The model stopped at a stop sequence${detail.stopSequence ? ` (${JSON.stringify(detail.stopSequence)})` : ''}.`);
    case 'max_tokens':
      return stop('max_tokens', `The answer reached max_tokens${detail.maxTokens ? ` (${detail.maxTokens})` : ''} and was cut off. Continue to let the model go on, or raise max_tokens in the prompt file.`, true);
    case 'refusal':
      return stop('refusal', 'The model declined to answer (stop_reason "refusal"). Rephrase the request or revise the prompt.');
    case 'model_context_window_exceeded':
      return stop('model_context_window_exceeded', "The conversation no longer fits the model's context window. Start a new conversation, or shorten the context documents.");
    case 'tool_use':
      return stop('tool_use', `The model asked to call ${names(detail.toolNames)}; tools run only in agent mode. Switch to agent mode to run them.`);
    default:
      return stop('unknown', `The answer ended with stop_reason ${JSON.stringify(apiReason)}, which this version does not know.`);
  }
}

export function iterationLimitStop(limit: number, toolNames: string[]): TurnStop {
  return stop('iteration_limit', `Stopped after ${limit} request${limit === 1 ? '' : 's'} (setting promptCacheLab.agent.maxIterations) while the model still wanted ${names(toolNames)}; send a message to go on.`);
}

export const abortedStop = (): TurnStop => stop('aborted', 'Cancelled; this turn was not kept in the conversation (its requests stay in the stats).');

export const failedStop = (message: string): TurnStop => stop('failed', `${message.replace(/\.?$/, '.')} This turn was not kept in the conversation; send it again to retry.`);

function names(toolNames: string[] | undefined): string {
  const list = [...new Set(toolNames ?? [])];
  return list.length ? `tool${list.length > 1 ? 's' : ''} ${list.join(', ')}` : 'a tool';
}
