import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PromptCacheLabApi } from '../../src/host/app';
import { CommandId } from '../../src/host/commandIds';
import { DEFAULTS, SECTION } from '../../src/host/config';

import { EXTENSION_ID, until } from './helpers';

interface Manifest {
  contributes: {
    commands: Array<{ command: string; title: string; category: string }>;
    configuration: { properties: Record<string, { default: unknown }> };
  };
}

describe('Prompt Cache Lab in a real extension host', () => {
  let api: PromptCacheLabApi;
  let manifest: Manifest;

  before(async () => {
    const ext = vscode.extensions.getExtension<PromptCacheLabApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not installed in the host`);
    api = await ext.activate();
    manifest = JSON.parse(readFileSync(join(ext.extensionPath, 'package.json'), 'utf8')) as Manifest;
  });

  it('activates and returns its API', () => {
    assert.equal(typeof api.tokenStatus, 'function');
    assert.ok(['offline', 'anthropic'].includes(api.backendKind()));
  });

  it('registers every contributed command, and contributes exactly the command table', async () => {
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(contributed, Object.values(CommandId).sort());
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of contributed) assert.ok(registered.has(id), `${id} is contributed but not registered`);
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'Prompt Cache');
  });

  it('has no configuration drift: settings in code = package.json = what VS Code reads', () => {
    const props = manifest.contributes.configuration.properties;
    const inManifest = Object.keys(props).map((k) => k.slice(SECTION.length + 1)).sort();
    assert.deepEqual(inManifest, Object.keys(DEFAULTS).sort());
    const cfg = vscode.workspace.getConfiguration(SECTION);
    for (const [key, value] of Object.entries(DEFAULTS)) {
      assert.deepEqual(props[`${SECTION}.${key}`]?.default, value, `default of ${key} differs from package.json`);
      assert.deepEqual(cfg.inspect(key)?.defaultValue, value, `VS Code reads a different default for ${key}`);
    }
  });

  it('uses the offline emulator when no API key is set', () => {
    assert.equal(api.backendKind(), 'offline');
  });

  it('shows a live ≈ token estimate in the status bar and updates it while typing', async () => {
    const [file] = await vscode.workspace.findFiles('**/*.prompt.md', '**/node_modules/**', 1);
    assert.ok(file, 'the sample workspace has a *.prompt.md file');
    const editor = await vscode.window.showTextDocument(file);
    const first = await until('a token estimate', () => {
      const s = api.tokenStatus();
      return s.tokens !== undefined && s;
    });
    assert.match(first.text, /≈[\d,]+ tokens/);
    assert.match(first.tooltip, /estimate/i);
    assert.match(first.tooltip, /claude-/);
    const before = first.tokens ?? 0;
    await editor.edit((e) => e.insert(new vscode.Position(editor.document.lineCount, 0), '\nAlways answer in formal English and cite the policy section you rely on.\n'));
    const after = await until('the estimate to grow after typing', () => {
      const s = api.tokenStatus();
      return (s.tokens ?? 0) > before && s;
    });
    assert.ok((after.tokens ?? 0) - before >= 10 && (after.tokens ?? 0) - before <= 30, `a 14-word sentence adds 10-30 tokens, got ${(after.tokens ?? 0) - before}`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('counts special-token text such as <|endoftext|> as plain text', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: 'Before <|endoftext|> after <|fim_prefix|>' });
    await vscode.window.showTextDocument(doc);
    const s = await until('a count for the special-token document', () => {
      const v = api.tokenStatus();
      return v.tokens !== undefined && v.tokens > 5 && v;
    });
    assert.match(s.text, /≈\d+ tokens/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('counts a 3 MB document in the background and keeps an empty one at zero', async () => {
    const paragraph = 'Orders ship within two business days. Returns are free within 30 days of delivery.\n';
    const big = await vscode.workspace.openTextDocument({ language: 'markdown', content: paragraph.repeat(Math.ceil(3_000_000 / paragraph.length)) });
    await vscode.window.showTextDocument(big);
    const s = await until(
      'a count of the large document',
      () => {
        const v = api.tokenStatus();
        return v.tokens !== undefined && v.tokens > 400_000 && v;
      },
      45000,
    );
    assert.match(s.text, /≈[\d,]+ tokens/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const empty = await vscode.workspace.openTextDocument({ language: 'markdown', content: '' });
    await vscode.window.showTextDocument(empty);
    await until('a zero count', () => api.tokenStatus().tokens === 0 && true);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('opens the panel from its command', async () => {
    await vscode.commands.executeCommand(CommandId.openPanel);
    await until('the panel tab', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('promptCacheLab.panel')),
    );
    assert.ok(api.panelOpen());
  });
});
