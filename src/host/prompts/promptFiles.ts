// The one definition of "what is a prompt file": a workspace file matching a glob of
// `promptCacheLab.promptGlobs` (workspace-relative), not under node_modules and not hidden by
// `files.exclude`. The registry, the watcher, the language features and every message use it;
// package.json's activationEvents list the default globs (a test checks they agree).
import * as vscode from 'vscode';
import { promptMatcher, type PromptMatcher } from '../../core/registry/promptMatch';
import { DEFAULTS, readSettings } from '../config';

export const PROMPT_LANGUAGES = ['prompt', 'markdown', 'prompty'] as const;

/** The configured globs; a broken setting (not a list of strings) falls back to the defaults. */
export function promptGlobs(): string[] {
  const globs = readSettings().promptGlobs;
  const valid = Array.isArray(globs) ? globs.filter((g): g is string => typeof g === 'string' && g.trim() !== '') : [];
  return valid.length ? valid : [...DEFAULTS.promptGlobs];
}

/** "*.prompt.md, .prompts/**\/*.md or *.prompty": for messages that tell the user what counts. */
export function describeGlobs(): string {
  const globs = promptGlobs().map((g) => g.replace(/^\*\*\//, ''));
  return globs.length > 1 ? `${globs.slice(0, -1).join(', ')} or ${globs.at(-1)}` : (globs[0] ?? '');
}

let compiled: { key: string; matches: PromptMatcher } | undefined;

/** Compiled once per distinct setting value: called on every keystroke of every document. */
function matcher(): PromptMatcher {
  const globs = promptGlobs();
  const excludes = vscode.workspace.getConfiguration('files').get<Record<string, unknown>>('exclude') ?? {};
  const hidden = Object.entries(excludes).filter(([, on]) => on === true).map(([g]) => g);
  const key = JSON.stringify([globs, hidden]);
  if (compiled?.key !== key) compiled = { key, matches: promptMatcher(globs, hidden) };
  return compiled.matches;
}

/** Workspace-relative, '/'-separated; undefined for files outside every workspace folder. */
export function relativeInWorkspace(uri: vscode.Uri): string | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return undefined;
  return vscode.workspace.asRelativePath(uri, false).replace(/\\/g, '/');
}

export function isPromptUri(uri: vscode.Uri): boolean {
  if (uri.scheme !== 'file') return false;
  const rel = relativeInWorkspace(uri);
  if (rel === undefined) return false;
  return matcher()(rel);
}

export function isPromptFile(doc: vscode.TextDocument): boolean {
  return isPromptUri(doc.uri);
}

/** Language features for prompt files: each language id × each glob below each workspace folder. */
export function promptSelector(): vscode.DocumentFilter[] {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return folders.flatMap((f) => promptGlobs().flatMap((g) => PROMPT_LANGUAGES.map((language) => ({ language, scheme: 'file', pattern: new vscode.RelativePattern(f, g) }))));
}
