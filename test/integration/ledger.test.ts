// Every request the extension makes becomes one RequestRecord in the workspace's ledger; failures
// are recorded as failures, never as cache misses.
import { strict as assert } from 'node:assert';
import { deadUrl } from '../support/net';
import * as vscode from 'vscode';
import type { RequestRecord } from '../../src/core/ledger/record';
import type { PromptCacheLabApi } from '../../src/host/app';
import { CommandId } from '../../src/host/commandIds';
import type { RequestView } from '../../src/shared/protocol';
import { extensionApi, openWorkspaceFile, setSetting, until } from './helpers';

const LEDGER = '.prompt-cache/ledger.jsonl';

async function ledgerLines(api: PromptCacheLabApi): Promise<RequestRecord[]> {
  await api.ledger().flush();
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(folder);
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, LEDGER)));
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as RequestRecord);
}


describe('the ledger inside the extension host', () => {
  let api: PromptCacheLabApi;

  before(async () => {
    api = await extensionApi();
    await setSetting('ledger.path', LEDGER);
    await until('the ledger setting to apply', () => api.ledger().path.endsWith(LEDGER));
    await openWorkspaceFile('.prompts/support-agent.md');
    await vscode.commands.executeCommand(CommandId.newConversation);
  });

  after(async () => {
    await setSetting('ledger.path', undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a send and a pre-warm each append one versioned record, with numbers and hashes but no prompt text', async () => {
    const before = (await ledgerLines(api).catch(() => [])).length;
    const sent = (await vscode.commands.executeCommand(CommandId.send, 'Ledger check: where is AO-1?')) as RequestView | undefined;
    assert.equal(sent?.outcome, 'ok');
    await vscode.commands.executeCommand(CommandId.prewarm);
    const lines = await ledgerLines(api);
    assert.equal(lines.length, before + 2);
    const [send, prewarm] = lines.slice(-2);
    assert.ok(send && prewarm);
    assert.deepEqual([send.v, send.kind, send.outcome, send.prompt.id], [1, 'send', 'ok', 'support-agent']);
    assert.equal(prewarm.kind, 'prewarm');
    assert.equal(send.backend.kind, 'offline');
    assert.ok(send.cost && send.cost.total > 0 && send.shape.blocks.length > 0);
    assert.equal(send.cost.total, sent?.costUsd, 'the view shows the record, not a recomputation');
    const raw = JSON.stringify(lines);
    assert.ok(!raw.includes('Ledger check') && !raw.includes('support agent for'), 'no message or prompt text in the ledger');
    const totals = api.ledger().totals;
    assert.equal(totals.requests >= 2, true);
    assert.equal(api.ledger().sessionId, send.sessionId);
  });

  it('a failed request (connection refused) is one failed record: no explanation, no cost, the totals count it apart', async () => {
    const before = api.ledger().totals;
    await setSetting('baseUrl', await deadUrl());
    await setSetting('backend', 'anthropic');
    await setSetting('maxRetries', 0);
    await vscode.commands.executeCommand(CommandId.setApiKey, 'sk-ant-integration-test-key-NEVER_IN_LEDGER');
    try {
      const r = await vscode.commands.executeCommand(CommandId.send, 'This one fails');
      assert.equal(r, undefined, 'the command reports the failure instead of returning a view');
      const last = (await ledgerLines(api)).at(-1);
      assert.equal(last?.outcome, 'failed');
      assert.equal(last?.error?.kind, 'connection', JSON.stringify(last?.error));
      assert.equal(last?.explanation, undefined);
      assert.equal(last?.cost, undefined);
      const lastView = api.lastRequest();
      assert.equal(lastView?.outcome, 'failed');
      assert.equal(lastView?.explanation, undefined, 'the panel shows a failure, not a miss');
      assert.match(lastView?.summary ?? '', /failed/);
      const after = api.ledger().totals;
      assert.equal(after.failed, before.failed + 1);
      assert.deepEqual(after.tokens, before.tokens, 'a failure adds no tokens');
      assert.ok(!JSON.stringify(await ledgerLines(api)).includes('NEVER_IN_LEDGER'), 'the key never reaches the ledger');
    } finally {
      await setSetting('backend', undefined);
      await setSetting('baseUrl', undefined);
      await setSetting('maxRetries', undefined);
      await vscode.commands.executeCommand(CommandId.clearApiKey);
    }
  });

  it('an agent turn runs read_file in the workspace from a scripted emulator answer: one record per step, tool calls counted, no text stored', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    const script = vscode.Uri.joinPath(folder, '.agent-script.yaml');
    const yaml = 'turns:\n  - content:\n      - { type: tool_use, name: read_file, input: { path: docs/faq.md } }\n  - text: "The FAQ covers returns."\n';
    await vscode.workspace.fs.writeFile(script, new TextEncoder().encode(yaml));
    await setSetting('emulator.script', '.agent-script.yaml');
    try {
      const before = (await ledgerLines(api)).length;
      const r = (await vscode.commands.executeCommand(CommandId.runAgent, 'What does the FAQ cover?')) as RequestView | undefined;
      assert.equal(r?.outcome, 'ok', JSON.stringify(r));
      assert.equal(r?.kind, 'agent-step');
      assert.match(r?.answer ?? '', /The FAQ covers returns/);
      const steps = (await ledgerLines(api)).slice(before);
      assert.deepEqual(steps.map((x) => [x.kind, x.step, x.mode]), [['agent-step', 0, 'agent'], ['agent-step', 1, 'agent']]);
      assert.deepEqual(steps[0]?.toolCalls.map((t) => [t.name, t.isError]), [['read_file', false]]);
      assert.ok((steps[0]?.toolCalls[0]?.resultBytes ?? 0) > 100, 'the FAQ was read');
      assert.ok((steps[1]?.buckets.cacheRead ?? 0) > 0, 'step 2 reads what step 1 wrote');
      assert.ok(!JSON.stringify(steps).includes('returns'), 'no answer or file text in the ledger');
      assert.match(api.sessionStatus(), /% hit · \$/);
    } finally {
      await setSetting('emulator.script', undefined);
      await vscode.workspace.fs.delete(script);
    }
  });

  it('after a failure the next send is predicted from what really reached the cache', async () => {
    const r = (await vscode.commands.executeCommand(CommandId.send, 'And now it works')) as RequestView | undefined;
    assert.equal(r?.outcome, 'ok');
    assert.ok(r?.predicted);
    assert.deepEqual([r.predicted.cacheRead, r.predicted.cacheWrite5m, r.predicted.cacheWrite1h], [r.usage.cacheRead, r.usage.cacheWrite5m, r.usage.cacheWrite1h]);
  });
});
