// The cache plan of the active prompt file: parse → load tools and context → compose → plan →
// predict (cold and warm cost). Recomputed on save and on editor switch; shown in the panel.
import * as vscode from 'vscode';
import type { PlanView } from '../shared/protocol';
import { buildPromptPlan, type PromptPlanOutcome } from '../core/plan/pipeline';
import type { FileAccess } from '../core/registry/resolve';
import { readSettings } from './config';
import type { Logger } from './log';
import type { ModelCatalog } from './modelCatalog';

const PROMPT_FILE = /(\.prompt\.md|\.prompty)$|[\\/]\.prompts[\\/].*\.md$/i;

export function isPromptFile(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'file' && PROMPT_FILE.test(doc.uri.fsPath);
}

/** Workspace files for tools and context globs; bounded so a huge workspace cannot stall planning. */
const MAX_LISTED = 20_000;

function workspaceFiles(root: vscode.Uri): FileAccess {
  return {
    root: root.fsPath,
    async read(absPath: string) {
      try {
        return await vscode.workspace.fs.readFile(vscode.Uri.file(absPath));
      } catch (err) {
        if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return undefined;
        throw err;
      }
    },
    async list() {
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(root, '**/*'), '**/node_modules/**', MAX_LISTED);
      return found.map((u) => vscode.workspace.asRelativePath(u, false).replace(/\\/g, '/'));
    },
  };
}

export function toPlanView(path: string, outcome: PromptPlanOutcome, fallbackModel: string): PlanView {
  const diagnostics = outcome.diagnostics.map((d) => ({ severity: d.severity, message: d.file ? `${d.file}: ${d.message}` : d.message, line: d.line }));
  if (!outcome.ok) {
    return { promptPath: path, promptId: outcome.spec?.id, model: outcome.spec?.model ?? fallbackModel, breakpoints: [], diagnostics, error: `No plan: ${outcome.error}.` };
  }
  return {
    promptPath: path,
    promptId: outcome.spec.id,
    model: outcome.model.id,
    breakpoints: outcome.plan.breakpoints.map((b) => ({ tier: b.tier, ttl: b.ttl, prefixTokens: b.prefix_tokens, placed: b.placed, reason: b.reason })),
    coldUsd: outcome.predicted?.cold_usd,
    warmUsd: outcome.predicted?.warm_usd,
    diagnostics,
    error: outcome.predictionError,
  };
}

export class PlanService implements vscode.Disposable {
  private plan: PlanView | undefined;
  private readonly changed = new vscode.EventEmitter<PlanView | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private generation = 0;

  constructor(
    private readonly models: ModelCatalog,
    private readonly log: Logger,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (d === vscode.window.activeTextEditor?.document) this.refresh();
      }),
    );
    this.refresh();
  }

  get current(): PlanView | undefined {
    return this.plan;
  }

  /** Recomputes for the active editor; `explicit` keeps the last plan when no prompt is active. */
  refresh(explicit = false): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !isPromptFile(doc)) {
      if (explicit && !this.plan) {
        void vscode.window.showInformationMessage('Prompt Cache Lab: open a prompt file (*.prompt.md, .prompts/**/*.md or *.prompty) to see its cache plan.');
      }
      return;
    }
    void this.compute(doc);
  }

  private async compute(doc: vscode.TextDocument): Promise<void> {
    const gen = ++this.generation;
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    const root = folder?.uri ?? vscode.Uri.joinPath(doc.uri, '..');
    try {
      const outcome = await buildPromptPlan({
        path: doc.uri.fsPath,
        text: doc.getText(),
        files: workspaceFiles(root),
        models: this.models.modelTable,
        defaultModel: readSettings().defaultModel,
      });
      if (gen !== this.generation) return;
      this.publish(toPlanView(doc.uri.fsPath, outcome, readSettings().defaultModel));
    } catch (err) {
      if (gen !== this.generation) return;
      this.log.error(`cache plan failed for ${doc.uri.fsPath}: ${(err as Error).message}`);
      this.publish({ promptPath: doc.uri.fsPath, model: readSettings().defaultModel, breakpoints: [], diagnostics: [], error: (err as Error).message });
    }
  }

  private publish(plan: PlanView): void {
    this.plan = plan;
    this.changed.fire(plan);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
