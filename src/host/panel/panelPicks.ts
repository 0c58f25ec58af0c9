// The panel's model, backend, TTL and template-input pickers, host side. Model, TTLs and inputs
// are picks of the shown prompt's conversation (ConversationOverrides, workspace state) and
// reach every plan of it; the backend is the `promptCacheLab.backend` setting itself, written
// for the workspace, so the panel and the settings never disagree (a new backend is a new cache
// scope: the runner starts it cold).
import * as vscode from 'vscode';
import { nearest } from '../../core/registry/nearest';
import type { OverridesView, TtlChoice, TtlTier } from '../../shared/panelViews';
import type { HostDelta, PanelToHost, PlanView } from '../../shared/protocol';
import type { ApiKeyStore } from '../apiKey';
import type { BackendManager } from '../backendManager';
import { CommandId } from '../commandIds';
import { readSettings } from '../config';
import type { EngineWorker } from '../engineWorker';
import type { ModelCatalog } from '../modelCatalog';
import { viewOf, type PlanService } from '../planService';
import type { PromptRegistry } from '../prompts/registry';
import { sampleText, typedInputs, type ConversationOverrides, type PlanPicks } from './overrides';
import { promptSamples, type PromptSamples } from './promptInputs';
import { SupersededError } from '../../node/engineClient';

export interface PanelPicksDeps {
  overrides: ConversationOverrides;
  models: ModelCatalog;
  worker: EngineWorker;
  plans: PlanService;
  registry: PromptRegistry;
  backends: BackendManager;
  keys: ApiKeyStore;
  post: (d: HostDelta) => void;
  /** The prompt the panel shows. */
  shown: () => Promise<vscode.TextDocument | undefined>;
  /** A pick changed: the forecast of the text being typed is redone. */
  onChanged: () => void;
}

export type PickMessage = Extract<PanelToHost, { type: 'setModel' | 'setBackend' | 'setTtl' | 'setInputs' }>;

const rel = (doc: vscode.TextDocument) => vscode.workspace.asRelativePath(doc.uri, false);
const rootOf = (doc: vscode.TextDocument) => (vscode.workspace.getWorkspaceFolder(doc.uri)?.uri ?? vscode.Uri.joinPath(doc.uri, '..')).fsPath;

/** The first error of a plan, in words (a template that does not render names its line). */
function planError(plan: PlanView): string | undefined {
  const d = plan.diagnostics.find((x) => x.severity === 'error');
  if (d) return `line ${d.line}: ${d.message}`;
  return plan.error;
}

export class PanelPicks implements vscode.Disposable {
  private needsKey = false;
  /** Why the last pick was refused, shown until the next pick. */
  private refused: string | undefined;
  private last: OverridesView | undefined;
  private shownPlan: PlanView | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: PanelPicksDeps) {
    this.disposables.push(deps.keys.onDidChange(() => void this.keyChanged()));
  }

  /** The overrides view and the plan with the picks, for a snapshot (last computed). */
  get snapshot(): { overrides?: OverridesView; plan?: PlanView } {
    return { ...(this.last ? { overrides: this.last } : {}), ...(this.shownPlan ? { plan: this.shownPlan } : {}) };
  }

  /** The plan request fields the picks add for this prompt (the session service calls it per request). */
  planPicks(doc: vscode.TextDocument): PlanPicks {
    return this.deps.overrides.planPicks(rel(doc));
  }

  async handle(m: PickMessage): Promise<void> {
    this.refused = undefined;
    if (m.type === 'setBackend') return this.setBackend(m.backend);
    const doc = await this.deps.shown();
    if (!doc) return;
    const path = rel(doc);
    if (m.type === 'setModel') {
      const id = m.model.trim();
      if (id && !this.deps.models.tryResolve(id)) {
        const ids = this.deps.models.live.all().flatMap((x) => [x.id, ...x.aliases]);
        this.refused = `Unknown model "${id}". Nearest known ids: ${nearest(id, ids, 3).join(', ')}.`;
      } else await this.deps.overrides.update(path, (p) => ({ ...p, model: id || undefined }));
    } else if (m.type === 'setTtl') {
      await this.deps.overrides.update(path, (p) => ({ ...p, ttl: { ...p.ttl, [m.tier]: m.ttl === 'default' ? undefined : m.ttl } }));
    } else {
      const samples = (await promptSamples(doc, rootOf(doc), path))?.samples ?? {};
      await this.deps.overrides.update(path, (p) => ({ ...p, inputs: typedInputs(m.inputs, samples) }));
    }
    await this.refresh();
    this.deps.onChanged();
  }

  /** Posts the overrides of the shown prompt and its plan with them. */
  async refresh(): Promise<void> {
    const doc = await this.deps.shown();
    if (!doc) return;
    const samples = await promptSamples(doc, rootOf(doc), rel(doc));
    let plan: PlanView | undefined;
    try {
      plan = await this.planWithPicks(doc);
    } catch (err) {
      // A newer plan of the same prompt is on its way, and its refresh posts it.
      if (err instanceof SupersededError) return;
      throw err;
    }
    if (plan) {
      this.shownPlan = plan;
      this.deps.post({ type: 'plan', plan });
    } else if (this.shownPlan) {
      // The last pick was cleared: back to the registry's plan of the prompt.
      this.shownPlan = undefined;
      const own = this.deps.registry.get(doc.uri)?.plan;
      if (own) this.deps.post({ type: 'plan', plan: viewOf(own) });
    }
    this.last = this.view(doc, samples, plan);
    this.deps.post({ type: 'overrides', overrides: this.last });
  }

  /** A plan of the active prompt changed: the panel shows it with the picks when it is the shown prompt. */
  async publishPlan(plan: PlanView | undefined): Promise<void> {
    const doc = await this.deps.shown();
    const picked = doc && plan?.promptPath === doc.uri.fsPath && Object.keys(this.deps.overrides.get(rel(doc))).length > 0;
    if (!picked) {
      this.shownPlan = undefined;
      return this.deps.post({ type: 'plan', plan });
    }
    await this.refresh();
  }

  /** Why a message must not be sent with the picks (a template input that does not render), else undefined. */
  async refusal(doc: vscode.TextDocument): Promise<string | undefined> {
    if (!this.deps.overrides.get(rel(doc)).inputs) return undefined;
    const plan = await this.planWithPicks(doc).catch((err: unknown) => {
      // Superseded by a refresh of the same prompt: plan once more, the send needs an answer.
      if (err instanceof SupersededError) return this.planWithPicks(doc);
      throw err;
    });
    const error = plan?.error ? planError(plan) : undefined;
    if (error) await this.refresh();
    return error;
  }

  private async planWithPicks(doc: vscode.TextDocument): Promise<PlanView | undefined> {
    const picks = this.deps.overrides.planPicks(rel(doc));
    if (!Object.keys(picks).length) return undefined;
    return viewOf(await this.deps.worker.plan({ ...this.deps.plans.planInput(doc), ...picks }));
  }

  private view(doc: vscode.TextDocument, samples: PromptSamples | undefined, plan: PlanView | undefined): OverridesView {
    const path = rel(doc);
    const picks = this.deps.overrides.get(path);
    const own = this.deps.registry.get(doc.uri)?.plan?.model ?? readSettings().defaultModel;
    const inputs = samples?.names.map((name) => {
      const sample = sampleText(samples.samples[name] ?? '');
      const typed = picks.inputs?.[name];
      return { name, sample, value: typed === undefined ? sample : sampleText(typed) };
    });
    const error = this.refused ?? (plan?.error ? planError(plan) : undefined);
    const notes = plan?.notes?.filter((n) => n.startsWith('The planner changed a TTL'));
    return {
      promptPath: path,
      ...(picks.model ? { model: picks.model } : {}),
      promptModel: own,
      models: this.deps.models.live.all().map((x) => x.id),
      ttl: this.deps.overrides.ttlChoices(path) as Record<TtlTier, TtlChoice>,
      ...(inputs?.length ? { inputs } : {}),
      ...(error ? { error } : {}),
      ...(notes?.length ? { notes } : {}),
      ...(this.needsKey ? { needsKey: true } : {}),
    };
  }

  private async setBackend(kind: 'offline' | 'anthropic'): Promise<void> {
    this.needsKey = kind === 'anthropic' && this.deps.keys.known().length === 0;
    if (this.needsKey) {
      await this.refresh();
      // Not awaited: the pick is done; the key may come from this button or from anywhere else (keyChanged).
      void vscode.window.showWarningMessage('Prompt Cache Lab: the Anthropic API needs an API key. The panel stays on the offline emulator until one is set.', 'Set API Key').then((choice) => (choice ? vscode.commands.executeCommand(CommandId.setApiKey) : undefined));
      return;
    }
    await this.writeBackend(kind);
    await this.refresh();
  }

  private async keyChanged(): Promise<void> {
    if (!this.needsKey || this.deps.keys.known().length === 0) return;
    this.needsKey = false;
    await this.writeBackend('anthropic');
    await this.refresh();
  }

  private async writeBackend(kind: 'offline' | 'anthropic'): Promise<void> {
    if (this.deps.backends.kind() === kind && readSettings().backend === kind) return;
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration('promptCacheLab').update('backend', kind, target);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
