// The cache plan of the active prompt file, for the panel: the registry's plan of that file (the
// registry plans every prompt in the engine worker, so the host never tokenizes and one file is
// never planned twice). Follows editor switches and the registry's debounced re-plans while typing.
// Also says which prompt a command acts on: a given URI, the active prompt editor, the default
// prompt (Select Default Prompt), or the prompt planned last (the panel has focus).
import * as vscode from 'vscode';
import type { PlanRequest, PlanViewResult } from '../core/session/engineProtocol';
import type { PlanView } from '../shared/protocol';
import { planInputFor, type PromptHistory } from './prompts/planInput';
import { describeGlobs, isPromptFile, isPromptUri } from './prompts/promptFiles';
import type { PromptRegistry } from './prompts/registry';

export { isPromptFile } from './prompts/promptFiles';

/** The panel's view: the plan without the request body (which can be large). */
export function viewOf(result: PlanViewResult): PlanView {
  const { request: _request, overrideErrors: _errors, ...view } = result;
  return view;
}

/** A prompt URI from a command argument: a Uri, or a view item carrying one. */
export function uriArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const inner = (arg as { uri?: unknown } | undefined)?.uri;
  return inner instanceof vscode.Uri ? inner : undefined;
}

export class PlanService implements vscode.Disposable {
  private plan: PlanView | undefined;
  private readonly changed = new vscode.EventEmitter<PlanView | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private lastDoc: vscode.TextDocument | undefined;

  constructor(
    private readonly registry: PromptRegistry,
    /** The ledger's TTL history per prompt id at a time: plans follow the rhythm a prompt is used in. */
    private readonly history: PromptHistory = () => ({}),
    private readonly defaultPrompt: () => vscode.Uri | undefined = () => undefined,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      registry.onDidChange(({ changed }) => {
        const doc = this.target();
        if (doc && changed.some((u) => u.toString() === doc.uri.toString())) this.publishFor(doc);
      }),
    );
    this.refresh();
  }

  get current(): PlanView | undefined {
    return this.plan;
  }

  /** The prompt a command acts on (see the file comment); undefined after telling the user what to open. */
  async resolvePrompt(arg: unknown, what: string): Promise<vscode.TextDocument | undefined> {
    const uri = uriArg(arg);
    if (uri) return vscode.workspace.openTextDocument(uri);
    const active = vscode.window.activeTextEditor?.document;
    if (active && isPromptFile(active)) return active;
    const chosen = this.defaultPrompt();
    if (chosen && this.registry.has(chosen)) return vscode.workspace.openTextDocument(chosen);
    const last = this.lastPromptDocument();
    if (last) return last;
    void vscode.window.showInformationMessage(`Prompt Cache Lab: open a prompt file (${describeGlobs()}) or choose one with "Select Default Prompt" to ${what}.`);
    return undefined;
  }

  private lastPromptDocument(): vscode.TextDocument | undefined {
    return this.lastDoc && !this.lastDoc.isClosed ? this.lastDoc : undefined;
  }

  private target(): vscode.TextDocument | undefined {
    const active = vscode.window.activeTextEditor?.document;
    return active && isPromptFile(active) ? active : this.lastPromptDocument();
  }

  /** Shows the active prompt's plan; an explicit refresh re-plans now and falls back to the last prompt planned. */
  refresh(explicit = false): void {
    const active = vscode.window.activeTextEditor?.document;
    const doc = active && isPromptFile(active) ? active : explicit ? this.lastPromptDocument() : undefined;
    if (!doc) {
      if (explicit && !this.plan) void vscode.window.showInformationMessage(`Prompt Cache Lab: open a prompt file (${describeGlobs()}) to see its cache plan.`);
      return;
    }
    this.lastDoc = doc;
    if (explicit || !this.registry.get(doc.uri)?.plan) this.registry.upsert(doc.uri, 0);
    this.publishFor(doc);
  }

  /** Plans the prompt a command names (or the active one) now, and shows it in the panel. */
  showFor(doc: vscode.TextDocument): void {
    this.lastDoc = doc;
    if (isPromptUri(doc.uri)) this.registry.upsert(doc.uri, 0);
    this.publishFor(doc);
  }

  /** What the worker needs to plan this document (its current, possibly unsaved, text). */
  planInput(doc: vscode.TextDocument): PlanRequest {
    return planInputFor(doc.uri, doc.getText(), this.history);
  }

  private publishFor(doc: vscode.TextDocument): void {
    const plan = this.registry.get(doc.uri)?.plan;
    if (!plan) return;
    this.lastDoc = doc;
    this.plan = viewOf(plan);
    this.changed.fire(this.plan);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
