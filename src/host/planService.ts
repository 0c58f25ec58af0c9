// The cache plan of the active prompt file: parse → load tools and context → compose → plan →
// predict (cold and warm cost), computed in the engine worker so the host never tokenizes.
// Recomputed on editor switch, on save, and (debounced) as the prompt is edited.
import * as vscode from 'vscode';
import { planFailureView } from '../core/plan/planView';
import type { PlanRequest, PlanViewResult } from '../core/session/engineProtocol';
import { SupersededError } from '../node/engineClient';
import type { PlanView } from '../shared/protocol';
import { readSettings } from './config';
import type { Logger } from './log';
import type { EngineWorker } from './engineWorker';

const PROMPT_FILE = /(\.prompt\.md|\.prompty)$|[\\/]\.prompts[\\/].*\.md$/i;
/** Replanning while typing waits this long after the last edit. */
const EDIT_DEBOUNCE_MS = 600;

export function isPromptFile(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'file' && PROMPT_FILE.test(doc.uri.fsPath);
}

/** The panel's view: the plan without the request body (which can be large). */
function viewOf(result: PlanViewResult): PlanView {
  const { request: _request, overrideErrors: _errors, ...view } = result;
  return view;
}

export class PlanService implements vscode.Disposable {
  private plan: PlanView | undefined;
  private readonly changed = new vscode.EventEmitter<PlanView | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private generation = 0;
  private lastDoc: vscode.TextDocument | undefined;
  private editTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly worker: EngineWorker,
    private readonly log: Logger,
    /** The ledger's TTL history per prompt id at a time: plans follow the rhythm a prompt is used in. */
    private readonly history: (nowMs: number) => Record<string, number[]> = () => ({}),
  ) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (d === vscode.window.activeTextEditor?.document) this.refresh();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document !== vscode.window.activeTextEditor?.document || !isPromptFile(e.document)) return;
        if (this.editTimer) clearTimeout(this.editTimer);
        this.editTimer = setTimeout(() => this.refresh(), EDIT_DEBOUNCE_MS);
      }),
    );
    this.refresh();
  }

  get current(): PlanView | undefined {
    return this.plan;
  }

  /** The active prompt file, or the last one planned while the panel (not an editor) has focus. */
  activeOrLastPrompt(): vscode.TextDocument | undefined {
    const active = vscode.window.activeTextEditor?.document;
    return active && isPromptFile(active) ? active : this.lastPromptDocument();
  }

  /** The prompt document planned last (the panel has focus when its buttons are used), if still open. */
  private lastPromptDocument(): vscode.TextDocument | undefined {
    return this.lastDoc && !this.lastDoc.isClosed ? this.lastDoc : undefined;
  }

  /** Recomputes for the active prompt editor; an explicit refresh falls back to the last prompt planned. */
  refresh(explicit = false): void {
    const active = vscode.window.activeTextEditor?.document;
    const doc = active && isPromptFile(active) ? active : explicit ? this.lastPromptDocument() : undefined;
    if (!doc) {
      if (explicit && !this.plan) {
        void vscode.window.showInformationMessage('Prompt Cache Lab: open a prompt file (*.prompt.md, .prompts/**/*.md or *.prompty) to see its cache plan.');
      }
      return;
    }
    void this.compute(doc);
  }

  /** The plan of a prompt document including the exact request body. */
  private buildFor(doc: vscode.TextDocument): Promise<PlanViewResult> {
    return this.worker.plan(this.planInput(doc));
  }

  /** What the worker needs to plan this document (its current, possibly unsaved, text). */
  planInput(doc: vscode.TextDocument): PlanRequest {
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    const root = folder?.uri ?? vscode.Uri.joinPath(doc.uri, '..');
    const settings = readSettings();
    return { path: doc.uri.fsPath, text: doc.getText(), root: root.fsPath, modelOverrides: settings.models, defaultModel: settings.defaultModel, historyByPrompt: this.history(Date.now()) };
  }

  private async compute(doc: vscode.TextDocument): Promise<void> {
    const gen = ++this.generation;
    this.lastDoc = doc;
    try {
      const result = await this.buildFor(doc);
      if (gen === this.generation) this.publish(viewOf(result));
    } catch (err) {
      if (err instanceof SupersededError || gen !== this.generation) return;
      this.log.error(`cache plan failed for ${doc.uri.fsPath}: ${(err as Error).message}`);
      this.publish(planFailureView(doc.uri.fsPath, readSettings().defaultModel, `Cache plan failed: ${(err as Error).message}`));
    }
  }

  private publish(plan: PlanView): void {
    this.plan = plan;
    this.changed.fire(plan);
  }

  dispose(): void {
    if (this.editTimer) clearTimeout(this.editTimer);
    for (const d of this.disposables) d.dispose();
  }
}
