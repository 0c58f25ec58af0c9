// The one definition of "what is a prompt file", by workspace-relative path: it matches a glob of
// `promptCacheLab.promptGlobs`, lies under no node_modules folder, and neither it nor a folder
// above it matches an exclude glob (VS Code's `files.exclude`). The host's registry and watcher,
// the CLI's `check` and the registry bench all build their matcher here.
import { globToRegExp } from './glob';

export type PromptMatcher = (rel: string) => boolean;

/** `rel` is '/'-separated and workspace-relative; exclude globs may end in '/' (a folder). */
export function promptMatcher(globs: readonly string[], excludeGlobs: readonly string[] = []): PromptMatcher {
  const include = globs.map(globToRegExp);
  const exclude = excludeGlobs.map((g) => globToRegExp(g.replace(/\/$/, '')));
  return (rel) => include.some((re) => re.test(rel)) && !excluded(rel, exclude);
}

function excluded(rel: string, exclude: RegExp[]): boolean {
  const segments = rel.split('/');
  if (segments.includes('node_modules')) return true;
  if (!exclude.length) return false;
  for (let i = 1; i <= segments.length; i++) {
    const prefix = segments.slice(0, i).join('/');
    if (exclude.some((re) => re.test(prefix))) return true;
  }
  return false;
}
