// The prompt registry in a real extension host: every prompt file of the workspace registered and
// planned without being opened, kept live on create, edit, rename and delete; diagnostics on
// unopened files; CodeLens; the Prompts view; a quick fix applied; the request-plan document.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PromptCacheLabApi } from '../../src/host/app';
import { CommandId } from '../../src/host/commandIds';
import { DEFAULTS } from '../../src/host/config';
import { EXTENSION_ID, extensionApi, setSetting, until } from './helpers';

const enc = (s: string) => new TextEncoder().encode(s);
const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Prompt Cache Lab');

function ws(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, relative);
}

const prompt = (id: string, body = 'Answer in one short sentence.') => `---\nid: ${id}\nmodel: claude-sonnet-5\nttl: 5m\n---\n${body}\n`;

describe('the prompt registry, views and language features', () => {
  let api: PromptCacheLabApi;
  const events: Array<{ changed: string[]; removed: string[] }> = [];
  let sub: vscode.Disposable;
  const created: vscode.Uri[] = [];

  before(async () => {
    api = await extensionApi();
    sub = api.onPromptsChanged((e) => events.push(e));
    await until('the sample prompts to be registered and planned', async () => {
      await api.promptsIdle();
      const ids = api.prompts().map((r) => r.id);
      const paths = api.prompts().map((r) => r.path);
      return ['support-agent', 'greeting', 'code-reviewer'].every((id) => ids.includes(id)) && paths.includes('prompts/broken.prompt.md') && ids;
    }, 30000);
  });

  after(async () => {
    sub.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const u of created) await vscode.workspace.fs.delete(u).then(undefined, () => undefined);
  });

  it('the manifest and the code agree on what a prompt file is', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const manifest = JSON.parse(readFileSync(join(ext.extensionPath, 'package.json'), 'utf8')) as {
      activationEvents: string[];
      contributes: { configuration: { properties: Record<string, { default: unknown }> }; menus: Record<string, Array<{ command: string; when?: string }>> };
    };
    const fromManifest = manifest.activationEvents.filter((e) => e.startsWith('workspaceContains:')).map((e) => e.slice('workspaceContains:'.length));
    assert.deepEqual(fromManifest.sort(), [...DEFAULTS.promptGlobs].sort());
    assert.deepEqual(manifest.contributes.configuration.properties['promptCacheLab.promptGlobs']?.default, DEFAULTS.promptGlobs);
    const title = manifest.contributes.menus['editor/title']?.filter((m) => m.command === CommandId.send) ?? [];
    assert.ok(title.length === 1 && title[0]?.when === 'resourcePath in promptCacheLab.promptPaths', 'the editor-title buttons follow the registry');
    const paths = api.prompts().map((r) => r.path);
    for (const p of ['.prompts/support-agent.md', 'prompts/greeting.prompt.md', 'prompts/release-notes.prompty']) assert.ok(paths.includes(p), `${p} registered (${paths.join(', ')})`);
    assert.ok(!paths.some((p) => p.includes('node_modules') || p.startsWith('docs/')), 'only prompt files');
  });

  it('shows the problems of a prompt file that was never opened, all at once on their lines', async () => {
    // A copy written on disk now, so no earlier suite has opened it.
    const broken = ws('prompts/it-broken.prompt.md');
    created.push(broken);
    await vscode.workspace.fs.writeFile(broken, await vscode.workspace.fs.readFile(ws('prompts/broken.prompt.md')));
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === broken.toString()), 'not open');
    const shown = await until('diagnostics on the unopened broken prompt', () => {
      const d = ours(broken);
      return d.length >= 2 && d;
    });
    const lines = shown.map((d) => d.range.start.line);
    assert.ok(lines.includes(3), `ttl: 10m on line 4 (${lines.join(',')})`);
    assert.ok(lines.includes(4), `max_token on line 5 (${lines.join(',')})`);
  });

  it('refuses a context file outside the workspace with a diagnostic on its line', async () => {
    const escape = ws('escape.prompt.md');
    created.push(escape);
    await vscode.workspace.fs.writeFile(escape, enc('---\nid: escape-attempt\nmodel: claude-sonnet-5\ncontext:\n  files: [../outside.md]\n---\nHello.\n'));
    const d = await until('the escape diagnostic', () => ours(escape).find((x) => /outside/i.test(x.message)));
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.range.start.line, 4);
  });

  it('puts a broken tools JSON problem on the JSON file itself, and the reference on the prompt', async () => {
    const tools = ws('tools/it-broken.json');
    const uri = ws('prompts/it-tools.prompt.md');
    created.push(tools, uri);
    await vscode.workspace.fs.writeFile(tools, enc('[\n  {"name": "lookup",\n'));
    await vscode.workspace.fs.writeFile(uri, enc('---\nid: it-tools\nmodel: claude-sonnet-5\ntools: ../tools/it-broken.json\n---\nHi.\n'));
    const onJson = await until('a diagnostic on the tools JSON', () => ours(tools)[0]);
    assert.equal(onJson.severity, vscode.DiagnosticSeverity.Error);
    const onPrompt = await until('the tools line of the prompt', () => ours(uri).find((d) => /tools/.test(d.message)));
    assert.equal(onPrompt.range.start.line, 3);
  });

  it('follows create, edit on disk, rename and delete with registry events', async () => {
    const a = ws('.prompts/it-live.md');
    const b = ws('.prompts/it-renamed.md');
    created.push(a, b);
    events.length = 0;
    await vscode.workspace.fs.writeFile(a, enc(prompt('it-live')));
    await until('the created prompt', () => api.prompts().find((r) => r.id === 'it-live'));
    // Registry events are coalesced and may trail the registry's own state by a tick.
    await until('a change event naming the new file', () => events.some((e) => e.changed.includes(a.toString())));
    await vscode.workspace.fs.writeFile(a, enc(prompt('it-live-edited')));
    await until('the edit on disk', () => api.prompts().find((r) => r.path === '.prompts/it-live.md' && r.id === 'it-live-edited'));
    events.length = 0;
    await vscode.workspace.fs.rename(a, b);
    await until('the rename', () => {
      const paths = api.prompts().map((r) => r.path);
      return paths.includes('.prompts/it-renamed.md') && !paths.includes('.prompts/it-live.md');
    });
    await until('a removal event naming the old name', () => events.some((e) => e.removed.includes(a.toString())));
    await vscode.workspace.fs.delete(b);
    await until('the delete', () => !api.prompts().some((r) => r.path === '.prompts/it-renamed.md'));
  });

  it('plans the unsaved text of an open editor, not the file on disk', async () => {
    const uri = ws('prompts/it-unsaved.prompt.md');
    created.push(uri);
    await vscode.workspace.fs.writeFile(uri, enc(prompt('it-unsaved')));
    await until('registered', () => api.prompts().find((r) => r.id === 'it-unsaved'));
    const editor = await vscode.window.showTextDocument(uri);
    await editor.edit((e) => e.replace(new vscode.Range(1, 0, 1, 100), 'id: it-typed'));
    await until('the typed id', () => api.prompts().find((r) => r.path === 'prompts/it-unsaved.prompt.md' && r.id === 'it-typed'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await until('the file again once the editor is reverted', () => api.prompts().find((r) => r.path === 'prompts/it-unsaved.prompt.md' && r.id === 'it-unsaved'));
  });

  it('reports a duplicate id on both files and fixes it with a quick fix', async () => {
    const one = ws('prompts/it-dup-one.prompt.md');
    const two = ws('prompts/it-dup-two.prompt.md');
    created.push(one, two);
    await vscode.workspace.fs.writeFile(one, enc(prompt('it-dup')));
    await vscode.workspace.fs.writeFile(two, enc(prompt('it-dup')));
    for (const u of [one, two]) await until(`the duplicate diagnostic on ${u.path}`, () => ours(u).find((d) => d.code === 'duplicate-id'));
    const doc = await vscode.workspace.openTextDocument(two);
    const dup = ours(two).find((d) => d.code === 'duplicate-id');
    assert.ok(dup);
    assert.equal(dup.range.start.line, 1);
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', two, dup.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    const fix = actions.find((a) => /Rename id/.test(a.title));
    assert.ok(fix?.edit, `a rename quick fix (${actions.map((a) => a.title).join(', ')})`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), /^id: it-dup-2$/m);
    await until('the duplicate diagnostics gone', () => ![one, two].some((u) => ours(u).some((d) => d.code === 'duplicate-id')));
    await doc.save();
  });

  it('shows a CodeLens with size, cacheability and cost, or why the prompt is not cached', async () => {
    const lenses = async (rel: string) => {
      // The command needs the document loaded (not shown): it reads the editor model.
      await vscode.workspace.openTextDocument(ws(rel));
      const res = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', ws(rel), 10)) ?? [];
      return res.map((l) => l.command?.title ?? '');
    };
    const big = await until('the support-agent lens', async () => {
      const t = await lenses('.prompts/support-agent.md');
      return t.length > 0 && !t[0]?.includes('planning') && t;
    });
    assert.match(big[0] ?? '', /^≈[\d,]+ tokens · cacheable \(≥1,024 for claude-sonnet-5\) · first send ≈\$\d+\.\d{4} · repeat ≈\$\d+\.\d{4}$/);
    assert.ok(big.some((t) => /Send/.test(t)) && big.some((t) => /Pre-warm/.test(t)) && big.includes('Show Request Plan'));
    const small = await lenses('prompts/greeting.prompt.md');
    assert.match(small[0] ?? '', /^below minimum: [\d,]+ of 1,024 tokens — not cached$/);
  });

  it('lists every prompt in the Prompts view with model, tier tokens and cache state', async () => {
    const rows = api.prompts();
    const support = rows.find((r) => r.id === 'support-agent');
    assert.ok(support, 'support-agent listed');
    assert.equal(support.model, 'claude-sonnet-5');
    assert.ok(support.tiers.some((t) => /^system: ≈[\d,]+ tokens, 1h/.test(t)), support.tiers.join(' | '));
    assert.ok(support.tiers.some((t) => /^context: ≈[\d,]+ tokens, 5m/.test(t)), support.tiers.join(' | '));
    // The earlier suites sent and pre-warmed with it: warm for an hour (its first breakpoint is 1h).
    assert.match(support.cache, /^warm until \d\d:\d\d:\d\d/);
    const greeting = rows.find((r) => r.id === 'greeting');
    assert.equal(greeting?.cache, 'unknown', 'no request of it in the ledger');
    assert.match(greeting?.description ?? '', /not cached/);
  });

  it('opens the request plan: the exact body, breakpoints with reasons and lines, costs; copies as curl and SDK code', async () => {
    const text = (await vscode.commands.executeCommand<string>(CommandId.showPlan, ws('.prompts/support-agent.md'))) ?? '';
    assert.match(text, /^# Request plan: support-agent/);
    assert.match(text, /Placed\*\* after tools \+ system instructions \(the prompt body\), from line \d+ of the file: 1h TTL/);
    assert.match(text, /Why: /);
    assert.match(text, /first send \(cache written\): ≈\$\d/);
    assert.match(text, /"cache_control"/);
    const body = /```json\n([\s\S]*?)\n```/.exec(text)?.[1];
    assert.ok(body, 'a JSON body');
    const request = JSON.parse(body) as { model: string; tools?: unknown[] };
    assert.equal(request.model, 'claude-sonnet-5');
    assert.ok((request.tools ?? []).length > 0);
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.uri.scheme, 'prompt-cache-plan');
    const curl = (await vscode.commands.executeCommand<string>(CommandId.copyAsCurl, doc?.uri)) ?? '';
    assert.match(curl, /^curl https:\/\/api\.anthropic\.com\/v1\/messages/);
    assert.match(curl, /x-api-key: \$ANTHROPIC_API_KEY/);
    const sdk = (await vscode.commands.executeCommand<string>(CommandId.copyAsSdk, ws('.prompts/support-agent.md'))) ?? '';
    assert.match(sdk, /from '@anthropic-ai\/sdk'/);
    assert.match(sdk, /process\.env\.ANTHROPIC_API_KEY/);
    assert.ok(!/sk-ant-/.test(curl + sdk), 'no key is copied');
  });

  it('compares the request plan with the previous request of the conversation, and names the block an edit changes', async () => {
    const uri = ws('.prompts/support-agent.md');
    const before = (await vscode.commands.executeCommand<string>(CommandId.showPlan, uri)) ?? '';
    // The earlier suites sent with this prompt: the ledger holds its previous request.
    assert.match(before, /## Compared with the previous request\n\nPrevious request: turn \d+ at \d\d:\d\d:\d\d UTC \(claude-sonnet-5\)\./);
    const editor = await vscode.window.showTextDocument(uri);
    const bodyLine = editor.document.getText().split('\n').findIndex((l, i) => i > 0 && l.startsWith('---')) + 1;
    await editor.edit((e) => e.insert(new vscode.Position(bodyLine, 0), 'Always greet the customer by name.\n'));
    const after = await until('the edit to be planned', async () => {
      await api.promptsIdle();
      const text = (await vscode.commands.executeCommand<string>(CommandId.showPlan, uri)) ?? '';
      return text.includes('"text": "Always greet the customer by name.') && text;
    });
    const section = after.slice(after.indexOf('## Compared with the previous request'));
    assert.match(section, new RegExp(`the instructions \\(prompt body\\) \\(line ${bodyLine + 1} of the file\\) is the first block that differs; it now begins "Always greet the customer by name\\.`));
    assert.match(section, /- system instructions \(line \d+ of the file\): text changed\./);
    assert.match(section, /The breakpoint after the system instructions stops matching/);
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('refuses files over promptCacheLab.prompts.maxFileBytes with their size and the setting; the prompt stays registered', async () => {
    const small = ws('prompts/it-limit.prompt.md');
    const big = ws('prompts/it-limit-big.prompt.md');
    const doc = ws('docs/it-limit-doc.md');
    created.push(small, big, doc);
    await vscode.workspace.fs.writeFile(doc, enc('word '.repeat(200)));
    await vscode.workspace.fs.writeFile(small, enc('---\nid: it-limit\ncontext:\n  files: [../docs/it-limit-doc.md]\n---\nShort.\n'));
    await vscode.workspace.fs.writeFile(big, enc(prompt('it-limit-big', 'x'.repeat(700))));
    await setSetting('prompts.maxFileBytes', 500);
    try {
      const onBig = await until('the big prompt refused', () => ours(big).find((d) => d.code === 'file-too-large'));
      assert.match(onBig.message, /over the 500 bytes limit, so it is not read; to read it, raise the setting promptCacheLab\.prompts\.maxFileBytes\./);
      assert.match(onBig.message, /is 7\d\d bytes/);
      const onSmall = await until('the context document refused', () => ours(small).find((d) => d.code === 'file-too-large'));
      assert.match(onSmall.message, /docs\/it-limit-doc\.md is 1,000 bytes, over the 500 bytes limit/);
      assert.equal(onSmall.range.start.line, 3, 'on the line naming the document');
      const paths = api.prompts().map((r) => r.path);
      assert.ok(paths.includes('prompts/it-limit-big.prompt.md') && paths.includes('prompts/it-limit.prompt.md'), 'both stay registered');
    } finally {
      await setSetting('prompts.maxFileBytes', undefined);
    }
    await until('the default limit reads them again', () => !ours(big).some((d) => d.code === 'file-too-large') && !ours(small).some((d) => d.code === 'file-too-large'));
  });

  it('the status bar shows the request size on a prompt file and what the raw file counts', async () => {
    await vscode.window.showTextDocument(ws('.prompts/support-agent.md'));
    const size = await until('the request size', () => api.requestTokens());
    const s = api.tokenStatus();
    assert.ok(s.tokens !== undefined && size > s.tokens, `the request (${size}) is larger than the file (${s.tokens}): tools and context are added`);
    assert.ok(s.text.includes(size.toLocaleString('en-US')), s.text);
    assert.match(s.tooltip, /tools \+ system \+ context/);
    assert.match(s.tooltip, /itself counts/);
  });

  it('New Prompt File writes a template that registers, and Select Default Prompt picks what Send uses', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>(CommandId.newPromptFile, 'it-new');
    assert.ok(uri);
    created.push(uri);
    await until('the new prompt', () => api.prompts().find((r) => r.id === 'it-new'));
    const chosen = await vscode.commands.executeCommand<vscode.Uri>(CommandId.selectDefaultPrompt, uri);
    assert.equal(chosen?.toString(), uri.toString());
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const text = (await vscode.commands.executeCommand<string>(CommandId.showPlan)) ?? '';
    assert.match(text, /^# Request plan: it-new/);
    const count = await vscode.commands.executeCommand<number>(CommandId.reloadPrompts);
    assert.ok((count ?? 0) >= 5, `Reload Prompts found ${count}`);
  });

  it('completes front-matter keys and model ids, and explains them on hover', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri as vscode.Uri;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, '.prompts/support-agent.md'));
    await vscode.window.showTextDocument(doc);
    const keys = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(1, 0));
    const labels = keys.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('tool_results') && labels.includes('context'), labels.slice(0, 20).join(','));
    const modelLine = doc.getText().split('\n').findIndex((l) => l.startsWith('model:'));
    const models = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(modelLine, 'model: '.length));
    assert.ok(models.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'claude-sonnet-5'));
    const ttlLine = doc.getText().split('\n').findIndex((l) => l.startsWith('ttl:'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(ttlLine, 1));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join(' ');
    assert.match(text, /Cache lifetime of tier 1/);
    const modelHover = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(modelLine, 'model: '.length + 2));
    assert.match(modelHover.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join(' '), /per million tokens/);
  });
});
