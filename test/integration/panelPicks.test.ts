// The panel's conversation picks in the real extension host against the offline emulator: a
// model and a TTL picked in the panel reach the request sent (the emulator bills what it was
// sent) and its record; an unknown model is refused with the nearest ids; picks survive in
// workspace state and are cleared again.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { PromptCacheLabApi } from '../../src/host/app';
import { CommandId } from '../../src/host/commandIds';
import { startEmulator } from '../../src/backends/emulator/server';
import { extensionApi, openWorkspaceFile, setSetting, until } from './helpers';

describe('panel picks: model and TTL overrides reach the sent request and its record', () => {
  let api: PromptCacheLabApi;
  const say = (m: unknown) => api.panelMessage(m);

  before(async () => {
    api = await extensionApi();
    await openWorkspaceFile('.prompts/support-agent.md');
    await api.promptsIdle();
    await say({ type: 'selectPrompt', id: 'support-agent' });
    await vscode.commands.executeCommand(CommandId.newConversation);
  });

  after(async () => {
    await say({ type: 'setModel', model: '' });
    for (const tier of ['system', 'context', 'conversation']) await say({ type: 'setTtl', tier, ttl: 'default' });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('refuses an unknown model id with the nearest known ids, and keeps the prompt\'s own', async () => {
    await say({ type: 'setModel', model: 'claude-sonet-4-5' });
    const o = api.panelState().overrides;
    assert.match(o?.error ?? '', /Unknown model "claude-sonet-4-5"\. Nearest known ids: .*claude-sonnet-4-5/);
    assert.equal(o?.model, undefined);
  });

  it('a picked model and context TTL change the plan, the request sent and the record', async () => {
    await say({ type: 'setModel', model: 'claude-sonnet-4-5' });
    await say({ type: 'setTtl', tier: 'context', ttl: '1h' });
    const state = api.panelState();
    assert.equal(state.overrides?.model, 'claude-sonnet-4-5');
    assert.equal(state.overrides?.ttl.context, '1h');
    assert.match(state.plan?.model ?? '', /^claude-sonnet-4-5/, 'the panel\'s plan uses the picked model');
    assert.equal(state.plan?.breakpoints.find((b) => b.tier === 'context' && b.placed)?.ttl, '1h');
    const before = api.records().length;
    await say({ type: 'send', text: 'Where is my order AO-12345678?', mode: 'chat' });
    const made = api.records().slice(before);
    const r = made.at(-1);
    assert.ok(r, `a record was made; log: ${api.logLines().slice(-5).join(' | ')}`);
    assert.equal(r.outcome, 'ok', JSON.stringify(r.error));
    assert.match(r.model, /^claude-sonnet-4-5/, 'the record (and the request sent) carry the picked model');
    const ctxBlock = r.shape.blocks.map((b, i) => ({ ...b, i })).filter((b) => b.tier === 'context').at(-1);
    const bp = r.shape.breakpoints.find((b) => b.blockIndex === ctxBlock?.i);
    assert.equal(bp?.ttl, '1h', `the context breakpoint was sent at 1h: ${JSON.stringify(r.shape.breakpoints)}`);
    // The emulator bills what it received: without the pick the context tier writes at 5m.
    assert.ok(r.buckets.cacheWrite1h > 0 && r.buckets.cacheWrite1h >= (ctxBlock ? r.shape.blocks.slice(0, ctxBlock.i + 1).reduce((s, b) => s + b.tokens, 0) * 0.9 : 0), JSON.stringify(r.buckets));
  });

  it('the picks are kept per prompt in workspace state, and "default" clears them', async () => {
    assert.equal(api.panelState().overrides?.ttl.context, '1h');
    await say({ type: 'setTtl', tier: 'context', ttl: 'default' });
    await say({ type: 'setModel', model: '' });
    const o = api.panelState().overrides;
    assert.equal(o?.model, undefined);
    assert.equal(o?.ttl.context, 'default');
    assert.match(api.panelState().plan?.model ?? '', /^claude-sonnet-5/);
  });

  it('picking Anthropic without an API key stays offline and says so; the key, once set, switches the backend', async () => {
    // A local emulator stands in for api.anthropic.com: nothing leaves the machine.
    const emu = await startEmulator({ port: 0 });
    try {
      await setSetting('baseUrl', emu.url);
      await vscode.commands.executeCommand(CommandId.clearApiKey);
      await say({ type: 'setBackend', backend: 'anthropic' });
      assert.equal(api.panelState().overrides?.needsKey, true, 'the panel says a key is needed');
      assert.equal(api.backendKind(), 'offline', 'no key: the panel stays on the offline emulator');
      await vscode.commands.executeCommand(CommandId.setApiKey, 'sk-ant-integration-test-key-0000');
      await until('the backend to switch once the key is set', () => api.backendKind() === 'anthropic');
      await until('the panel to drop the key warning', () => api.panelState().overrides?.needsKey !== true);
      await say({ type: 'setBackend', backend: 'offline' });
      await until('the offline backend again', () => api.backendKind() === 'offline');
    } finally {
      await vscode.commands.executeCommand(CommandId.clearApiKey);
      await vscode.workspace.getConfiguration('promptCacheLab').update('backend', undefined, vscode.ConfigurationTarget.Workspace);
      await setSetting('backend', undefined);
      await setSetting('baseUrl', undefined);
      await emu.close();
    }
  });
});
