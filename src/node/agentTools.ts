// The tools of an agent turn for one prompt, for the extension and the CLI alike: the built-in
// workspace tools confined to the workspace folder, and the prompt's own tools answered from its
// mock-results file (front matter `tool_results:`, or the CLI's --tool-results, which wins), or,
// in the extension without such a file, by the user.
import { dirname } from 'node:path';
import type { ToolExecutor } from '../core/ports';
import { parsePromptFile } from '../core/registry/parse';
import { nodeFiles } from './nodeFiles';
import { resolvePromptFiles } from '../core/registry/resolve';
import { MockTools, MockToolsError } from './mockTools';
import { ToolRouter } from './toolRouter';
import { WorkspaceTools } from './workspaceTools';
import { resolveInWorkspace } from './workspacePath';

export interface AgentToolsInput {
  promptPath: string;
  promptText: string;
  /** The workspace folder the built-in tools may read. */
  root: string;
  /** A mock-results file given on the command line (absolute or relative to the current directory). */
  toolResults?: string;
  /** Asks the user for a result of the prompt's own tools when no mock-results file is named (the extension). */
  ask?: ToolExecutor['run'];
}

/** Throws MockToolsError (one line, naming the file) when the mock-results file cannot be used. */
export async function agentToolsFor(input: AgentToolsInput): Promise<ToolExecutor> {
  const { spec } = parsePromptFile(input.promptPath, input.promptText);
  const files = spec ? await resolvePromptFiles(spec, nodeFiles(input.root)) : undefined;
  const promptTools = (files?.tools ?? []).map((t) => t.name);
  let fallback: MockTools | undefined;
  if (input.toolResults) fallback = await MockTools.load(input.toolResults);
  else if (spec?.toolResults) {
    const where = await resolveInWorkspace(input.root, spec.toolResults, { base: dirname(input.promptPath) });
    if (!where.ok) throw new MockToolsError(`tool_results: ${where.message}`);
    fallback = await MockTools.load(where.real);
  }
  const asked: ToolExecutor | undefined = input.ask ? { definitions: () => [], run: input.ask } : undefined;
  const answerer = fallback ?? asked;
  return new ToolRouter({ builtin: [new WorkspaceTools({ root: input.root })], ...(answerer ? { fallback: answerer } : {}), promptTools });
}
