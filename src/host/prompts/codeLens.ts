// The CodeLens on the first line of each prompt file: the request's size, cacheability for its
// model and the cold and warm cost, then Send, Pre-warm and Show Request Plan. It follows the
// registry, which re-plans (debounced) as the file is typed in.
import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import { readSettings } from '../config';
import type { ModelCatalog } from '../modelCatalog';
import type { PromptRegistry } from './registry';
import { summarize } from './summary';

export class PromptCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly registry: PromptRegistry,
    private readonly models: ModelCatalog,
  ) {
    this.subscription = registry.onDidChange(() => this.emitter.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const prompt = this.registry.get(doc.uri);
    if (!prompt || !readSettings()['codeLens.enabled']) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const summary = summarize(prompt.plan, prompt.plan ? this.models.tryResolve(prompt.plan.model) : undefined, prompt.readError);
    const args = [doc.uri];
    return [
      new vscode.CodeLens(top, { title: summary.text, command: CommandId.showPlan, arguments: args, tooltip: 'Show the request this prompt sends and where its cache breakpoints go' }),
      new vscode.CodeLens(top, { title: '$(send) Send', command: CommandId.send, arguments: args }),
      new vscode.CodeLens(top, { title: '$(flame) Pre-warm', command: CommandId.prewarm, arguments: args }),
      new vscode.CodeLens(top, { title: 'Show Request Plan', command: CommandId.showPlan, arguments: args }),
    ];
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
