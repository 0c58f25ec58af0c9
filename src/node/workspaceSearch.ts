// search_text: lines matching a literal text or a regular expression in the workspace's text
// files, bounded in matches, files and bytes so a model's broad query stays cheap and short.
import { join } from 'node:path';
import { readTextBounded } from './boundedRead';
import { walkFiles } from './workspaceWalk';

export interface SearchLimits {
  maxMatches: number;
  maxFiles: number;
  maxBytes: number;
  maxFileBytes: number;
}

/** Matching is done on at most this much of a line, and a shown line is cut to this many characters. */
const MAX_LINE_SCAN = 4096;
const MAX_LINE_SHOWN = 240;

/**
 * A quantified group that itself holds a quantifier, e.g. `(a+)+` or `(x*)*`: the classic shape
 * of catastrophic backtracking. JavaScript cannot interrupt a running regex, so these are refused.
 */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d)/;

/** A line tester for the query, or the reason it is refused. */
export function matcher(query: string, regex: boolean): { test: (line: string) => boolean } | { error: string } {
  if (!regex) return { test: (line) => line.includes(query) };
  if (NESTED_QUANTIFIER.test(query)) return { error: `search_text: the regex ${JSON.stringify(query)} nests quantifiers (like (a+)+), which can take forever; simplify it` };
  try {
    const re = new RegExp(query, 'u');
    return { test: (line) => re.test(line) };
  } catch (err) {
    return { error: `search_text: invalid regex: ${(err as Error).message}` };
  }
}

export interface SearchOutcome {
  lines: string[];
  filesSearched: number;
  skipped: number;
  /** Why the search stopped early, if it did. */
  stopped?: string;
  aborted: boolean;
  /** Set when the one file asked for cannot be searched (binary, too large). */
  error?: string;
}

function matchesIn(rel: string, text: string, test: (line: string) => boolean, out: string[], max: number): void {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && out.length < max; i++) {
    const line = (lines[i] as string).replace(/\r$/, '');
    if (!test(line.length > MAX_LINE_SCAN ? line.slice(0, MAX_LINE_SCAN) : line)) continue;
    const shown = line.length > MAX_LINE_SHOWN ? `${line.slice(0, MAX_LINE_SHOWN)}…` : line;
    out.push(`${rel}:${i + 1}: ${shown}`);
  }
}

/** Searches the files under `startReal` (or `startReal` itself when `single`), within the limits. */
export async function searchFiles(
  rootReal: string,
  start: { real: string; single: boolean; rel: string },
  test: (line: string) => boolean,
  limits: SearchLimits,
  signal?: AbortSignal,
): Promise<SearchOutcome> {
  const outcome: SearchOutcome = { lines: [], filesSearched: 0, skipped: 0, aborted: false };
  const walk = start.single ? { files: [start.rel], truncated: false, aborted: false } : await walkFiles(start.real, { rootReal, maxFiles: limits.maxFiles, signal });
  if (walk.aborted) return { ...outcome, aborted: true };
  if (walk.truncated) outcome.stopped = `only the first ${limits.maxFiles} files were searched`;
  let bytes = 0;
  for (const rel of walk.files) {
    if (signal?.aborted) return { ...outcome, aborted: true };
    const read = await readTextBounded(start.single ? start.real : join(rootReal, rel), { maxBytes: limits.maxFileBytes, label: rel, signal });
    if (!read.ok && start.single) return { ...outcome, error: `search_text: ${read.message}` };
    // Binary, oversize and unreadable files are skipped and counted, not errors: a search spans many files.
    if (!read.ok) {
      outcome.skipped++;
      continue;
    }
    outcome.filesSearched++;
    matchesIn(rel, read.text, test, outcome.lines, limits.maxMatches);
    bytes += read.bytes;
    if (outcome.lines.length >= limits.maxMatches) return { ...outcome, stopped: `stopped at ${limits.maxMatches} matches` };
    if (bytes >= limits.maxBytes) return { ...outcome, stopped: `stopped after searching ${Math.round(limits.maxBytes / 1024 / 1024)} MB` };
  }
  return outcome;
}
