// Messages between the engine client (extension host) and the engine worker (src/node/engineWorker.ts).
import type { Diagnostics, MessageParam, MessagesRequest, ToolDefinition, Usage } from '../../shared/anthropic';
import type { RequestShape } from '../ledger/record';
import type { CostView } from '../ports';
import type { ExplanationKind } from '../explain/explain';
import type { CalibrationSample } from './calibrationSample';
import type { PlanView } from '../../shared/protocol';
import type { CacheBust } from '../plan/bust';
import type { SeedRecord } from './cacheSeed';

/** What the worker needs to plan a prompt file without touching VS Code APIs. */
export interface PlanRequest {
  /** Absolute path of the prompt file. */
  path: string;
  /** The editor's current text (may be unsaved); tools and context files are read from disk. */
  text: string;
  /** Absolute workspace root; tools and context files outside it are refused. */
  root: string;
  /** The raw `promptCacheLab.models` setting value; validated in the worker. */
  modelOverrides: unknown;
  /** Used when the prompt file names no model. */
  defaultModel: string;
  /** Per prompt id, the gaps (seconds) the ledger saw between its requests, ending with the pause up to now: the TTL advisor's history. */
  historyByPrompt?: Record<string, number[]>;
  /** Template inputs the user typed (Prompty, or Markdown with `template:`); replace the file's `sample:`. */
  inputs?: Record<string, unknown>;
  /** A model id replacing the file's `model:` (the panel's model picker). */
  model?: string;
  /** TTLs picked per tier for this conversation (the panel's TTL pickers); the planner's rules still apply. */
  ttl?: Partial<Record<'system' | 'context' | 'conversation', '5m' | '1h'>>;
  /** `promptCacheLab.prompts.maxFileBytes`: the largest tools or context file read (default 2 MB). */
  maxFileBytes?: number;
}

/** A PlanView plus the problems found in `modelOverrides` (those entries were skipped). */
export interface PlanViewResult extends PlanView {
  overrideErrors: string[];
  /** The exact request body the plan would send (with its breakpoints), when a plan was made. */
  request?: MessagesRequest;
}

/** Plan the next request of a conversation (a send session) and predict its cache usage. */
export interface SendPlanRequest extends PlanRequest {
  /** Skip the cold/warm cost of the prompt alone (the plan view's figures; a send has its own prediction). */
  skipColdWarm?: boolean;
  /** One session per conversation, e.g. per prompt file; the worker keeps its previous request. */
  sessionId: string;
  /**
   * Which cache the conversation talks to. Anthropic's cache is shared by every request of a
   * workspace, so sessions (and pre-warms) with the same scope share one cache model. Default:
   * the session's own.
   */
  cacheScope?: string;
  /** The whole conversation to send, ending with the new user turn (at least one message). */
  messages: MessageParam[];
  /** Epoch ms the request is expected to be sent at (TTL expiry is judged against it). */
  atMs: number;
  /** Tools added after the prompt's own (agent mode's built-in workspace tools). */
  extraTools?: ToolDefinition[];
  /** A one-off cache bust for this request (Clear Caches…): the nonce goes before every breakpoint. */
  bust?: CacheBust;
}

/** The local forecast for a planned send. Token counts are estimates (shown with ≈). */
export interface PredictedSend {
  /** Usage as the session's cache model expects Anthropic to report it; output_tokens is 0. */
  usage: Usage;
  /** Cost of `usage` (input side only); undefined when the model has no prices (`error` says why). */
  costUsd?: number;
  /** False when the price rests on an assumption (cost notes); the token counts are estimates regardless. */
  costExact: boolean;
  /** e.g. "Predicted: read ≈12,480 cached tokens, write ≈340 at 5m; ≈$0.0041 before output." */
  sentence: string;
}

/**
 * The plan view of the conversation (`request` is the exact body to send, breakpoints included)
 * plus the prediction. `predicted` is present exactly when `request` is; `error` is set when no
 * plan could be made (then neither is present) or when the model has no prices.
 */
export interface SendPlanResult extends PlanViewResult {
  sessionId: string;
  predicted?: PredictedSend;
  /** Per block tier, tokens and prefix hash, and the breakpoints: present with `request`. */
  shape?: RequestShape;
  /** Content hash per stable tier (of the prompt without any cache-bust nonce): present with `request`. */
  promptVersion?: { tools: string; system: string; context: string };
  /** Echoes the request's bust when `request` carries its nonce. */
  bust?: CacheBust;
}

/** What happened to a sent request, to update the session's cache model and explain the usage. */
export interface SendRecordRequest {
  sessionId: string;
  /** See SendPlanRequest.cacheScope. */
  cacheScope?: string;
  /** The body as sent (normally `SendPlanResult.request`). */
  request: MessagesRequest;
  /** Epoch ms the request was sent. */
  atMs: number;
  /** Epoch ms the response began; its cache entries become readable then (default `atMs`). */
  responseStartedAtMs?: number;
  /** Usage the API (or the emulator) reported. */
  usage: Usage;
  diagnostics?: Diagnostics | null;
  modelOverrides: unknown;
  /** Used only when `request.model` is missing. */
  defaultModel: string;
  /** Return a calibration sample (the usage is Anthropic's, worth calibrating the estimator from). */
  calibrate?: boolean;
  /** The request carried a one-off cache-bust nonce: explained as a deliberate bust, and not kept as the session's previous request. */
  bust?: boolean;
}

/** `not-explained`: the usage could not be explained (unknown model, invalid usage); the sentence says why. */
export type SendExplanationKind = ExplanationKind | 'not-explained';

/** The cost of one request per bucket and in total (USD). */
export type SendCost = CostView;

export interface SendRecordResult {
  explanation: { kind: SendExplanationKind; sentence: string; tokensMissed?: number };
  /** Cost of the actual usage (output included); absent exactly when `costError` is set. */
  cost?: SendCost;
  /** Why there is no cost (unknown or unpriced model, invalid usage); also said in the sentence. */
  costError?: string;
  /** What the session's cache model predicted for this request before committing it; absent for an unknown model. */
  predictedUsage?: Usage;
  /** True when the worker had no state for the session (restarted, or evicted): explained as its first request. */
  sessionLost: boolean;
  /**
   * Raw o200k tokens of the request's text against the input tokens billed for it (framing and
   * tool-use overhead removed), for the estimator's calibration; absent with images or bad usage.
   * Only meaningful when the usage came from Anthropic, not from the offline emulator.
   */
  calibrationSample?: CalibrationSample;
  /** The shape of the request as recorded (absent for an unknown model). */
  shape?: RequestShape;
}

/** The ledger's recent records of caches that outlive a reload (cacheSeed.ts seedRecordsOf), for the worker's cache models. */
export interface SeedCachesRequest {
  records: SeedRecord[];
  /** The raw `promptCacheLab.models` setting value (models resolve record ids and minimums). */
  modelOverrides: unknown;
}

export type WorkerRequest =
  | { type: 'count'; id: number; docKey: string; text: string }
  | { type: 'plan'; id: number; request: PlanRequest }
  | { type: 'planMany'; id: number; requests: PlanRequest[] }
  | { type: 'planSend'; id: number; request: SendPlanRequest }
  | { type: 'recordSend'; id: number; request: SendRecordRequest }
  | { type: 'resetSession'; id: number; sessionId: string }
  | { type: 'forget'; docKey: string }
  /**
   * A SeedCachesRequest, its records as one JSON string (cloning a string costs the host a
   * fraction of cloning thousands of block objects). Answered by no message: posted ahead of
   * everything else when the worker starts, and again when the ledger has loaded.
   */
  | { type: 'seedCaches'; recordsJson: string; modelOverrides: unknown };

export type WorkerResponse =
  | { type: 'counted'; id: number; rawTokens: number; ms: number }
  | { type: 'planned'; id: number; result: PlanViewResult }
  | { type: 'plannedMany'; id: number; results: PlanViewResult[] }
  | { type: 'sendPlanned'; id: number; result: SendPlanResult }
  | { type: 'sendRecorded'; id: number; result: SendRecordResult }
  | { type: 'sessionReset'; id: number }
  | { type: 'failed'; id: number; message: string };
