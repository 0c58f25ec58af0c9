// The one workspace boundary: every path a user, a prompt file or the model names is resolved
// here before anything is read. The check runs on real paths (fs.realpath of the root and of the
// target), because a textual check lets a symbolic link inside the workspace lead anywhere
// (docs/x.md -> /etc/passwd was read into a request before this existed).
import { lstat, readlink, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

export type WorkspacePathRefusal = 'invalid' | 'outside' | 'symlink-outside' | 'missing' | 'unreadable';

export type WorkspacePath =
  | {
      ok: true;
      /** The real absolute path: open this one, not the path as given, so the checked file is the read file. */
      real: string;
      /** '/'-separated, relative to the workspace root, as the user would write it (links not expanded). */
      rel: string;
    }
  | { ok: false; reason: WorkspacePathRefusal; message: string };

export interface WorkspacePathOptions {
  /** Folder a relative path is relative to (a prompt file's folder); default the root. Must lie inside the root. */
  base?: string;
}

const toSlash = (p: string) => p.split(sep).join('/');

/** `child` relative to `parent`, or undefined when it is not `parent` itself or below it. */
function within(parent: string, child: string): string | undefined {
  const rel = relative(parent, child);
  if (rel === '') return '';
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel;
}

const refuse = (reason: WorkspacePathRefusal, message: string): WorkspacePath => ({ ok: false, reason, message });

/**
 * Resolves `given` (relative to `options.base` or the root, or absolute) inside the workspace
 * `root`. Refuses `..` escapes, absolute paths elsewhere, and links whose target leaves the
 * workspace, naming where the link points. A link that stays inside is allowed.
 * Never throws: every refusal is a value with a one-line message.
 */
export async function resolveInWorkspace(root: string, given: unknown, options: WorkspacePathOptions = {}): Promise<WorkspacePath> {
  if (typeof given !== 'string' || given.trim() === '') return refuse('invalid', 'the path must be a non-empty string');
  if (given.includes('\0')) return refuse('invalid', 'the path contains a NUL character');
  const rootAbs = resolve(root);
  let rootReal: string;
  try {
    rootReal = await realpath(rootAbs);
  } catch (err) {
    return refuse('unreadable', `the workspace folder ${rootAbs} cannot be opened (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const target = resolve(options.base ?? rootAbs, given);
  // Lexical first: `..` and foreign absolute paths are refused without touching the file system.
  // An absolute path may name the workspace through its real path (e.g. /tmp -> /private/tmp).
  const lexical = within(rootAbs, target) ?? within(rootReal, target);
  if (lexical === undefined) return refuse('outside', `${given} is outside the workspace folder; only files inside it can be used`);
  const rel = toSlash(lexical) || '.';
  let real: string;
  try {
    real = await realpath(target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return refuse('missing', `${rel} does not exist`);
    return refuse('unreadable', `${rel} cannot be opened (${code ?? (err as Error).message})`);
  }
  if (within(rootReal, real) === undefined) return refuse('symlink-outside', await linkMessage(rootAbs, lexical, real));
  return { ok: true, real, rel };
}

/** Names the link that leads out: the path itself, or the first folder on the way that is a link. */
async function linkMessage(rootAbs: string, lexical: string, real: string): Promise<string> {
  const parts = lexical.split(sep);
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i);
    const abs = join(rootAbs, ...prefix);
    try {
      if (!(await lstat(abs)).isSymbolicLink()) continue;
      const shown = toSlash(prefix.join(sep));
      if (i === parts.length) return `${shown} is a symbolic link to ${real}, outside the workspace; refused`;
      const points = resolve(join(rootAbs, ...prefix.slice(0, -1)), await readlink(abs));
      return `${toSlash(lexical)} goes through ${shown}, a symbolic link to ${points}, and resolves to ${real}, outside the workspace; refused`;
    } catch {
      // A component vanished while we looked: fall through to the generic message.
    }
  }
  return `${toSlash(lexical)} resolves to ${real}, outside the workspace; refused`;
}

/** True when `abs` (a real path) lies inside the real workspace root; for walkers that meet links. */
export async function realPathInside(rootReal: string, abs: string): Promise<boolean> {
  try {
    return within(rootReal, await realpath(abs)) !== undefined;
  } catch {
    return false;
  }
}
