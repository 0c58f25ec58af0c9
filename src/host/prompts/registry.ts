// Every prompt file of the workspace with its latest plan: the vscode-free RegistryCore (queue,
// debounce, batching) over vscode.Uri. Plans come from the engine worker (the host never
// tokenizes). The text of an open editor, saved or not, wins over the file on disk; a file is
// read through workspace.fs with the size limit of `promptCacheLab.prompts.maxFileBytes`.
// Views subscribe to `onDidChange`.
import * as vscode from 'vscode';
import type { PlanRequest, PlanViewResult } from '../../core/session/engineProtocol';
import { readPromptText, type PromptFilePort } from '../../core/registry/promptText';
import { RegistryCore, type RegisteredPromptOf, type RegistryChangeOf } from '../../core/registry/registryCore';
import { SETTING_LIMIT_HINT, validLimit } from '../../core/registry/sizeLimit';
import { SupersededError } from '../../node/engineClient';
import { readSettings } from '../config';
import type { Logger } from '../log';
import { relativeInWorkspace } from './promptFiles';

export type RegisteredPrompt = RegisteredPromptOf<vscode.Uri>;
export type RegistryChange = RegistryChangeOf<vscode.Uri>;

export interface RegistryDeps {
  plan(request: PlanRequest): Promise<PlanViewResult>;
  /** Several plans in one worker request (a scan); see RegistryCoreDeps.planMany. */
  planMany?(requests: PlanRequest[]): Promise<PlanViewResult[]>;
  input(uri: vscode.Uri, text: string): PlanRequest;
  log: Logger;
  /** Delay between the last edit of a file and its plan. */
  debounceMs: () => number;
}

/** A prompt's id as the plan names it, or its file name until planned. */
export function promptIdOf(p: RegisteredPrompt): string {
  return p.plan?.promptId ?? p.relativePath.split('/').pop() ?? p.relativePath;
}

/** The setting's limit (a broken value: the 2 MB default). */
export function promptSizeLimit(): { maxBytes: number; raise: string } {
  return { maxBytes: validLimit(readSettings()['prompts.maxFileBytes']), raise: SETTING_LIMIT_HINT };
}

const workspaceFiles: PromptFilePort<vscode.Uri> = {
  stat: async (uri) => {
    const s = await vscode.workspace.fs.stat(uri);
    return { size: s.size, directory: (s.type & vscode.FileType.Directory) !== 0 };
  },
  read: async (uri) => vscode.workspace.fs.readFile(uri),
};

async function textOf(uri: vscode.Uri, name: string): ReturnType<typeof readPromptText> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return readPromptText(workspaceFiles, uri, name, promptSizeLimit());
}

export class PromptRegistry extends RegistryCore<vscode.Uri> implements vscode.Disposable {
  private readonly emitter: vscode.EventEmitter<RegistryChange>;
  readonly onDidChange: vscode.Event<RegistryChange>;

  constructor(deps: RegistryDeps) {
    const emitter = new vscode.EventEmitter<RegistryChange>();
    const relativePath = (uri: vscode.Uri) => relativeInWorkspace(uri) ?? uri.fsPath;
    super({
      plan: deps.plan,
      ...(deps.planMany ? { planMany: deps.planMany } : {}),
      input: deps.input,
      text: (uri) => textOf(uri, relativePath(uri)),
      relativePath,
      warn: (m) => deps.log.warn(m),
      debounceMs: deps.debounceMs,
      superseded: (err) => err instanceof SupersededError,
      publish: (change) => emitter.fire(change),
    });
    this.emitter = emitter;
    this.onDidChange = emitter.event;
  }

  override dispose(): void {
    super.dispose();
    this.emitter.dispose();
  }
}
