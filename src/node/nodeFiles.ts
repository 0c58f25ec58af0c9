// FileAccess over node:fs for the CLI and the engine worker (both run outside VS Code). Every read
// goes through the workspace boundary (real paths, so a link cannot lead out) and a bounded read
// (type and size checked before opening). Listing is synchronous: the callers are a one-shot CLI
// and a worker thread, never the host's main thread.
import { existsSync, readdirSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { readBytesBounded } from './boundedRead';
import { resolveInWorkspace } from './workspacePath';
import { FileRefusedError, MAX_FILE_BYTES, type FileAccess } from '../core/registry/resolve';
import { overLimitMessage, type SizeLimit } from '../core/registry/sizeLimit';

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
export function listFiles(root: string, limit = MAX_LISTED_FILES, under?: string): string[] {
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
  const start = under ? join(root, under) : root;
  // `under` comes from a glob already checked to lie inside the workspace; a missing folder lists nothing.
  if (under && !existsSync(start)) return out;
  walk(start);
  return out;
}

/**
 * Files read recently, by path: every request of a conversation reads the same tools and context
 * files, and the boundary check plus a bounded read cost about half a millisecond each. An entry is
 * reused only while lstat still shows the same regular file (device, inode, size, mtime); a
 * change, or a link appearing in its place, takes the full path again. Bounded by bytes.
 */
const recent = new Map<string, { stamp: string; bytes: Uint8Array }>();
const RECENT_BYTES = 16 * 1024 * 1024;
let recentBytes = 0;

async function freshStampOf(abs: string): Promise<string | undefined> {
  const st = await lstat(abs).catch(() => undefined);
  return st?.isFile() ? `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}` : undefined;
}

/**
 * Stamps taken once per batch of plans (withFileSnapshot): 500 prompts sharing a tools file and
 * a few documents would otherwise wait for 1,500 lstat calls, a third of their planning time.
 */
let snapshot: Map<string, Promise<string | undefined>> | undefined;

function stampOf(abs: string): Promise<string | undefined> {
  if (!snapshot) return freshStampOf(abs);
  let s = snapshot.get(abs);
  if (!s) {
    s = freshStampOf(abs);
    snapshot.set(abs, s);
  }
  return s;
}

/**
 * Runs `fn` (plans of several prompts, one after another) against one snapshot of the files'
 * stamps: each tools or context file is checked once, at its first read in the batch, and a
 * change after that is planned by the next batch (the watcher re-plans the prompts naming it).
 * Callers must not overlap batches with other reads (the engine worker handles one request at a time).
 */
export async function withFileSnapshot<T>(fn: () => Promise<T>): Promise<T> {
  if (snapshot) return fn();
  snapshot = new Map();
  try {
    return await fn();
  } finally {
    snapshot = undefined;
  }
}

function remember(key: string, stamp: string, bytes: Uint8Array): void {
  const old = recent.get(key);
  if (old) recentBytes -= old.bytes.length;
  recent.delete(key);
  recent.set(key, { stamp, bytes });
  recentBytes += bytes.length;
  for (const [k, v] of recent) {
    if (recentBytes <= RECENT_BYTES) break;
    recent.delete(k);
    recentBytes -= v.bytes.length;
  }
}

async function readInside(root: string, abs: string, limit: SizeLimit): Promise<Uint8Array | undefined> {
  const key = `${root}\0${abs}\0${limit.maxBytes}`;
  const stamp = await stampOf(abs);
  const hit = stamp ? recent.get(key) : undefined;
  if (hit && hit.stamp === stamp) return hit.bytes;
  const bytes = await readChecked(root, abs, limit);
  // Only a file that was a plain file before and after the read is remembered.
  if (bytes && stamp && stamp === (await freshStampOf(abs))) remember(key, stamp, bytes);
  return bytes;
}

/** Reads a context or tools file: undefined when missing, FileRefusedError for anything refused. */
async function readChecked(root: string, abs: string, limit: SizeLimit): Promise<Uint8Array | undefined> {
  const maxBytes = limit.maxBytes;
  const where = await resolveInWorkspace(root, abs);
  if (!where.ok) {
    if (where.reason === 'missing') return undefined;
    throw new FileRefusedError(where.message, where.reason === 'outside' || where.reason === 'symlink-outside' ? 'outside-workspace' : 'file-refused');
  }
  const read = await readBytesBounded(where.real, { maxBytes, label: where.rel });
  if (read.ok) return read.bytes;
  if (read.reason === 'missing') return undefined;
  if (read.reason === 'too-large') {
    const size = (await lstat(where.real).catch(() => undefined))?.size ?? maxBytes + 1;
    throw new FileRefusedError(overLimitMessage(where.rel, Math.max(size, maxBytes + 1), limit), 'file-too-large');
  }
  throw new FileRefusedError(read.message, READ_CODES[read.reason] ?? 'file-refused');
}

const READ_CODES: Partial<Record<string, string>> = { 'too-large': 'file-too-large', binary: 'binary-file', 'not-utf8': 'binary-file', 'not-file': 'not-a-file' };

/** `limit.raise` names how the caller's user raises the limit (a setting, a CLI flag). */
export function nodeFiles(root: string, limit: SizeLimit = { maxBytes: MAX_FILE_BYTES, raise: 'the size limit' }): FileAccess {
  return {
    root,
    limit,
    read: (abs) => readInside(root, abs, limit),
    list: async (under) => listFiles(root, MAX_LISTED_FILES, under),
  };
}
