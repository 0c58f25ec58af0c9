// CodeLens, quick fixes, and front-matter completion and hover for prompt files under the `prompt` (VS Code's own language for
// *.prompt.md), `markdown` and `prompty` language ids, selected by the prompt globs below each
// workspace folder. Selectors are fixed at registration, so a change of the globs or the folders
// registers them again.
import * as vscode from 'vscode';
import { affects } from '../config';
import { PromptCodeActions } from './codeActions';
import type { PromptCodeLens } from './codeLens';
import type { WorkspaceDiagnostics } from './diagnostics';
import type { FrontMatterAssist } from './frontMatterAssist';
import { promptSelector } from './promptFiles';

export class PromptLanguageFeatures implements vscode.Disposable {
  private registered: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly lenses: PromptCodeLens,
    private readonly diagnostics: WorkspaceDiagnostics,
    private readonly assist?: FrontMatterAssist,
  ) {
    this.disposables = [
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.register()),
      vscode.workspace.onDidChangeConfiguration((e) => affects(e, 'promptGlobs') && this.register()),
    ];
    this.register();
  }

  private register(): void {
    for (const d of this.registered) d.dispose();
    const selector = promptSelector();
    this.registered = [
      vscode.languages.registerCodeLensProvider(selector, this.lenses),
      vscode.languages.registerCodeActionsProvider(selector, new PromptCodeActions(this.diagnostics), PromptCodeActions.metadata),
      ...(this.assist ? [vscode.languages.registerCompletionItemProvider(selector, this.assist, ':', ' '), vscode.languages.registerHoverProvider(selector, this.assist)] : []),
    ];
  }

  dispose(): void {
    for (const d of [...this.registered, ...this.disposables]) d.dispose();
  }
}
