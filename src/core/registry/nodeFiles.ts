// FileAccess over node:fs for the CLI and the token worker (both run outside VS Code). Every read
// goes through the workspace boundary (real paths, so a link cannot lead out) and a bounded read
// (type and size checked before opening). Listing is synchronous: the callers are a one-shot CLI
// and a worker thread, never the host's main thread.
// (This file belongs in src/node/; it stays here while core/tokens/worker.ts imports it.)
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { readBytesBounded } from '../../node/boundedRead';
import { resolveInWorkspace } from '../../node/workspacePath';
import { FileRefusedError, MAX_FILE_BYTES, type FileAccess } from './resolve';

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
 * Symbolic links are not listed (a glob never leads through one); a file named explicitly may be
 * a link that stays inside the workspace.
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

/** Reads a context or tools file: undefined when missing, FileRefusedError for anything refused. */
async function readInside(root: string, abs: string, maxBytes: number): Promise<Uint8Array | undefined> {
  const where = await resolveInWorkspace(root, abs);
  if (!where.ok) {
    if (where.reason === 'missing') return undefined;
    throw new FileRefusedError(where.message);
  }
  const read = await readBytesBounded(where.real, { maxBytes, label: where.rel });
  if (read.ok) return read.bytes;
  if (read.reason === 'missing') return undefined;
  throw new FileRefusedError(read.message);
}

export function nodeFiles(root: string, maxBytes = MAX_FILE_BYTES): FileAccess {
  return {
    root,
    read: (abs) => readInside(root, abs, maxBytes),
    list: async () => listFiles(root),
  };
}
