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

  it('Clear Caches shows when each tier expires, from the records of the cache in use', async () => {
    const expiry = (await vscode.commands.executeCommand(CommandId.clearCaches, 'show-expiry')) as string;
    assert.match(expiry, /system \(\w+\): warm, expires in \d/, expiry);
    assert.match(expiry, /on the emulator's clock/, expiry);
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
    // The entries the ledger's records imply lived in the emulator before the reset: none is warm now.
    const expiry = (await vscode.commands.executeCommand(CommandId.clearCaches, 'show-expiry')) as string;
    assert.match(expiry, /system( \(\w+\))?: no entry/, expiry);
    assert.doesNotMatch(expiry, /warm/, expiry);
    await vscode.commands.executeCommand(CommandId.newConversation);
    const r = (await vscode.commands.executeCommand(CommandId.send, 'After the reset')) as RequestView | undefined;
    assert.equal(r?.usage.cacheRead, 0, 'nothing left to read');
    assert.equal(r?.predicted?.cacheRead, 0, "the forecast forgot the emulator's cache too");
    const notHere = (await vscode.commands.executeCommand(CommandId.clearCaches, 'about-server-cache')) as string;
    assert.match(notHere, /not available/, 'offline, nothing speaks of Anthropic');
  });

  it('Bust Cache: the next send reads nothing and writes every tier, predicted cold and explained as a deliberate bust; the following one reads again', async () => {
    await openWorkspaceFile('.prompts/support-agent.md');
    await vscode.commands.executeCommand(CommandId.newConversation);
    const warm = (await vscode.commands.executeCommand(CommandId.send, 'Before the bust')) as RequestView | undefined;
    assert.equal(warm?.outcome, 'ok');
    const said = (await vscode.commands.executeCommand(CommandId.clearCaches, 'bust-next-request')) as string;
    assert.match(said, /one-off nonce before its first breakpoint: it reads nothing from the offline emulator's cache/);
    const before = api.records().length;
    const cold = (await vscode.commands.executeCommand(CommandId.send, 'The cold start')) as RequestView | undefined;
    const record = api.records()[before] as RequestRecord;
    assert.equal(cold?.usage.cacheRead, 0, 'nothing read');
    assert.equal(cold?.predicted?.cacheRead, 0, 'the prediction said cold');
    assert.equal(record.bust, true, 'the record marks the bust');
    assert.equal(record.explanation?.kind, 'cache-bust');
    assert.ok(record.buckets.cacheWrite5m + record.buckets.cacheWrite1h > 0, 'every tier written anew');
    const next = (await vscode.commands.executeCommand(CommandId.send, 'After the bust')) as RequestView | undefined;
    assert.ok((next?.usage.cacheRead ?? 0) > 0, 'the following request reads again');
    assert.equal((api.records().at(-1) as RequestRecord).bust, undefined, 'the bust was used up');
  });

  it("Advance the emulator's clock 6 min: the next send is predicted as a miss of the 5m tiers and the record agrees; a reset sets the clock back", async () => {
    await openWorkspaceFile('.prompts/support-agent.md');
    const first = (await vscode.commands.executeCommand(CommandId.send, 'Before the pause')) as RequestView | undefined;
    assert.equal(first?.outcome, 'ok');
    const firstRecord = api.records().at(-1) as RequestRecord;
    const said = (await vscode.commands.executeCommand(CommandId.clearCaches, 'advance-emulator-clock', 6)) as string;
    assert.match(said, /clock moved 6 min ahead \(in total 6 min ahead of real time/);
    const bad = await vscode.commands.executeCommand(CommandId.clearCaches, 'advance-emulator-clock', -5);
    assert.equal(bad, undefined, 'a bad number of minutes moves nothing');
    assert.ok(api.logLines().some((l) => /only moves forward/.test(l)), 'and is refused with a reason');
    const late = (await vscode.commands.executeCommand(CommandId.send, 'After six minutes')) as RequestView | undefined;
    const record = api.records().at(-1) as RequestRecord;
    assert.ok(record.cacheAtMs && record.cacheAtMs - record.atMs >= 6 * 60_000, "the record is on the emulator's clock");
    assert.equal(late?.predicted?.cacheRead, late?.usage.cacheRead, 'prediction and emulator agree');
    assert.ok(record.buckets.cacheWrite5m >= firstRecord.buckets.cacheWrite5m && record.buckets.cacheWrite5m > 0, 'the 5m tiers are written again');
    assert.equal(record.explanation?.kind, 'ttl-expired');
    const prompt = api.prompts().find((p) => p.id === 'support-agent');
    assert.match(prompt?.cache ?? '', /warm/, 'the Prompts view counts down on the emulator clock');
    const reset = (await vscode.commands.executeCommand(CommandId.clearCaches, 'reset-emulator-cache')) as string;
    assert.match(reset, /its clock too, back to real time/);
    const fresh = (await vscode.commands.executeCommand(CommandId.send, 'After the reset')) as RequestView | undefined;
    assert.equal(fresh?.usage.cacheRead, 0, 'the reset emulator writes afresh');
    assert.equal(fresh?.predicted?.cacheRead, 0);
    assert.equal((api.records().at(-1) as RequestRecord).cacheAtMs, undefined, 'back on real time');
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
