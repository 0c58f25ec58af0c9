// What a prompt file is, by path (the defaults of `promptCacheLab.promptGlobs`), and the one
// check that needs every prompt at once: an id used by two files.
import { promptMatcher } from './promptMatch';
import type { Diagnostic, PromptSpec } from './types';

export const DEFAULT_PROMPT_GLOBS = ['**/*.prompt.md', '.prompts/**/*.md', '**/*.prompty'] as const;

const isDefaultPrompt = promptMatcher(DEFAULT_PROMPT_GLOBS);

/** Whether a workspace-relative, '/'-separated path is a prompt file under the default globs (see promptMatcher). */
export function isPromptPath(rel: string): boolean {
  return isDefaultPrompt(rel);
}

/**
 * `duplicate-id`: the ledger, the Prompts view and `--prompt` address prompts by id, so two files
 * with one id are ambiguous. One diagnostic per file, on its `id:` line (line 1 when the id
 * comes from the file name), naming the other files.
 */
export function duplicateIdDiagnostics(specs: readonly Pick<PromptSpec, 'id' | 'path' | 'keyLines'>[]): Map<string, Diagnostic> {
  const byId = new Map<string, string[]>();
  for (const s of specs) byId.set(s.id, [...(byId.get(s.id) ?? []), s.path]);
  const out = new Map<string, Diagnostic>();
  for (const s of specs) {
    const paths = byId.get(s.id) ?? [];
    if (paths.length < 2) continue;
    const others = paths.filter((p) => p !== s.path);
    out.set(s.path, { severity: 'error', code: 'duplicate-id', key: 'id', line: s.keyLines.id ?? 1, column: 1, message: `The id '${s.id}' is also used by ${others.join(', ')}: prompt ids must be unique in the workspace.` });
  }
  return out;
}
