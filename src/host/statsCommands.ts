// Export Stats, Show Cost Analysis, Clear Caches… and Reset All Stats: what the ledger's records
// can tell and what can honestly be cleared. Numbers come from the ledger (core/ledger); nothing
// here prices a request.
import * as vscode from 'vscode';
import { costReport } from '../core/ledger/costReport';
import { exportStats } from '../core/ledger/export';
import type { RequestRecord } from '../core/ledger/record';
import { ADVANCE_CHOICES, advancedSentence, badAdvanceMinutes, clearCachesItems, type ClearCachesAction, type TierExpiry } from '../core/session/clearCaches';
import type { BackendManager } from './backendManager';
import type { EngineWorker } from './engineWorker';
import type { Logger } from './log';
import type { ModelCatalog } from './modelCatalog';
import type { PlanService } from './planService';
import type { AnswerCacheService } from './services/answerCache';
import { entryExpiries } from './panel/views';
import type { LedgerService } from './services/ledger';
import type { CacheBusts } from './services/cacheBusts';
import type { SessionClock } from './services/sessionClock';

export interface StatsDeps {
  ledger: LedgerService;
  clock: SessionClock;
  answers: AnswerCacheService;
  backends: BackendManager;
  worker: EngineWorker;
  models: ModelCatalog;
  plans: PlanService;
  log: Logger;
  busts: CacheBusts;
}

type Scope = 'session' | 'all';
type Format = 'json' | 'csv' | 'csv-sessions';

/** Interactive, or `executeCommand(id, { scope, format, uri })` from tasks and tests. */
export async function exportStatsCommand(deps: StatsDeps, given?: { scope?: Scope; format?: Format; uri?: vscode.Uri }): Promise<vscode.Uri | undefined> {
  const session = deps.clock.peek();
  const scope = given?.scope ?? (await pick<Scope>('Export which stats?', [['session', 'This session', session ? '' : '(no current session: nothing)'], ['all', 'All sessions in the ledger', '']]));
  if (!scope) return undefined;
  const format = given?.format ?? (await pick<Format>('Export as', [['json', 'JSON', 'totals, per-session groups and one row per request'], ['csv', 'CSV, one row per request', ''], ['csv-sessions', 'CSV, one row per session', 'as `prompt-cache-lab report --csv`']]));
  if (!format) return undefined;
  const records = scope === 'session' ? (session ? await deps.ledger.records(session) : []) : await deps.ledger.records();
  const files = exportStats(records, scope === 'session' ? { session: session ?? 'none' } : { all: true }, Date.now());
  const text = format === 'json' ? files.json : format === 'csv' ? files.requestsCsv : files.totalsCsv;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `prompt-cache-stats-${scope}-${new Date().toISOString().slice(0, 10)}.${format === 'json' ? 'json' : 'csv'}`;
  const uri = given?.uri ?? (await vscode.window.showSaveDialog({ title: 'Export Prompt Cache Lab stats', ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}) }));
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  deps.log.info(`stats exported: ${records.length} request(s) to ${uri.fsPath}`);
  if (!given?.uri) void vscode.window.showInformationMessage(`Prompt Cache Lab: ${records.length} request(s) exported to ${vscode.workspace.asRelativePath(uri)}.`);
  return uri;
}

/** A Markdown report of the current session (else all records) against other strategies; returns its text. */
export async function costAnalysisCommand(deps: StatsDeps, given?: { requestsPerDay?: number; show?: boolean }): Promise<string> {
  const session = deps.clock.peek();
  let records = session ? await deps.ledger.records(session) : [];
  let title = `session ${session}`;
  if (records.length === 0) {
    records = await deps.ledger.records();
    title = 'all recorded sessions';
  }
  const report = costReport(records, { title, models: deps.models.live, ...(given?.requestsPerDay ? { requestsPerDay: given.requestsPerDay } : {}) });
  if (given?.show !== false) {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: report });
    await vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => vscode.window.showTextDocument(doc));
  }
  return report;
}

/** When each tier's entry expires, from the active prompt's latest answered record (this window's model of the cache). */
function timeline(records: readonly RequestRecord[], promptId: string | undefined, cacheScope: string): TierExpiry[] {
  const last = [...records].reverse().find((r) => r.outcome === 'ok' && r.backend.cacheScope === cacheScope && (!promptId || r.prompt.id === promptId));
  const out = new Map<TierExpiry['tier'], TierExpiry>();
  for (const e of last ? entryExpiries([last]) : []) {
    const tier = e.tier === 'tools' ? 'system' : e.tier;
    if (tier !== 'anchor') out.set(tier, { tier, ttl: e.ttl, expiresAtMs: e.warmUntilMs });
  }
  return [...out.values()];
}

/**
 * The quick pick of what can be cleared, worded for the backend in use; or run
 * `executeCommand(id, action)` (`advance-emulator-clock` takes the minutes as a second argument).
 */
export async function clearCachesCommand(deps: StatsDeps, given?: ClearCachesAction, arg?: unknown): Promise<string | undefined> {
  const backend = deps.backends.kind();
  const session = deps.clock.peek();
  const sessionRecords = session ? await deps.ledger.records(session) : [];
  const plan = deps.plans.current;
  const prompt = plan?.promptId ? { id: plan.promptId, label: plan.promptId, bustPending: deps.busts.pending(plan.promptPath) } : undefined;
  const items = clearCachesItems({ backend, localCacheEntries: await deps.answers.count(), sessionRecords: sessionRecords.length, ...(prompt ? { prompt } : {}), timeline: timeline(sessionRecords, plan?.promptId, deps.backends.cacheScope()), nowMs: deps.backends.clock.now(), clockOffsetMs: deps.backends.clock.offsetMs() });
  const chosen = given ? items.find((i) => i.id === given) : await vscode.window.showQuickPick(items.map((i) => ({ ...i, description: i.infoOnly ? '(information)' : '' })), { title: 'Prompt Cache: Clear Caches…', matchOnDetail: true });
  if (!chosen) return given ? `"${given}" is not available here` : undefined;
  // Information only: its words are the answer (the pick already showed them).
  if (chosen.infoOnly) return chosen.detail;
  return runClear(deps, chosen.id, given !== undefined, arg);
}

/** "Bust Cache for Active Prompt" (palette, Prompts view): the prompt's next request writes afresh. */
export async function bustCacheCommand(deps: StatsDeps, prompt?: unknown): Promise<string | undefined> {
  const doc = await deps.plans.resolvePrompt(prompt, 'make its next request write afresh');
  if (!doc) return undefined;
  return bust(deps, doc.uri.fsPath, vscode.workspace.asRelativePath(doc.uri), true);
}

function bust(deps: StatsDeps, path: string, name: string, tell: boolean): string {
  deps.busts.request(path);
  const where = deps.backends.kind() === 'offline' ? "the offline emulator's cache" : "Anthropic's cache";
  const said = `the next request of ${name} carries a one-off nonce before its first breakpoint: it reads nothing from ${where} and writes every tier anew (used up once a request is answered)`;
  deps.log.info(`cache bust: ${said}`);
  if (tell) void vscode.window.showInformationMessage(`Prompt Cache Lab: ${said}.`);
  return said;
}

/** Minutes from the argument, else from the quick pick (6 / 61 / typed); undefined: cancelled. Throws on a bad argument. */
async function advanceMinutes(arg: unknown): Promise<number | undefined> {
  if (arg !== undefined) {
    const bad = badAdvanceMinutes(String(arg));
    if (bad || typeof arg === 'boolean') throw new Error(`cannot advance the emulator's clock by ${JSON.stringify(arg)}: ${bad ?? 'not a number'}`);
    return Number(arg);
  }
  const choice = await vscode.window.showQuickPick(ADVANCE_CHOICES.map((c) => ({ ...c })), { title: "Advance the offline emulator's clock by" });
  if (!choice) return undefined;
  if (choice.minutes !== 'custom') return choice.minutes;
  const typed = await vscode.window.showInputBox({ title: "Advance the offline emulator's clock", prompt: 'Minutes (the 5m TTL ends after 5, the 1h TTL after 60)', placeHolder: '6', validateInput: badAdvanceMinutes });
  return typed === undefined ? undefined : Number(typed);
}

async function runClear(deps: StatsDeps, id: ClearCachesAction, quiet: boolean, arg?: unknown): Promise<string> {
  let said: string;
  switch (id) {
    case 'clear-local-cache':
      said = `local response cache cleared (${await deps.answers.clear()} stored answer(s) removed)`;
      break;
    case 'reset-session': {
      if (!quiet && (await vscode.window.showInformationMessage('Export this session\'s stats first?', 'Export…', 'Reset Without Export')) === 'Export…') await exportStatsCommand(deps, { scope: 'session' });
      deps.clock.startNew();
      said = 'a new session starts with the next request; the earlier one stays in the ledger';
      break;
    }
    case 'reset-emulator-cache': {
      // The engine's model of that cache goes too (the reset moves requests to a fresh scope, too).
      const scope = deps.backends.cacheScope();
      await deps.backends.resetEmulatorCache();
      deps.worker.resetSession(scope);
      said = "the offline emulator's cache was reset (its clock too, back to real time): the next request of any prompt writes afresh";
      break;
    }
    case 'bust-next-request': {
      const plan = deps.plans.current;
      if (!plan) return 'no active prompt to bust';
      return bust(deps, plan.promptPath, plan.promptId ?? vscode.workspace.asRelativePath(plan.promptPath), !quiet);
    }
    case 'advance-emulator-clock': {
      const minutes = await advanceMinutes(arg);
      if (minutes === undefined) return 'the clock was not moved';
      said = advancedSentence(minutes, await deps.backends.advanceEmulatorClock(minutes * 60));
      break;
    }
    default:
      said = 'nothing to clear';
  }
  deps.log.info(`clear caches: ${said}`);
  if (!quiet) void vscode.window.showInformationMessage(`Prompt Cache Lab: ${said}.`);
  return said;
}

/** Deletes the ledger after a modal confirmation (or `executeCommand(id, true)`); transcripts stay. */
export async function resetAllStatsCommand(deps: StatsDeps, confirmed?: unknown): Promise<number | undefined> {
  if (confirmed !== true) {
    const ok = await vscode.window.showWarningMessage('Delete every recorded request of this workspace (the ledger)? Conversations are kept; the numbers cannot be recovered. Export them first if you may need them.', { modal: true }, 'Delete All Stats');
    if (ok !== 'Delete All Stats') return undefined;
  }
  const files = await deps.ledger.deleteAll();
  deps.clock.startNew();
  deps.log.info(`all stats reset (${files} ledger file(s) deleted)`);
  return files;
}

async function pick<T extends string>(title: string, options: Array<[T, string, string]>): Promise<T | undefined> {
  const chosen = await vscode.window.showQuickPick(options.map(([id, label, detail]) => ({ id, label, detail })), { title });
  return chosen?.id;
}
