// Prompt-file problems (front matter, missing or outside-the-workspace files, bad tools JSON) as
// VS Code diagnostics on their lines, from the same plan the panel shows.
import * as vscode from 'vscode';
import type { PlanView } from '../shared/protocol';

const SEVERITY: Record<PlanView['diagnostics'][number]['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export class PromptDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('promptCacheLab');

  /** Replaces the diagnostics of the plan's prompt file. */
  show(plan: PlanView): void {
    const uri = vscode.Uri.file(plan.promptPath);
    const items = plan.diagnostics.map((d) => {
      const line = Math.max(0, d.line - 1);
      const diagnostic = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), d.message, SEVERITY[d.severity]);
      diagnostic.source = 'Prompt Cache Lab';
      return diagnostic;
    });
    this.collection.set(uri, items);
  }

  forget(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  dispose(): void {
    this.collection.dispose();
  }
}
