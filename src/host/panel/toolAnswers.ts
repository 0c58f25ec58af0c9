// The user answers a prompt tool the model called (agent turns without a mock-results file): in
// the panel when it is open (a form under the turn), otherwise in an input box. Cancelling the
// turn, or Escape, sends an error result, so the model is never left without one.
import * as vscode from 'vscode';
import type { ToolCall, ToolOutput } from '../../core/ports';

export interface PanelAsker {
  /** Undefined when the panel is not open. */
  askInPanel(call: ToolCall, signal?: AbortSignal): Promise<ToolOutput> | undefined;
}

export function askUser(panel: () => PanelAsker | undefined): (call: ToolCall, signal?: AbortSignal) => Promise<ToolOutput> {
  return async (call, signal) => {
    const inPanel = panel()?.askInPanel(call, signal);
    if (inPanel) return inPanel;
    const input = JSON.stringify(call.input);
    const answer = await vscode.window.showInputBox({
      title: `The model called ${call.name}`,
      prompt: `Input: ${input.length > 300 ? `${input.slice(0, 300)}…` : input}. Type the result to send back (Escape sends an error result).`,
      ignoreFocusOut: true,
    });
    return answer === undefined ? { content: `The user did not answer ${call.name}.`, isError: true } : { content: answer, isError: false };
  };
}
