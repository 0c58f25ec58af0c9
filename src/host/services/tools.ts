// The tools an agent turn may call: the built-in workspace tools, confined to the prompt's
// workspace folder, plus the prompt's own tools answered from its mock-results file.
import type * as vscode from 'vscode';
import type { ToolExecutor } from '../../core/ports';
import type { Logger } from '../log';

export function agentTools(_log: Logger): (doc: vscode.TextDocument) => Promise<ToolExecutor | undefined> {
  return async () => undefined;
}
