import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { PromptCacheLabApi } from '../../src/host/app';
import { CommandId } from '../../src/host/commandIds';
import type { RequestView } from '../../src/shared/protocol';
import { startEmulator } from '../../src/backends/emulator/server';
import { extensionApi, openWorkspaceFile, setSetting } from './helpers';

const send = async (message: string) => (await vscode.commands.executeCommand(CommandId.send, message)) as RequestView | undefined;

describe('sending with the active prompt (offline emulator, real SDK)', () => {
  let api: PromptCacheLabApi;

  before(async () => {
    api = await extensionApi();
    await openWorkspaceFile('.prompts/support-agent.md');
    await vscode.commands.executeCommand(CommandId.newConversation);
  });

  after(async () => {
    await vscode.commands.executeCommand(CommandId.clearResponseCache);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('turn 1 is predicted exactly by the local cache model (pre-warms included), priced and explained', async () => {
    const r = await send('Where is my order AO-12345678?');
    assert.ok(r, `the send returned what it did; log: ${api.logLines().slice(-5).join(' | ')}`);
    assert.equal(r.error, undefined);
    assert.ok((r.answer ?? '').length > 0, 'an answer was streamed');
    assert.ok(r.usage.cacheWrite1h + r.usage.cacheWrite5m + r.usage.cacheRead > 1024, `the prefix is cached or read: ${JSON.stringify(r.usage)}`);
    assert.ok(r.predicted, 'a prediction was made before the send');
    assert.deepEqual(
      [r.predicted.cacheRead, r.predicted.cacheWrite5m, r.predicted.cacheWrite1h],
      [r.usage.cacheRead, r.usage.cacheWrite5m, r.usage.cacheWrite1h],
      'the emulator and the predictor share one cache model',
    );
    assert.ok((r.costUsd ?? 0) > 0 && r.explanation && r.explanation.length > 10);
  });

  it('turn 2 reads what turn 1 wrote', async () => {
    const r = await send('It says delivered but I have nothing.');
    assert.ok(r && r.usage.cacheRead > 1024, JSON.stringify(r?.usage));
    assert.equal(r.turn !== undefined && Math.ceil(r.turn), 2);
    assert.ok((r.hitRatio ?? 0) > 0.5, `hit ratio ${r.hitRatio}`);
  });

  it('with the local response cache on, an identical request is answered locally at no cost; Send Last Message Again goes to the API', async () => {
    await setSetting('responseCache.enabled', true);
    try {
      await vscode.commands.executeCommand(CommandId.newConversation);
      const stored = await send('Is my parcel insured?');
      assert.equal(stored?.localCache, undefined, 'the first ask goes to the API and is stored');
      await vscode.commands.executeCommand(CommandId.newConversation);
      const r = await send('Is my parcel insured?');
      assert.ok(r, 'the send returned what it did');
      assert.equal(r.localCache, true);
      assert.equal(r.outcome, 'local');
      assert.equal(r.costUsd, undefined, 'nothing was billed: no cost is claimed');
      assert.match(r.summary, /local response cache/);
      assert.ok((r.answer ?? '').length > 0);
      const real = (await vscode.commands.executeCommand(CommandId.resendLast)) as RequestView | undefined;
      assert.equal(real?.outcome, 'ok');
      assert.notEqual(real?.localCache, true);
      assert.ok((real?.usage.cacheRead ?? 0) > 1024, 'sent for real, it reads the prompt cache');
    } finally {
      await setSetting('responseCache.enabled', undefined);
    }
  });

  it('by default a re-sent identical message reaches the API and reads the prompt cache', async () => {
    await vscode.commands.executeCommand(CommandId.newConversation);
    const r = await send('Where is my order AO-12345678?');
    assert.equal(r?.outcome, 'ok');
    assert.notEqual(r?.localCache, true);
    assert.ok((r?.usage.cacheRead ?? 0) > 1024);
    assert.match(r?.explanation ?? '', /./);
  });

  it('replays the emulator script from the setting, and picks up edits to the script file', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    const script = vscode.Uri.joinPath(folder, '.e2e-script.yaml');
    const write = (text: string) => vscode.workspace.fs.writeFile(script, new TextEncoder().encode(`turns:\n  - text: ${JSON.stringify(text)}\n    output_tokens: 5\n`));
    await write('First scripted answer.');
    await setSetting('emulator.script', '.e2e-script.yaml');
    try {
      await vscode.commands.executeCommand(CommandId.newConversation);
      const first = await send('Script check one');
      assert.equal(first?.answer, 'First scripted answer.');
      await new Promise((r) => setTimeout(r, 20)); // a new mtime
      await write('Second scripted answer, after an edit.');
      await vscode.commands.executeCommand(CommandId.newConversation);
      const second = await send('Script check two');
      assert.equal(second?.answer, 'Second scripted answer, after an edit.');
    } finally {
      await setSetting('emulator.script', undefined);
      await vscode.workspace.fs.delete(script);
    }
  });

  it('never serves an answer stored from the offline emulator once requests go to another backend', async () => {
    const emu = await startEmulator({ port: 0 });
    try {
      await setSetting('baseUrl', emu.url);
      await setSetting('backend', 'anthropic');
      await vscode.commands.executeCommand(CommandId.setApiKey, 'sk-ant-integration-test-key-1111');
      await vscode.commands.executeCommand(CommandId.newConversation);
      const r = await send('Where is my order AO-12345678?');
      assert.ok(r, 'the send returned what it did');
      assert.equal(r.backend, 'anthropic');
      assert.notEqual(r.localCache, true, 'the offline answer was not reused');
      assert.equal(emu.requests().filter((q) => q.path === '/v1/messages').length, 1, 'the request reached the configured backend');
    } finally {
      await setSetting('backend', undefined);
      await setSetting('baseUrl', undefined);
      await vscode.commands.executeCommand(CommandId.clearApiKey);
      await emu.close();
    }
  });
});
