// The engine worker (bundled to dist/engineWorker.js): keeps one IncrementalCounter per open
// document so typing in a large prompt re-tokenizes only the edited chunk, computes cache plans
// (which tokenize the whole prompt, its tools and context documents), and keeps the send sessions
// (per conversation and cache scope: cache model, previous request) that predict and explain each
// send, all off the host's main thread (core/session/engine.ts does the planning). The host seeds
// the cache models from the ledger's recent records when the worker starts (seedCaches). Requests
// are handled strictly in arrival order, even the asynchronous plans.
import { parentPort } from 'node:worker_threads';
import { planPrompt, planSend, recordSend, seedCaches } from '../core/session/engine';
import { planPrompts } from '../core/session/planBatch';
import { SendSessions } from '../core/session/session';
import { IncrementalCounter } from '../core/tokens/incremental';
import { Lru } from '../core/tokens/lru';
import type { WorkerRequest, WorkerResponse } from '../core/session/engineProtocol';
import type { SeedRecord } from '../core/session/cacheSeed';

/** Open documents tracked at once; the least recently counted one is dropped beyond this. */
const MAX_DOCS = 32;

const docs = new Lru<string, IncrementalCounter>(MAX_DOCS);
const sessions = new SendSessions();

function counterFor(docKey: string): IncrementalCounter {
  let c = docs.get(docKey);
  if (!c) {
    c = new IncrementalCounter();
    docs.set(docKey, c);
  }
  return c;
}

export async function handle(msg: WorkerRequest): Promise<WorkerResponse | undefined> {
  switch (msg.type) {
    case 'forget':
      docs.delete(msg.docKey);
      return undefined;
    case 'plan':
      return { type: 'planned', id: msg.id, result: await planPrompt(msg.request) };
    case 'planMany':
      return { type: 'plannedMany', id: msg.id, results: await planPrompts(msg.requests) };
    case 'planSend':
      return { type: 'sendPlanned', id: msg.id, result: await planSend(msg.request, sessions) };
    case 'recordSend':
      return { type: 'sendRecorded', id: msg.id, result: recordSend(msg.request, sessions) };
    case 'seedCaches':
      seedCaches({ records: parsedRecords(msg.recordsJson), modelOverrides: msg.modelOverrides }, sessions);
      return undefined;
    case 'resetSession':
      sessions.reset(msg.sessionId);
      return { type: 'sessionReset', id: msg.id };
    case 'count':
      return countInWorker(msg.id, msg.docKey, msg.text);
  }
}

/** Records that do not parse seed nothing (seedCaches skips any that are not usable). */
function parsedRecords(json: unknown): SeedRecord[] {
  try {
    const v: unknown = typeof json === 'string' ? JSON.parse(json) : [];
    return Array.isArray(v) ? (v as SeedRecord[]) : [];
  } catch {
    return [];
  }
}

function countInWorker(id: number, docKey: string, text: string): WorkerResponse {
  const t0 = performance.now();
  try {
    const rawTokens = counterFor(docKey).count(text);
    return { type: 'counted', id, rawTokens, ms: performance.now() - t0 };
  } catch (err) {
    return { type: 'failed', id, message: (err as Error).message };
  }
}

const port = parentPort;
if (port) {
  // Chained so a plan awaiting file reads cannot be overtaken by a later request.
  let chain: Promise<void> = Promise.resolve();
  port.on('message', (msg: WorkerRequest) => {
    chain = chain
      .then(async () => {
        const res = await handle(msg);
        if (res) port.postMessage(res);
      })
      .catch((err: unknown) => {
        // Unreachable by design (handle catches); answer anyway so the client never waits forever.
        if (msg.type !== 'forget' && msg.type !== 'seedCaches') port.postMessage({ type: 'failed', id: msg.id, message: String(err) } satisfies WorkerResponse);
      });
  });
}
