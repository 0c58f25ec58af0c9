// FileAccess over node:fs for the CLI and the token worker (both run outside VS Code). Reads
// are synchronous: the callers are a one-shot CLI and a worker thread, never the host's main
// thread.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { FileAccess } from './resolve';

/** Glob expansion lists at most this many workspace files, so a huge workspace cannot stall planning. */
export const MAX_LISTED_FILES = 20_000;

/** The nearest folder at or above `from` holding .git or package.json; else `cwd`. */
export function workspaceRoot(from: string, cwd = process.cwd()): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git')) || existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return cwd;
  }
}

/**
 * Workspace-relative, '/'-separated files under `root`, at most `limit` of them. node_modules
 * and dot-folders are skipped (they hold tooling, not prompt material), except `.prompts`.
 */
export function listFiles(root: string, limit = MAX_LISTED_FILES): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (out.length >= limit) return;
      if (e.name === 'node_modules' || (e.name.startsWith('.') && e.name !== '.prompts')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(relative(root, p).split('\\').join('/'));
    }
  };
  walk(root);
  return out;
}

export function nodeFiles(root: string): FileAccess {
  return {
    root,
    read: async (abs) => (existsSync(abs) && statSync(abs).isFile() ? readFileSync(abs) : undefined),
    list: async () => listFiles(root),
  };
}
