// Problems of every registered prompt file in Problems, opened or not, all at once on their line
// and columns: rebuilt from the registry's plans on each change. A problem in another file (the
// tools JSON) goes on that file; the same id in two prompt files is a problem on both. The quick
// fixes each problem carries are kept next to it for the code action provider.
import * as vscode from 'vscode';
import type { RequestRecord, RequestShape } from '../../core/ledger/record';
import { changeOrderLint, contextEntrySpan, MIN_CHANGES } from '../../core/registry/changeLint';
import { stableBlocks } from '../../core/registry/requestDiff';
import type { DiagnosticView } from '../../shared/protocol';
import { promptIdOf, type PromptRegistry, type RegisteredPrompt } from './registry';

export const DIAGNOSTIC_SOURCE = 'Prompt Cache Lab';

const SEVERITY: Record<DiagnosticView['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export type Fix = NonNullable<DiagnosticView['fixes']>[number];

export interface ShownDiagnostic {
  diagnostic: vscode.Diagnostic;
  fixes: Fix[];
}

/** 1-based line and columns (end exclusive) → an editor range; no column: the whole line. */
export function rangeOf(line: number, column?: number, endColumn?: number): vscode.Range {
  const l = Math.max(0, line - 1);
  if (column === undefined) return new vscode.Range(l, 0, l, Number.MAX_SAFE_INTEGER);
  const start = Math.max(0, column - 1);
  const end = endColumn !== undefined && endColumn > column ? endColumn - 1 : Number.MAX_SAFE_INTEGER;
  return new vscode.Range(l, start, l, end);
}

export class WorkspaceDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('promptCacheLab');
  private shown = new Map<string, ShownDiagnostic[]>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly registry: PromptRegistry,
    /** The ledger's recent records: how often each context document changed between requests. */
    private readonly records: () => readonly RequestRecord[] = () => [],
    onDidAppend?: vscode.Event<RequestRecord>,
  ) {
    this.subscription = vscode.Disposable.from(registry.onDidChange(() => this.rebuild()), ...(onDidAppend ? [onDidAppend(() => this.rebuild())] : []));
    this.rebuild();
  }

  /** Per prompt id, the shapes of its answered requests in time order. */
  private shapesById(): Map<string, RequestShape[]> {
    const out = new Map<string, Array<{ atMs: number; shape: RequestShape }>>();
    for (const r of this.records()) {
      if (r.outcome !== 'ok') continue;
      let list = out.get(r.prompt.id);
      if (!list) out.set(r.prompt.id, (list = []));
      list.push({ atMs: r.atMs, shape: r.shape });
    }
    return new Map([...out].map(([id, list]) => [id, list.sort((a, b) => a.atMs - b.atMs).map((x) => x.shape)]));
  }

  /** What is shown on a file, with the fixes of each problem. */
  on(uri: vscode.Uri): readonly ShownDiagnostic[] {
    return this.shown.get(uri.toString()) ?? [];
  }

  private rebuild(): void {
    const next = new Map<string, { uri: vscode.Uri; items: ShownDiagnostic[] }>();
    const add = (uri: vscode.Uri, item: ShownDiagnostic) => {
      const key = uri.toString();
      let entry = next.get(key);
      if (!entry) next.set(key, (entry = { uri, items: [] }));
      // One tools JSON shared by two prompts: its problem once, not once per prompt.
      if (!entry.items.some((i) => i.diagnostic.message === item.diagnostic.message && i.diagnostic.range.isEqual(item.diagnostic.range))) entry.items.push(item);
    };
    const prompts = this.registry.all();
    const shapes = this.shapesById();
    for (const p of prompts) {
      const history = p.plan?.promptId ? shapes.get(p.plan.promptId) : undefined;
      if (p.plan?.request && history && history.length > MIN_CHANGES) {
        const blocks = stableBlocks(p.plan.request).map((b) => ({ tier: b.tier, ...(b.path ? { path: b.path } : {}) }));
        for (const d of changeOrderLint(blocks, history, (path) => contextEntrySpan(p.frontMatter ?? [], path))) {
          add(p.uri, { diagnostic: make(rangeOf(d.line, d.column, d.endColumn), d.message, d.severity, d.code), fixes: [] });
        }
      }
      if (p.readError) add(p.uri, { diagnostic: make(rangeOf(1), p.readError, 'error', p.readErrorCode ?? 'unreadable'), fixes: [] });
      for (const d of p.plan?.diagnostics ?? []) {
        const target = d.file ? fileUri(p, d.file) : p.uri;
        const message = d.file && d.message.startsWith(`${d.file}: `) ? d.message.slice(d.file.length + 2) : d.message;
        add(target, { diagnostic: make(rangeOf(d.line, d.column, d.endColumn), message, d.severity, d.code), fixes: d.fixes ?? [] });
      }
    }
    const taken = new Set(prompts.map(promptIdOf));
    for (const [id, same] of duplicates(prompts)) {
      for (const p of same) {
        const others = same.filter((o) => o !== p).map((o) => o.relativePath).join(', ');
        const span = p.idSpan;
        const range = span ? rangeOf(span.line, span.column, span.endColumn) : rangeOf(1);
        const message = `Duplicate prompt id '${id}': also used by ${others}. Records, conversations and cache state are kept per id, so give each prompt its own.`;
        add(p.uri, { diagnostic: make(range, message, 'error', 'duplicate-id'), fixes: span ? [renameFix(id, span, taken)] : [] });
      }
    }
    this.collection.clear();
    this.shown = new Map();
    for (const [key, { uri, items }] of next) {
      this.collection.set(uri, items.map((i) => i.diagnostic));
      this.shown.set(key, items);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}

function make(range: vscode.Range, message: string, severity: DiagnosticView['severity'], code: string | undefined): vscode.Diagnostic {
  const d = new vscode.Diagnostic(range, message, SEVERITY[severity]);
  d.source = DIAGNOSTIC_SOURCE;
  if (code) d.code = code;
  return d;
}

function fileUri(p: RegisteredPrompt, file: string): vscode.Uri {
  const folder = vscode.workspace.getWorkspaceFolder(p.uri);
  return folder ? vscode.Uri.joinPath(folder.uri, file) : vscode.Uri.joinPath(p.uri, '..', file);
}

/** Renames a duplicate id to the first free `<id>-2`, `<id>-3`, … */
function renameFix(id: string, span: NonNullable<RegisteredPrompt['idSpan']>, taken: Set<string>): Fix {
  let k = 2;
  while (taken.has(`${id}-${k}`)) k++;
  return { title: `Rename id to '${id}-${k}'`, line: span.line, column: span.column, endColumn: span.endColumn, replacement: `${id}-${k}` };
}

function duplicates(prompts: RegisteredPrompt[]): Map<string, RegisteredPrompt[]> {
  const byId = new Map<string, RegisteredPrompt[]>();
  for (const p of prompts) {
    if (!p.plan?.promptId) continue;
    const id = promptIdOf(p);
    byId.set(id, [...(byId.get(id) ?? []), p]);
  }
  return new Map([...byId].filter(([, same]) => same.length > 1));
}
