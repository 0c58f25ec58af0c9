// The prompt commands: Reload Prompts, Show Request Plan, New Prompt File, Select Default Prompt,
// Open Prompt File, Copy Request as curl / as SDK Code. Each takes an optional prompt URI (from
// CodeLens, the Prompts view or the editor title) and returns what it did, for tasks and tests.
import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import { readSettings } from '../config';
import { uriArg, type PlanService } from '../planService';
import type { PlanDocuments } from './planDocument';
import { promptUriOf } from './planDocument';
import { isPromptUri } from './promptFiles';
import { promptIdOf, type PromptRegistry } from './registry';
import { curlOf, sdkCodeOf } from './snippets';
import type { PromptWatcher } from './watcher';

/** The prompt Send uses when no prompt editor is active, kept per workspace. */
export class DefaultPrompt {
  private static readonly KEY = 'promptCacheLab.defaultPrompt';
  constructor(private readonly state: vscode.Memento) {}
  get(): vscode.Uri | undefined {
    const s = this.state.get<string>(DefaultPrompt.KEY);
    return s ? vscode.Uri.parse(s) : undefined;
  }
  set(uri: vscode.Uri | undefined): Thenable<void> {
    return this.state.update(DefaultPrompt.KEY, uri?.toString());
  }
}

export interface PromptCommandServices {
  plans: PlanService;
  registry: PromptRegistry;
  watcher: PromptWatcher;
  planDocuments: PlanDocuments;
  defaultPrompt: DefaultPrompt;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$/;

export function promptTemplate(id: string, model: string): string {
  return [
    '---',
    `id: ${id}`,
    `model: ${model}`,
    'ttl: 5m                 # tools + instructions: 5m for bursts of use, 1h for use every 10-60 minutes',
    'max_tokens: 1024',
    '# tools: ../tools/my-tools.json',
    '# context:              # documents placed after the instructions, cached apart',
    '#   ttl: 5m',
    '#   files: [../docs/*.md]',
    '---',
    'You are a helpful assistant for …',
    '',
    'Describe the task, the rules and the style here. Everything above the conversation is cached',
    'once it is at least the model\'s minimum cacheable length (1,024 tokens for most models).',
    '',
  ].join('\n');
}

async function newPromptFile(s: PromptCommandServices, given?: unknown): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showInformationMessage('Prompt Cache Lab: open a folder first; prompt files live in the workspace.');
    return undefined;
  }
  const name =
    typeof given === 'string'
      ? given
      : await vscode.window.showInputBox({ title: 'New prompt file', prompt: 'A name for .prompts/<name>.md (also its id)', placeHolder: 'support-agent', validateInput: (v) => (NAME.test(v) ? undefined : 'Letters, digits, dot, dash and underscore only.') });
  if (name === undefined) return undefined;
  if (!NAME.test(name)) throw new Error(`'${name}' is not a usable prompt name: letters, digits, dot, dash and underscore only.`);
  const uri = vscode.Uri.joinPath(folder.uri, '.prompts', `${name}.md`);
  const exists = await vscode.workspace.fs.stat(uri).then(() => true, () => false);
  if (exists) throw new Error(`.prompts/${name}.md already exists.`);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(promptTemplate(name, readSettings().defaultModel)));
  s.registry.upsert(uri, 0);
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(10, 0, 10, 0) });
  return uri;
}

async function selectDefaultPrompt(s: PromptCommandServices, given?: unknown): Promise<vscode.Uri | undefined> {
  let uri = uriArg(given);
  if (!uri) {
    const current = s.defaultPrompt.get()?.toString();
    const picked = await vscode.window.showQuickPick(
      s.registry.all().map((p) => ({ label: promptIdOf(p), description: p.relativePath, detail: p.plan?.model, picked: p.uri.toString() === current, uri: p.uri })),
      { title: 'Default prompt: what Send, Pre-warm and Show Request Plan use when no prompt editor is active', placeHolder: s.registry.all().length ? 'Choose a prompt' : 'No prompt files in this workspace yet' },
    );
    uri = picked?.uri;
  }
  if (!uri) return undefined;
  if (!s.registry.has(uri)) throw new Error(`${vscode.workspace.asRelativePath(uri)} is not a registered prompt file (see promptCacheLab.promptGlobs).`);
  await s.defaultPrompt.set(uri);
  return uri;
}

/** The registered prompt a command acts on: the argument (prompt or plan document), else the active editor's, else the default. */
async function promptFor(s: PromptCommandServices, arg: unknown, what: string): Promise<vscode.Uri | undefined> {
  const given = uriArg(arg) ?? vscode.window.activeTextEditor?.document.uri;
  const uri = given ? promptUriOf(given) : undefined;
  if (uri && isPromptUri(uri)) return uri;
  return (await s.plans.resolvePrompt(undefined, what))?.uri;
}

async function showPlan(s: PromptCommandServices, arg: unknown): Promise<string | undefined> {
  const uri = await promptFor(s, arg, 'see its request plan');
  if (!uri) return undefined;
  const doc = await vscode.workspace.openTextDocument(uri);
  // The panel shows the same plan (its Refresh button runs this command).
  s.plans.showFor(doc);
  await s.registry.whenIdle();
  return (await s.planDocuments.show(uri)).getText();
}

async function copyRequest(s: PromptCommandServices, arg: unknown, as: 'curl' | 'sdk'): Promise<string | undefined> {
  const uri = await promptFor(s, arg, 'copy its request');
  if (!uri) return undefined;
  if (!s.registry.has(uri)) s.registry.upsert(uri, 0);
  await s.registry.whenIdle();
  const request = s.registry.get(uri)?.plan?.request;
  if (!request) throw new Error(`${vscode.workspace.asRelativePath(uri)} has no request to copy: fix the problems shown for it first.`);
  const text = as === 'curl' ? curlOf(request, readSettings().baseUrl) : sdkCodeOf(request, readSettings().baseUrl);
  await vscode.env.clipboard.writeText(text);
  void vscode.window.showInformationMessage(`Prompt Cache Lab: the request of ${vscode.workspace.asRelativePath(uri)} was copied as ${as === 'curl' ? 'a curl command' : 'TypeScript for @anthropic-ai/sdk'} (the key is read from $ANTHROPIC_API_KEY).`);
  return text;
}

async function reloadPrompts(s: PromptCommandServices): Promise<number> {
  const count = await s.watcher.rescan();
  await s.registry.whenIdle();
  return count;
}

export function promptCommandTable(s: PromptCommandServices): Record<string, (...args: unknown[]) => unknown> {
  return {
    [CommandId.reloadPrompts]: () => reloadPrompts(s),
    [CommandId.showPlan]: (arg) => showPlan(s, arg),
    [CommandId.newPromptFile]: (name) => newPromptFile(s, name),
    [CommandId.selectDefaultPrompt]: (arg) => selectDefaultPrompt(s, arg),
    [CommandId.openPromptFile]: async (arg) => {
      const uri = uriArg(arg);
      if (uri) await vscode.window.showTextDocument(uri);
    },
    [CommandId.copyAsCurl]: (arg) => copyRequest(s, arg, 'curl'),
    [CommandId.copyAsSdk]: (arg) => copyRequest(s, arg, 'sdk'),
  };
}
