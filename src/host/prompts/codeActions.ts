// Quick fixes from the fixes the engine attaches to a problem (a misspelt key → the right one,
// `ttl: 10m` → `5m` / `1h`, an unknown model → the nearest ids), as WorkspaceEdit replacements.
import * as vscode from 'vscode';
import type { Fix, WorkspaceDiagnostics } from './diagnostics';

/** A fix's exact span (1-based, end exclusive); equal columns insert. */
function spanOf(fix: Fix): vscode.Range {
  const line = Math.max(0, fix.line - 1);
  return new vscode.Range(line, Math.max(0, fix.column - 1), line, Math.max(0, fix.endColumn - 1));
}

export class PromptCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly diagnostics: WorkspaceDiagnostics) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    const actions: vscode.CodeAction[] = [];
    for (const { diagnostic, fixes } of this.diagnostics.on(doc.uri)) {
      if (!fixes.length || !diagnostic.range.intersection(range)) continue;
      fixes.forEach((fix, i) => {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(doc.uri, spanOf(fix), fix.replacement);
        action.diagnostics = [diagnostic];
        action.isPreferred = i === 0;
        actions.push(action);
      });
    }
    return actions;
  }
}
