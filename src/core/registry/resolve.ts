// Loads what a PromptSpec points at (tools JSON, context documents) through an injected file
// reader, so the same code serves the extension (workspace.fs) and the CLI (node:fs).
import { posix } from 'node:path';
import type { ToolDefinition } from '../../shared/anthropic';
import type { ContextDocument } from '../compose/compose';
import { globBase, globToRegExp, isGlob } from './glob';
import { DEFAULT_MAX_FILE_BYTES, overLimitMessage, type SizeLimit } from './sizeLimit';
import { parseToolsJson } from './tools';
import type { Diagnostic, PromptSpec, Span } from './types';

/** Context documents and tools files larger than this are refused unless the file access sets its own limit. */
export const MAX_FILE_BYTES = DEFAULT_MAX_FILE_BYTES;

/**
 * Thrown by `FileAccess.read` when it refuses a file (a link out of the workspace, not a regular
 * file, over the size limit); the message names the file and is shown as it is.
 */
export class FileRefusedError extends Error {
  /** `code` is the diagnostic code (outside-workspace, file-too-large, binary-file, not-a-file, file-refused). */
  constructor(
    message: string,
    readonly code = 'file-refused',
  ) {
    super(message);
  }
}

export interface FileAccess {
  /** Absolute workspace root. */
  root: string;
  /** Reads a file by absolute path; undefined when it does not exist; throws FileRefusedError when it refuses it. */
  read(absPath: string): Promise<Uint8Array | undefined>;
  /**
   * Workspace-relative, '/'-separated paths of the workspace's files (for globs); with `under`
   * (a workspace-relative folder), only those below it: a glob never walks more than its base.
   */
  list(under?: string): Promise<string[]>;
  /** The size limit `read` applies, and how the user raises it (default: MAX_FILE_BYTES). */
  limit?: SizeLimit;
}

export interface ResolvedFiles {
  tools?: ToolDefinition[];
  context: ContextDocument[];
  diagnostics: Diagnostic[];
}

const slash = (p: string) => p.replace(/\\/g, '/');

/** Workspace-relative path of `ref` (relative to the prompt's folder), or undefined when it leaves the root. */
export function workspacePath(root: string, promptPath: string, ref: string): string | undefined {
  const r = slash(root).replace(/\/+$/, '');
  const prompt = slash(promptPath);
  const promptAbs = posix.isAbsolute(prompt) || /^[a-z]:\//i.test(prompt) ? prompt : posix.join(r, prompt);
  const target = posix.isAbsolute(slash(ref)) ? posix.normalize(slash(ref)) : posix.join(posix.dirname(promptAbs), slash(ref));
  const rel = posix.relative(r, target);
  return rel === '' || rel.startsWith('..') || posix.isAbsolute(rel) ? undefined : rel;
}

type Loaded = { text: string } | { error: string; code: string };

/** Where a diagnostic about a named file goes: its exact span when the parser recorded one. */
function at(span: Span | undefined, line: number): Span {
  return span && span.line === line ? span : { line, column: 1 };
}

async function loadText(io: FileAccess, rel: string): Promise<Loaded> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await io.read(posix.join(slash(io.root), rel));
  } catch (err) {
    if (err instanceof FileRefusedError) return { error: err.message, code: err.code };
    return { error: `${rel} could not be read: ${(err as Error).message}`, code: 'unreadable-file' };
  }
  if (!bytes) return { error: `${rel} does not exist`, code: 'missing-file' };
  const limit = io.limit ?? { maxBytes: MAX_FILE_BYTES, raise: 'the size limit' };
  if (bytes.length > limit.maxBytes) return { error: overLimitMessage(rel, bytes.length, limit), code: 'file-too-large' };
  if (bytes.subarray(0, 8192).includes(0)) return { error: `${rel} looks binary (it contains NUL bytes); only text files can be placed in a prompt`, code: 'binary-file' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { error: `${rel} is not valid UTF-8 text`, code: 'binary-file' };
  }
}


export async function resolvePromptFiles(spec: PromptSpec, io: FileAccess): Promise<ResolvedFiles> {
  const diagnostics: Diagnostic[] = [];
  const out: ResolvedFiles = { context: [], diagnostics };
  if (spec.tools) out.tools = await loadTools(spec, io, diagnostics);
  if (spec.context) out.context = await loadContext(spec, io, diagnostics);
  return out;
}

async function loadTools(spec: PromptSpec, io: FileAccess, diagnostics: Diagnostic[]): Promise<ToolDefinition[] | undefined> {
  const where = at(spec.valueSpans?.tools, spec.keyLines.tools ?? 1);
  const rel = workspacePath(io.root, spec.path, spec.tools as string);
  if (!rel) {
    diagnostics.push({ severity: 'error', code: 'outside-workspace', message: `tools: '${spec.tools}' is outside the workspace folder; only files inside it can be used.`, ...where, key: 'tools' });
    return undefined;
  }
  const loaded = await loadText(io, rel);
  if ('error' in loaded) {
    diagnostics.push({ severity: 'error', code: loaded.code, message: `tools: ${loaded.error}.`, ...where, key: 'tools' });
    return undefined;
  }
  const parsed = parseToolsJson(loaded.text);
  for (const d of parsed.diagnostics) diagnostics.push({ ...d, code: 'tools-json', file: rel });
  const first = parsed.diagnostics.find((d) => d.severity === 'error');
  if (first) diagnostics.push({ severity: 'error', code: 'tools-json', message: `tools: ${rel} line ${first.line}: ${first.message}`, ...where, key: 'tools' });
  return first ? undefined : parsed.tools;
}

async function loadContext(spec: PromptSpec, io: FileAccess, diagnostics: Diagnostic[]): Promise<ContextDocument[]> {
  const ctx = spec.context as NonNullable<PromptSpec['context']>;
  const docs: ContextDocument[] = [];
  const seen = new Set<string>();
  const listings = new Map<string, string[]>();
  for (let i = 0; i < ctx.files.length; i++) {
    const ref = ctx.files[i] as string;
    const line = ctx.fileLines[i] ?? spec.keyLines.context ?? 1;
    const where = at(ctx.fileSpans?.[i], line);
    const rel = workspacePath(io.root, spec.path, ref);
    if (!rel) {
      diagnostics.push({ severity: 'error', code: 'outside-workspace', message: `context: '${ref}' is outside the workspace folder; only files inside it can be used.`, ...where, key: 'context.files' });
      continue;
    }
    let matches = [rel];
    if (isGlob(rel)) {
      const base = globBase(rel);
      let listing = listings.get(base);
      if (!listing) listings.set(base, (listing = (await io.list(base || undefined)).map(slash)));
      const re = globToRegExp(rel);
      // Sorted: a glob must expand in the same order every time, or the cached prefix changes.
      matches = listing.filter((p) => re.test(p)).sort();
      if (matches.length === 0) diagnostics.push({ severity: 'warning', code: 'glob-no-match', message: `context: '${ref}' matches no file.`, ...where, key: 'context.files' });
    }
    for (const m of matches) {
      if (seen.has(m)) continue;
      seen.add(m);
      const loaded = await loadText(io, m);
      if ('error' in loaded) diagnostics.push({ severity: 'error', code: loaded.code, message: `context: ${loaded.error}.`, ...where, key: 'context.files' });
      else docs.push({ path: m, text: loaded.text });
    }
  }
  return docs;
}
