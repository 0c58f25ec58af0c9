// Export Stats, Show Cost Analysis, Clear Caches… and the metrics endpoint, inside the real
// extension host: each reads the ledger's records and agrees with it.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { RequestRecord } from '../../src/core/ledger/record';
import type { PromptCacheLabApi } from '../../src/host/app';
import { CommandId } from '../../src/host/commandIds';
import type { RequestView } from '../../src/shared/protocol';
import { extensionApi, openWorkspaceFile, setSetting, until } from './helpers';

describe('stats, caches and metrics inside the extension host', () => {
  let api: PromptCacheLabApi;
  let folder: vscode.Uri;

  before(async () => {
    api = await extensionApi();
    folder = vscode.workspace.workspaceFolders?.[0]?.uri as vscode.Uri;
    await openWorkspaceFile('.prompts/support-agent.md');
    await vscode.commands.executeCommand(CommandId.newConversation);
    const r = (await vscode.commands.executeCommand(CommandId.send, 'Stats check: where is AO-7?')) as RequestView | undefined;
    assert.equal(r?.outcome, 'ok');
  });

  after(async () => {
    await setSetting('metrics.port', undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Export Stats writes the session as JSON whose totals equal the ledger reducers', async () => {
    const uri = vscode.Uri.joinPath(folder, 'stats-export.json');
    await vscode.commands.executeCommand(CommandId.exportStats, { scope: 'session', format: 'json', uri });
    const doc = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))) as { requests: number; total_usd: number; request_rows: unknown[] };
    const totals = api.ledger().totals;
    assert.equal(doc.requests, totals.requests);
    assert.equal(doc.total_usd, Number(totals.costUsd.toFixed(14)));
    assert.equal(doc.request_rows.length, totals.requests);
    const csv = vscode.Uri.joinPath(folder, 'stats-export.csv');
    await vscode.commands.executeCommand(CommandId.exportStats, { scope: 'all', format: 'csv', uri: csv });
    const lines = new TextDecoder().decode(await vscode.workspace.fs.readFile(csv)).trim().split('\n');
    assert.ok(lines.length >= 2 && /session/.test(lines[0] ?? ''), lines[0]);
  });

  it('Show Cost Analysis compares the session with no caching and the replayed strategies', async () => {
    const report = (await vscode.commands.executeCommand(CommandId.showCostAnalysis, { show: false })) as string;
    assert.match(report, /no caching/i);
    assert.match(report, /automatic/i);
    assert.match(report, /≈/);
  });

  it('Clear Caches: resetting the offline emulator cache makes the next send write again, as predicted', async () => {
    const said = (await vscode.commands.executeCommand(CommandId.clearCaches, 'reset-emulator-cache')) as string;
    assert.match(said, /emulator's cache was reset/);
    await vscode.commands.executeCommand(CommandId.newConversation);
    const r = (await vscode.commands.executeCommand(CommandId.send, 'After the reset')) as RequestView | undefined;
    assert.equal(r?.usage.cacheRead, 0, 'nothing left to read');
    assert.equal(r?.predicted?.cacheRead, 0, "the forecast forgot the emulator's cache too");
    const notHere = (await vscode.commands.executeCommand(CommandId.clearCaches, 'about-server-cache')) as string;
    assert.match(notHere, /not available/, 'offline, nothing speaks of Anthropic');
  });

  it('the metrics endpoint (promptCacheLab.metrics.port) counts every later record, to the exact cost', async () => {
    await setSetting('metrics.port', 39000 + Math.floor(Math.random() * 1000));
    const url = await until('the metrics endpoint', () => api.metricsUrl());
    const before = api.records().length;
    const r = (await vscode.commands.executeCommand(CommandId.send, 'Metrics check')) as RequestView | undefined;
    assert.equal(r?.outcome, 'ok');
    const text = await (await fetch(url)).text();
    const recorded = api.records().slice(before) as RequestRecord[];
    const cost = recorded.reduce((s, x) => s + (x.cost?.total ?? 0), 0);
    const scraped = [...text.matchAll(/^promptcachelab_cost_usd_total\{[^}]*\} (\S+)$/gm)].reduce((s, m) => s + Number(m[1]), 0);
    assert.ok(Math.abs(scraped - cost) < 1e-12, `scraped ${scraped} = recorded ${cost}`);
    assert.match(text, /promptcachelab_requests_total\{[^}]*outcome="ok"/);
  });
});
