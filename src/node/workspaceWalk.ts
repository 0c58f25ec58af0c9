// A bounded walk of a workspace folder for the built-in tools (list_files, search_text).
// node_modules and .git are skipped (tooling, huge); folder links are never followed (they could
// loop or lead out); a file link is listed only when its real path stays inside the workspace.
import { opendir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { realPathInside } from './workspacePath';

const SKIPPED = new Set(['node_modules', '.git']);

export interface WalkOptions {
  /** Real path of the workspace root (for the containment check of links). */
  rootReal: string;
  /** Stop after this many files; `truncated` then says so. */
  maxFiles: number;
  signal?: AbortSignal;
}

export interface WalkResult {
  /** '/'-separated, relative to `rootReal`, sorted within each folder. */
  files: string[];
  truncated: boolean;
  aborted: boolean;
}

const toSlash = (p: string) => p.split(sep).join('/');

/** Sorted entries of one folder; a folder that cannot be read counts as empty. */
async function entries(dir: string): Promise<Array<{ name: string; kind: 'dir' | 'file' | 'link' }>> {
  const out: Array<{ name: string; kind: 'dir' | 'file' | 'link' }> = [];
  try {
    for await (const e of await opendir(dir)) {
      if (e.isDirectory()) out.push({ name: e.name, kind: 'dir' });
      else if (e.isFile()) out.push({ name: e.name, kind: 'file' });
      else if (e.isSymbolicLink()) out.push({ name: e.name, kind: 'link' });
      // FIFOs, sockets and devices are never listed: no tool may read them.
    }
  } catch {
    return [];
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A file link whose real target is a regular file inside the workspace. */
async function isInsideFileLink(rootReal: string, abs: string): Promise<boolean> {
  if (!(await realPathInside(rootReal, abs))) return false;
  try {
    return (await stat(abs)).isFile();
  } catch {
    return false;
  }
}

/** Files under `startReal` (a real folder inside the workspace), depth first, bounded. */
export async function walkFiles(startReal: string, options: WalkOptions): Promise<WalkResult> {
  const result: WalkResult = { files: [], truncated: false, aborted: false };
  const stack = [startReal];
  while (stack.length > 0) {
    if (options.signal?.aborted) return { ...result, aborted: true };
    const dir = stack.pop() as string;
    const subdirs: string[] = [];
    for (const e of await entries(dir)) {
      const abs = join(dir, e.name);
      if (e.kind === 'dir') {
        if (!SKIPPED.has(e.name)) subdirs.push(abs);
        continue;
      }
      if (e.kind === 'link' && !(await isInsideFileLink(options.rootReal, abs))) continue;
      if (result.files.length >= options.maxFiles) return { ...result, truncated: true };
      result.files.push(toSlash(relative(options.rootReal, abs)));
    }
    // Reversed so the stack pops folders in name order.
    stack.push(...subdirs.reverse());
  }
  return result;
}
