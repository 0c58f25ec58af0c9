import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { startEmulator, type EmulatorHandle } from '../../src/backends/emulator/server';
import type { PromptCacheLabApi } from '../../src/host/app';
import { CommandId } from '../../src/host/commandIds';
import type { RequestView } from '../../src/shared/protocol';
import { extensionApi, openWorkspaceFile, setSetting, until } from './helpers';

describe('the cache engine inside the extension host', () => {
  let api: PromptCacheLabApi;

  before(async () => {
    api = await extensionApi();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('plans the active prompt file: tiers placed with reasons and a predicted cold/warm cost', async () => {
    await openWorkspaceFile('.prompts/support-agent.md');
    const plan = await until('a plan for support-agent', () => {
      const p = api.plan();
      return p?.promptId === 'support-agent' && p;
    });
    assert.equal(plan.error, undefined);
    const placed = plan.breakpoints.filter((b) => b.placed).map((b) => `${b.tier}:${b.ttl}`);
    for (const tier of ['system:1h', 'context:5m', 'conversation:5m']) assert.ok(placed.includes(tier), `${tier} placed: ${placed.join(', ')}`);
    assert.ok(placed.length <= 4);
    assert.ok(plan.breakpoints.every((b) => b.reason.length > 20), 'every decision has a reason');
    assert.ok(plan.coldUsd !== undefined && plan.warmUsd !== undefined && plan.warmUsd < plan.coldUsd / 5, 'a warm send costs a fraction of a cold one');
  });

  it('reports front-matter mistakes of a broken prompt on their lines instead of a plan', async () => {
    await openWorkspaceFile('prompts/broken.prompt.md');
    const plan = await until('the broken prompt diagnostics', () => {
      const p = api.plan();
      return p?.promptPath.endsWith('broken.prompt.md') && p;
    });
    assert.match(plan.error ?? '', /No plan/);
    assert.ok(plan.diagnostics.length > 0 && plan.diagnostics.every((d) => d.line >= 1));
    // The same problems appear in the editor, on their lines: `ttl: 10m` is line 4.
    const uri = vscode.Uri.file(plan.promptPath);
    const shown = await until('diagnostics in the editor', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Prompt Cache Lab');
      return d.length > 0 && d;
    });
    const ttl = shown.find((d) => /ttl/.test(d.message));
    assert.equal(ttl?.range.start.line, 3);
    assert.equal(ttl?.severity, vscode.DiagnosticSeverity.Error);
  });

  it('pre-warms through the real SDK against the offline emulator: first write, then read', async () => {
    await openWorkspaceFile('.prompts/support-agent.md');
    const first = (await vscode.commands.executeCommand(CommandId.prewarm)) as RequestView | undefined;
    assert.ok(first, 'the pre-warm command returns what it did');
    assert.equal(first.backend, 'offline');
    assert.ok(first.usage.cacheWrite1h + first.usage.cacheWrite5m > 1024, `tokens were written (${JSON.stringify(first.usage)})`);
    assert.equal(first.usage.output, 0);
    assert.ok((first.costUsd ?? 0) > 0);
    const second = (await vscode.commands.executeCommand(CommandId.prewarm)) as RequestView | undefined;
    assert.ok(second && second.usage.cacheRead > 1024 && second.usage.cacheWrite1h + second.usage.cacheWrite5m === 0, `the second pre-warm reads (${JSON.stringify(second?.usage)})`);
    assert.ok((second.costUsd ?? 1) < (first.costUsd ?? 0));
    assert.deepEqual(api.lastRequest(), second);
  });

  it('refuses a malformed API key and keeps using the offline emulator', async () => {
    await vscode.commands.executeCommand(CommandId.setApiKey, 'not a key');
    assert.equal(api.backendKind(), 'offline');
  });

  describe('with the Anthropic backend (pointed at a local emulator)', () => {
    let emu: EmulatorHandle;

    before(async () => {
      emu = await startEmulator({ port: 0 });
      await setSetting('baseUrl', emu.url);
      await setSetting('backend', 'anthropic');
      await vscode.commands.executeCommand(CommandId.setApiKey, 'sk-ant-integration-test-key-0000');
    });

    after(async () => {
      await setSetting('exactCounts', undefined);
      await setSetting('backend', undefined);
      await setSetting('baseUrl', undefined);
      await vscode.commands.executeCommand(CommandId.clearApiKey);
      await emu.close();
    });

    it('sends the key from SecretStorage as the SDK does, and shows exact counts when enabled', async () => {
      assert.equal(api.backendKind(), 'anthropic');
      await setSetting('exactCounts', true);
      await openWorkspaceFile('prompts/code-reviewer.prompt.md');
      let seen = api.tokenStatus();
      const s = await until('an exact count', () => {
        seen = api.tokenStatus();
        return seen.exact !== undefined && seen;
      }).catch((err: Error) => {
        throw new Error(`${err.message}; status bar: ${seen.text} / ${seen.tooltip}; log: ${api.logLines().slice(-8).join(' | ')}`);
      });
      assert.doesNotMatch(s.text, /≈/, 'an exact count is shown without ≈');
      assert.match(s.tooltip, /count_tokens/);
      const counted = emu.requests().filter((r) => r.path === '/v1/messages/count_tokens');
      assert.ok(counted.length >= 1, 'count_tokens reached the configured base URL');
      assert.equal(counted[0]?.keySuffix, '0000', 'with the key from SecretStorage');
      assert.ok(!JSON.stringify(emu.requests()).includes('sk-ant-integration-test-key-0000'), 'the emulator log holds no key');
      assert.ok(!api.logLines().join('\n').includes('sk-ant-integration-test-key-0000'), 'the extension log holds no key');
    });
  });
});
