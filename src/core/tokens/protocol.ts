// Messages between TokenCountClient (extension host) and the token worker.
import type { MessagesRequest } from '../../shared/anthropic';
import type { PlanView } from '../../shared/protocol';

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
}

/** A PlanView plus the problems found in `modelOverrides` (those entries were skipped). */
export interface PlanViewResult extends PlanView {
  overrideErrors: string[];
  /** The exact request body the plan would send (with its breakpoints), when a plan was made. */
  request?: MessagesRequest;
}

export type WorkerRequest =
  | { type: 'count'; id: number; docKey: string; text: string }
  | { type: 'plan'; id: number; request: PlanRequest }
  | { type: 'forget'; docKey: string };

export type WorkerResponse =
  | { type: 'counted'; id: number; rawTokens: number; ms: number }
  | { type: 'planned'; id: number; result: PlanViewResult }
  | { type: 'failed'; id: number; message: string };
