// The built-in workspace tools for the agent loop: read_file, list_files, search_text. Every
// path goes through the workspace boundary (real paths; `..`, foreign absolute paths and links
// out are refused) and every read is bounded. A refused or failed call is an isError result with
// a sentence the model can act on; run() never throws and never returns refused content.
import { realpath, stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import type { ToolDefinition } from '../shared/anthropic';
import type { ToolCall, ToolExecutor, ToolOutput } from '../core/ports';
import { globToRegExp } from '../core/registry/glob';
import { formatBytes, readTextBounded } from './boundedRead';
import { checkArgs, schemaOf, type Args, type FieldSpec } from './toolArgs';
import { resolveInWorkspace } from './workspacePath';
import { matcher, searchFiles } from './workspaceSearch';
import { walkFiles } from './workspaceWalk';

export interface WorkspaceToolsOptions {
  /** The workspace folder; nothing outside it is ever read. */
  root: string;
  /** Largest file read_file returns or search_text searches (default 512 KB). */
  maxFileBytes?: number;
  /** Most paths list_files returns (default 1,000). */
  maxListed?: number;
  /** Most matching lines search_text returns (default 200). */
  maxMatches?: number;
  /** Most files search_text opens (default 5,000). */
  maxSearchFiles?: number;
  /** Most bytes search_text reads in all (default 32 MB). */
  maxSearchBytes?: number;
}

export const WORKSPACE_TOOL_NAMES = ['read_file', 'list_files', 'search_text'] as const;

type Described = Record<string, FieldSpec & { description: string }>;

const FIELDS = {
  read_file: {
    path: { type: 'string', required: true, maxLength: 4096, description: 'File path relative to the workspace folder, e.g. "docs/faq.md".' },
    start_line: { type: 'integer', min: 1, description: 'First line to return (1-based). Default: 1.' },
    end_line: { type: 'integer', min: 1, description: 'Last line to return, inclusive. Default: the last line.' },
  },
  list_files: {
    path: { type: 'string', maxLength: 4096, description: 'Folder relative to the workspace folder. Default: the whole workspace.' },
    glob: { type: 'string', maxLength: 256, description: 'Only paths matching this glob (*, ?, ** and {a,b}), relative to `path`; a glob without "/" matches file names at any depth, e.g. "*.md".' },
  },
  search_text: {
    query: { type: 'string', required: true, maxLength: 1000, description: 'Text to find (case-sensitive), or a JavaScript regular expression when `regex` is true.' },
    path: { type: 'string', maxLength: 4096, description: 'File or folder to search, relative to the workspace folder. Default: the whole workspace.' },
    regex: { type: 'boolean', description: 'Treat `query` as a regular expression. Default: false.' },
  },
} satisfies Record<(typeof WORKSPACE_TOOL_NAMES)[number], Described>;

const DESCRIPTIONS: Record<(typeof WORKSPACE_TOOL_NAMES)[number], string> = {
  read_file: 'Read a text file from the workspace folder, whole or a range of lines. Binary files, files over the size limit and paths outside the workspace are refused.',
  list_files: 'List the files in the workspace folder (or one of its folders), recursively, as paths relative to the workspace; node_modules and .git are skipped and the list is capped.',
  search_text: 'Search the text files of the workspace folder for lines containing a text or matching a regular expression; returns "path:line: text" lines, capped.',
};

const ok = (content: string): ToolOutput => ({ content, isError: false });
const fail = (content: string): ToolOutput => ({ content, isError: true });

export class WorkspaceTools implements ToolExecutor {
  private readonly limits: Required<Omit<WorkspaceToolsOptions, 'root'>>;

  constructor(private readonly options: WorkspaceToolsOptions) {
    this.limits = {
      maxFileBytes: options.maxFileBytes ?? 512 * 1024,
      maxListed: options.maxListed ?? 1000,
      maxMatches: options.maxMatches ?? 200,
      maxSearchFiles: options.maxSearchFiles ?? 5000,
      maxSearchBytes: options.maxSearchBytes ?? 32 * 1024 * 1024,
    };
  }

  definitions(): ToolDefinition[] {
    return WORKSPACE_TOOL_NAMES.map((name) => ({ name, description: DESCRIPTIONS[name], input_schema: schemaOf(FIELDS[name]) }));
  }

  async run(call: ToolCall, signal?: AbortSignal): Promise<ToolOutput> {
    if (signal?.aborted) return fail(`${call.name}: cancelled`);
    const name = call.name as (typeof WORKSPACE_TOOL_NAMES)[number];
    if (!WORKSPACE_TOOL_NAMES.includes(name)) return fail(`unknown tool ${call.name}; the workspace tools are ${WORKSPACE_TOOL_NAMES.join(', ')}`);
    const args = checkArgs(name, call.input, FIELDS[name]);
    if ('error' in args) return fail(args.error as string);
    try {
      if (name === 'read_file') return await this.readFile(args, signal);
      if (name === 'list_files') return await this.listFiles(args, signal);
      return await this.searchText(args, signal);
    } catch (err) {
      // The contract: never throw. Anything unforeseen is still a result the model can see.
      return fail(`${name} failed: ${(err as Error).message}`);
    }
  }

  private async readFile(args: Args, signal?: AbortSignal): Promise<ToolOutput> {
    const where = await resolveInWorkspace(this.options.root, args.path);
    if (!where.ok) return fail(`read_file: ${where.message}`);
    const read = await readTextBounded(where.real, { maxBytes: this.limits.maxFileBytes, label: where.rel, signal });
    if (!read.ok) return fail(`read_file: ${read.message}`);
    const start = (args.start_line as number | undefined) ?? 1;
    const end = args.end_line as number | undefined;
    if (end !== undefined && end < start) return fail(`read_file: end_line ${end} is before start_line ${start}`);
    if (args.start_line === undefined && end === undefined) return ok(read.text);
    const lines = read.text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (start > lines.length) return fail(`read_file: start_line ${start} is past the end of ${where.rel} (${lines.length} lines)`);
    return ok(lines.slice(start - 1, end ?? lines.length).join('\n'));
  }

  private async folder(tool: string, path: unknown): Promise<{ real: string; rel: string; isFile: boolean } | ToolOutput> {
    const where = await resolveInWorkspace(this.options.root, path ?? '.');
    if (!where.ok) return fail(`${tool}: ${where.message}`);
    const st = await stat(where.real);
    if (!st.isDirectory() && !st.isFile()) return fail(`${tool}: ${where.rel} is not a file or folder`);
    return { real: where.real, rel: where.rel, isFile: st.isFile() };
  }

  private async listFiles(args: Args, signal?: AbortSignal): Promise<ToolOutput> {
    const start = await this.folder('list_files', args.path);
    if ('isError' in start) return start;
    if (start.isFile) return ok(start.rel);
    const rootReal = await realpath(this.options.root);
    const prefix = start.rel === '.' ? '' : `${start.rel.replace(/\/$/, '')}/`;
    const glob = args.glob as string | undefined;
    // Each wildcard multiplies the matcher's backtracking; real globs use a handful.
    if (glob !== undefined && (glob.match(/[*?]/g)?.length ?? 0) > 12) return fail('list_files: the glob has more than 12 wildcards; simplify it');
    const re = glob === undefined ? undefined : globToRegExp(glob.includes('/') ? glob : `**/${glob}`);
    // Without a glob the walk stops at the cap; with one, it may look further to find matches.
    const walk = await walkFiles(start.real, { rootReal, maxFiles: re ? this.limits.maxListed * 20 : this.limits.maxListed, signal });
    if (walk.aborted) return fail('list_files: cancelled');
    const inner = relative(rootReal, start.real).split(sep).join('/');
    const realPrefix = inner === '' ? '' : `${inner}/`;
    const shown = walk.files.map((f) => prefix + f.slice(realPrefix.length));
    const matching = re ? shown.filter((f) => re.test(f.slice(prefix.length))) : shown;
    const listed = matching.slice(0, this.limits.maxListed);
    const more = matching.length > listed.length || walk.truncated;
    if (listed.length === 0) return ok(`no files${glob ? ` matching ${glob}` : ''} in ${start.rel}${more ? ' (the listing was capped)' : ''}`);
    return ok(listed.join('\n') + (more ? `\n(list capped at ${listed.length} files; narrow it with path or glob)` : ''));
  }

  private async searchText(args: Args, signal?: AbortSignal): Promise<ToolOutput> {
    const query = args.query as string;
    if (query === '') return fail('search_text: query must not be empty');
    const m = matcher(query, args.regex === true);
    if ('error' in m) return fail(m.error);
    const start = await this.folder('search_text', args.path);
    if ('isError' in start) return start;
    const rootReal = await realpath(this.options.root);
    const limits = { maxMatches: this.limits.maxMatches, maxFiles: this.limits.maxSearchFiles, maxBytes: this.limits.maxSearchBytes, maxFileBytes: this.limits.maxFileBytes };
    const r = await searchFiles(rootReal, { real: start.real, single: start.isFile, rel: start.rel }, m.test, limits, signal);
    if (r.aborted) return fail('search_text: cancelled');
    if (r.error) return fail(r.error);
    const skipped = r.skipped ? `; ${r.skipped} binary or over-${formatBytes(this.limits.maxFileBytes)} files skipped` : '';
    if (r.lines.length === 0) return ok(`no matches for ${JSON.stringify(query)} in ${start.rel} (${r.filesSearched} files searched${skipped})`);
    const note = r.stopped || skipped ? `\n(${[r.stopped, skipped.replace(/^; /, '')].filter(Boolean).join('; ')})` : '';
    return ok(r.lines.join('\n') + note);
  }
}
