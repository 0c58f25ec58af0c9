// The tools an agent turn may call for a prompt document: the built-in workspace tools, confined
// to the prompt's workspace folder, plus the prompt's own tools answered from its `tool_results:`
// file or by the user (node/agentTools.ts decides; the editor's unsaved text is what is read).
import * as vscode from 'vscode';
import type { ToolExecutor } from '../../core/ports';
import type { Logger } from '../log';

/** `ask`: the user answers the prompt's own tools when it names no mock-results file. */
export function agentTools(log: Logger, ask?: ToolExecutor['run']): (doc: vscode.TextDocument) => Promise<ToolExecutor> {
  return async (doc) => {
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    if (!folder) throw new Error(`${doc.uri.fsPath} is not inside a workspace folder; agent tools only read files of an open folder.`);
    const { agentToolsFor } = await import('../../node/bundle');
    const tools = await agentToolsFor({ promptPath: doc.uri.fsPath, promptText: doc.getText(), root: folder.uri.fsPath, ...(ask ? { ask } : {}) });
    log.info(`agent tools for ${vscode.workspace.asRelativePath(doc.uri)}: ${tools.definitions().map((d) => d.name).join(', ')}`);
    return tools;
  };
}
