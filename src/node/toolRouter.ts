// Routes each tool call to the executor that answers it: the built-in tools by name first, then a
// fallback (the mock-results file, or the user). The request gets the built-in definitions; the
// fallback answers tools the prompt file already defines.
import type { ToolDefinition } from '../shared/anthropic';
import type { ToolCall, ToolExecutor, ToolOutput } from '../core/ports';

export interface ToolRouterOptions {
  /** Executors whose definitions() name the tools they answer (the built-in workspace tools). */
  builtin?: ToolExecutor[];
  /** Answers every other call (e.g. MockTools); without it such calls are isError results. */
  fallback?: ToolExecutor;
  /**
   * Names of the tools the prompt file defines. A built-in tool of the same name is dropped (from
   * definitions and routing): the API refuses duplicate names, and the prompt's own tool wins.
   */
  promptTools?: readonly string[];
}

export class ToolRouter implements ToolExecutor {
  private readonly owners = new Map<string, ToolExecutor>();
  private readonly defs: ToolDefinition[] = [];

  constructor(private readonly options: ToolRouterOptions) {
    for (const executor of options.builtin ?? []) {
      for (const d of executor.definitions()) {
        // First executor wins a name; the API refuses duplicate tool names anyway.
        if (this.owners.has(d.name) || options.promptTools?.includes(d.name)) continue;
        this.owners.set(d.name, executor);
        this.defs.push(d);
      }
    }
  }

  /** The built-in definitions to add to the request (without those the prompt defines itself). */
  definitions(): ToolDefinition[] {
    return [...this.defs];
  }

  async run(call: ToolCall, signal?: AbortSignal): Promise<ToolOutput> {
    const executor = this.owners.get(call.name) ?? this.options.fallback;
    if (!executor) return { content: `no tool named ${call.name} is available here`, isError: true };
    try {
      return await executor.run(call, signal);
    } catch (err) {
      // Executors promise not to throw; the router keeps that promise even if one breaks it.
      return { content: `${call.name} failed: ${(err as Error).message}`, isError: true };
    }
  }
}
