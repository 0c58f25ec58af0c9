// What the session runner needs from the outside world: only ports (core/ports.ts), so the
// extension and the CLI run the same turns.
import type { AnswerCache, BackendPort, Clock, Forecaster, LedgerSink, RunMode, ToolExecutor } from '../ports';

export interface RunnerDeps {
  forecaster: Forecaster;
  /** Resolved per request: the cache scope belongs to each request, not to the conversation. */
  backend: () => Promise<BackendPort>;
  ledger: LedgerSink;
  answers?: AnswerCache;
  /** Whether the local response cache may answer in this mode (settings decide, per mode). */
  useAnswers?: (mode: RunMode) => boolean;
  tools?: ToolExecutor;
  clock: Clock;
  newId: () => string;
  /** The session a new record belongs to (a new one after an idle gap). */
  sessionId: () => string;
}
