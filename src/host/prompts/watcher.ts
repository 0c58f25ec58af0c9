// Keeps the registry in step with the workspace: a scan with findFiles (which applies
// files.exclude) on start and on Reload Prompts, FileSystemWatchers for create, change and
// delete (renames arrive as delete + create), folder deletes and renames made in VS Code, and
// edits of open prompt editors (debounced in the registry). A change of promptGlobs or
// files.exclude rescans.
import * as vscode from 'vscode';
import { affects } from '../config';
import type { Logger } from '../log';
import { isPromptUri, promptGlobs } from './promptFiles';
import type { PromptRegistry } from './registry';

/** Upper bound of files one scan registers: 10,000 prompt files cost bounded time, not a frozen host. */
const MAX_SCANNED = 5000;

export class PromptWatcher implements vscode.Disposable {
  private watchers: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private scanning: Promise<number> | undefined;

  constructor(
    private readonly registry: PromptRegistry,
    private readonly log: Logger,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && isPromptUri(e.document.uri)) registry.upsert(e.document.uri);
      }),
      // Closing an unsaved editor: the file on disk is the prompt again.
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (registry.has(d.uri)) registry.upsert(d.uri);
      }),
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (isPromptUri(d.uri) && !registry.has(d.uri)) registry.upsert(d.uri, 0);
      }),
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((f) => registry.removeUnder(f))),
      vscode.workspace.onDidRenameFiles((e) => {
        for (const { oldUri } of e.files) registry.removeUnder(oldUri);
        // A renamed folder's prompts: the watcher sees the new files only on some platforms.
        if (e.files.length) void this.rescan();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.restart()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affects(e, 'promptGlobs') || e.affectsConfiguration('files.exclude')) this.restart();
        else if (affects(e, 'models') || affects(e, 'defaultModel') || affects(e, 'prompts.maxFileBytes')) registry.replanAll();
      }),
    );
    this.restart();
  }

  /** Finds every prompt file again; resolves to how many are registered. */
  rescan(): Promise<number> {
    this.scanning ??= this.scan().finally(() => (this.scanning = undefined));
    return this.scanning;
  }

  private async scan(): Promise<number> {
    const found = new Map<string, vscode.Uri>();
    for (const glob of promptGlobs()) {
      // `undefined` as exclude: VS Code applies files.exclude; node_modules is refused by isPromptUri.
      for (const uri of await vscode.workspace.findFiles(glob, undefined, MAX_SCANNED)) {
        if (isPromptUri(uri)) found.set(uri.toString(), uri);
      }
    }
    if (found.size >= MAX_SCANNED) this.log.warn(`more than ${MAX_SCANNED} prompt files match promptCacheLab.promptGlobs; only the first ${MAX_SCANNED} per glob are registered`);
    for (const d of vscode.workspace.textDocuments) if (isPromptUri(d.uri)) found.set(d.uri.toString(), d.uri);
    this.registry.replaceAll([...found.values()]);
    this.log.info(`prompt registry: ${found.size} prompt file(s)`);
    return found.size;
  }

  private restart(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const glob of promptGlobs()) {
        const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob));
        this.watchers.push(
          w,
          w.onDidCreate((u) => isPromptUri(u) && this.registry.upsert(u)),
          w.onDidChange((u) => isPromptUri(u) && this.registry.upsert(u)),
          w.onDidDelete((u) => this.registry.remove(u)),
        );
      }
    }
    void this.rescan();
  }

  dispose(): void {
    for (const d of [...this.watchers, ...this.disposables]) d.dispose();
  }
}
