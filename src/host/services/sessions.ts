// The extension's sessions: one conversation per prompt file (restored from its transcript after
// a reload), every request through the core session runner, every record into the ledger, the
// session id renewed after an idle gap. Views subscribe to `onDidRecord`; none rebuilds records.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { RequestRecord } from '../../core/ledger/record';
import type { CalibrationSample } from '../../core/session/calibrationSample';
import type { PlanRequest } from '../../core/session/engineProtocol';
import type { Forecaster, LedgerSink, PlannedRequest, RunMode, ToolExecutor } from '../../core/ports';
import { appendUser, DEFAULT_MAX_ITERATIONS, type RunEvent, type TurnResult } from '../../core/session/agentLoop';
import { relativePath } from '../../core/session/forecastViews';
import { Conversation } from '../../core/session/runner';
import type { ViewExtras } from '../../core/session/recordView';
import type { RunnerDeps } from '../../core/session/runnerDeps';
import type { Transcript, TranscriptStore, TranscriptTurn } from '../../node/transcriptStore';
import { TRANSCRIPT_SCHEMA } from '../../node/transcriptStore';
import type { BackendManager } from '../backendManager';
import { readSettings } from '../config';
import type { Logger } from '../log';
import type { ModelCatalog } from '../modelCatalog';
import type { PlanService } from '../planService';
import type { EngineWorker } from '../engineWorker';
import { workerForecaster } from '../workerForecaster';
import type { AnswerCacheService } from './answerCache';
import type { CacheBusts } from './cacheBusts';
import type { SessionClock } from './sessionClock';

export interface SessionServiceDeps {
  worker: EngineWorker;
  plans: PlanService;
  models: ModelCatalog;
  backends: BackendManager;
  answers: AnswerCacheService;
  ledger: LedgerSink & { loaded: Promise<void> };
  transcripts: TranscriptStore;
  clock: SessionClock;
  /** The tools an agent turn may call for this prompt (built-in workspace tools, mock results). */
  tools: (doc: vscode.TextDocument) => Promise<ToolExecutor | undefined>;
  log: Logger;
  /** Receives the estimator calibration samples of Anthropic's answers. */
  onSample?: (sample: CalibrationSample) => void;
  /** Pending one-off cache busts by prompt file (Clear Caches…). */
  busts?: CacheBusts;
  /** What was picked for this prompt's conversation in the panel (model, TTLs, template inputs). */
  picks?: (doc: vscode.TextDocument) => Partial<PlanRequest>;
}

interface Entry {
  /** The prompt document and its tools for the turn being run (set before each turn). */
  live: { doc: vscode.TextDocument; tools?: ToolExecutor };
  conversation: Conversation;
  transcript: Transcript;
  forecaster: Forecaster;
}

export interface TurnRequest {
  mode: RunMode;
  signal?: AbortSignal;
  onEvent?: (e: RunEvent) => void;
  localAnswers?: boolean;
}

export class SessionService implements vscode.Disposable {
  private readonly entries = new Map<string, Promise<Entry>>();
  private readonly recorded = new vscode.EventEmitter<{ record: RequestRecord; extras?: ViewExtras }>();
  private readonly turned = new vscode.EventEmitter<{ promptPath: string; transcript: Transcript; result: TurnResult }>();
  readonly onDidRecord = this.recorded.event;
  readonly onDidTurn = this.turned.event;

  constructor(private readonly deps: SessionServiceDeps) {}

  /** Sends one user turn (queued behind a turn still being answered) and saves the transcript. */
  async send(doc: vscode.TextDocument, text: string, req: TurnRequest): Promise<TurnResult> {
    const entry = await this.prepare(doc, req.mode);
    return this.finish(entry, text, req, await entry.conversation.send(text, this.options(req)));
  }

  /** The last message again, in place of its answer (after a local answer: for real). */
  async resendLast(doc: vscode.TextDocument, req: TurnRequest): Promise<TurnResult> {
    const entry = await this.prepare(doc, req.mode);
    const user = entry.transcript.turns[entry.transcript.turns.length - 1]?.user ?? '';
    return this.finish(entry, user, req, await entry.conversation.resendLast(this.options(req)), 'replace');
  }

  /** Lets the model go on after an answer cut at max_tokens. */
  async continueTurn(doc: vscode.TextDocument, req: TurnRequest): Promise<TurnResult> {
    const entry = await this.prepare(doc, req.mode);
    const result = await entry.conversation.continueTurn(this.options(req));
    return this.finish(entry, '', req, result, 'extend');
  }

  /**
   * What sending `text` next would read, write and cost, from the cache model (nothing is sent or
   * changed). The emulator is not started for it: the scope is the backend's as configured.
   */
  async forecast(doc: vscode.TextDocument, text: string, mode: RunMode): Promise<PlannedRequest['predicted']> {
    const entry = await this.entry(doc);
    entry.live.doc = doc;
    const messages = entry.conversation.snapshot().messages;
    appendUser(messages, text);
    const tools = mode === 'agent' ? entry.live.tools?.definitions() : undefined;
    const planned = await entry.forecaster.plan({ conversationId: entry.conversation.id, cacheScope: this.deps.backends.cacheScope(), messages, atMs: this.deps.backends.clock.now(), ...(tools?.length ? { extraTools: tools } : {}) });
    return planned.predicted;
  }

  /** Starts the prompt's conversation over; the old transcript stays on disk with its records. */
  async reset(doc: vscode.TextDocument): Promise<string | undefined> {
    const old = this.entries.get(doc.uri.fsPath);
    this.entries.delete(doc.uri.fsPath);
    const id = old ? (await old).conversation.id : undefined;
    if (id) this.deps.worker.resetSession(id);
    this.entries.set(doc.uri.fsPath, Promise.resolve(this.fresh(doc)));
    return id;
  }

  /** The prompt's conversation as it stands (restored from disk on first use). */
  async transcriptOf(doc: vscode.TextDocument): Promise<Transcript> {
    return (await this.entry(doc)).transcript;
  }

  /** Records a request (a turn's steps, or a pre-warm made outside any conversation, with its own words). */
  append(record: RequestRecord, extras?: ViewExtras): void {
    this.deps.ledger.append(record);
    this.recorded.fire({ record, ...(extras ? { extras } : {}) });
  }

  newId(): string {
    return randomUUID();
  }

  private options(req: TurnRequest) {
    return { mode: req.mode, maxIterations: readSettings()['agent.maxIterations'] ?? DEFAULT_MAX_ITERATIONS, ...(req.signal ? { signal: req.signal } : {}), ...(req.onEvent ? { onEvent: req.onEvent } : {}), ...(req.localAnswers === false ? { localAnswers: false } : {}) };
  }

  /** `replace`: the turn takes the last one's place (sent again); `extend`: it continues the last one (after max_tokens). */
  private async finish(entry: Entry, user: string, req: TurnRequest, result: TurnResult, how: 'new' | 'replace' | 'extend' = 'new'): Promise<TurnResult> {
    const t = entry.transcript;
    const last = t.turns[t.turns.length - 1];
    if (how === 'replace' && result.kept) t.turns.pop();
    if (how === 'extend' && last && result.kept) t.turns.pop();
    const turn: TranscriptTurn = {
      turn: result.turn,
      atMs: result.records[0]?.atMs ?? Date.now(),
      mode: req.mode,
      user,
      answer: result.answer,
      stop: result.stop,
      toolRuns: result.toolRuns.map((r) => ({ name: r.call.name, input: r.call.input, output: r.output.content, isError: r.output.isError })),
      recordIds: result.records.map((r) => r.id),
    };
    if (how === 'extend' && last && result.kept) {
      turn.user = last.user;
      turn.turn = last.turn;
      turn.answer = `${last.answer}${result.answer}`;
      turn.toolRuns = [...last.toolRuns, ...turn.toolRuns];
      turn.recordIds = [...last.recordIds, ...turn.recordIds];
    }
    t.turns.push(turn);
    t.conversation = entry.conversation.snapshot();
    t.updatedAtMs = Date.now();
    t.sessionId = this.deps.clock.current(Date.now());
    await this.deps.transcripts.save(t).catch((err: Error) => this.deps.log.warn(`transcript not saved (the conversation goes on in memory): ${err.message}`));
    this.turned.fire({ promptPath: t.promptPath, transcript: t, result });
    return result;
  }

  private async prepare(doc: vscode.TextDocument, mode: RunMode): Promise<Entry> {
    // The session a request joins depends on the ledger's last record.
    await this.deps.ledger.loaded;
    const entry = await this.entry(doc);
    entry.live.doc = doc;
    entry.live.tools = mode === 'agent' ? await this.deps.tools(doc) : undefined;
    return entry;
  }

  private entry(doc: vscode.TextDocument): Promise<Entry> {
    let e = this.entries.get(doc.uri.fsPath);
    if (!e) {
      e = this.restore(doc);
      this.entries.set(doc.uri.fsPath, e);
    }
    return e;
  }

  private async restore(doc: vscode.TextDocument): Promise<Entry> {
    const saved = await this.deps.transcripts.latestFor(this.relative(doc)).catch(() => undefined);
    if (!saved) return this.fresh(doc);
    this.deps.log.info(`conversation with ${saved.promptPath} restored (${saved.turns.length} turn(s))`);
    const live = { doc };
    const deps = this.runnerDeps(live);
    return { live, conversation: new Conversation(deps, saved.conversation), transcript: saved, forecaster: deps.forecaster };
  }

  private fresh(doc: vscode.TextDocument): Entry {
    const now = Date.now();
    const id = randomUUID();
    const transcript: Transcript = {
      v: TRANSCRIPT_SCHEMA,
      promptPath: this.relative(doc),
      promptId: this.relative(doc),
      sessionId: this.deps.clock.current(now),
      createdAtMs: now,
      updatedAtMs: now,
      conversation: { id, turns: 0, messages: [], lastMessageId: null },
      turns: [],
    };
    const live = { doc };
    const deps = this.runnerDeps(live);
    return { live, conversation: new Conversation(deps, transcript.conversation), transcript, forecaster: deps.forecaster };
  }

  private runnerDeps(live: Entry['live']): RunnerDeps {
    const { worker, plans, models, backends, answers, clock } = this.deps;
    return {
      forecaster: workerForecaster(() => live.doc, worker, plans, models, this.deps.onSample, { ...(this.deps.busts ? { busts: this.deps.busts } : {}), ...(this.deps.picks ? { picks: () => this.deps.picks?.(live.doc) ?? {} } : {}) }),
      backend: () => backends.port(),
      ledger: { append: (r) => this.append(r) },
      answers,
      useAnswers: (mode) => answers.enabledFor(mode),
      get tools() {
        return live.tools;
      },
      clock: { now: () => Date.now() },
      newId: randomUUID,
      sessionId: () => clock.current(Date.now()),
    };
  }

  private relative(doc: vscode.TextDocument): string {
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    return folder ? relativePath(folder.uri.fsPath, doc.uri.fsPath) : doc.uri.fsPath;
  }

  dispose(): void {
    this.recorded.dispose();
    this.turned.dispose();
  }
}
