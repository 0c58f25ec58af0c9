// The token worker (bundled to dist/tokenWorker.js): keeps one IncrementalCounter per open
// document so typing in a large prompt re-tokenizes only the edited chunk, and computes cache
// plans (which tokenize the whole prompt, its tools and context documents), all off the host's
// main thread. Requests are handled strictly in arrival order, even the asynchronous plans.
import { isAbsolute } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { parseModelOverrides } from '../models/overrides';
import { createModelTable } from '../models/table';
import type { ModelTable } from '../models/types';
import { buildPromptPlan } from '../plan/pipeline';
import { planFailureView, toPlanView } from '../plan/planView';
import { nodeFiles } from '../registry/nodeFiles';
import { IncrementalCounter } from './incremental';
import { Lru } from './lru';
import type { PlanRequest, PlanViewResult, WorkerRequest, WorkerResponse } from './protocol';

/** Open documents tracked at once; the least recently counted one is dropped beyond this. */
const MAX_DOCS = 32;

/** The `sourceName` in override errors, as the host words them. */
const OVERRIDES_SOURCE = 'setting promptCacheLab.models';

const docs = new Lru<string, IncrementalCounter>(MAX_DOCS);

function counterFor(docKey: string): IncrementalCounter {
  let c = docs.get(docKey);
  if (!c) {
    c = new IncrementalCounter();
    docs.set(docKey, c);
  }
  return c;
}

/** The last model table built, keyed by its overrides' JSON: the setting rarely changes. */
let tableMemo: { key: string; table: ModelTable; errors: string[] } | undefined;

function modelTableFor(overrides: unknown): { table: ModelTable; errors: string[] } {
  const key = JSON.stringify(overrides) ?? 'undefined';
  if (tableMemo?.key === key) return tableMemo;
  const parsed = parseModelOverrides(overrides, OVERRIDES_SOURCE);
  let built: { table: ModelTable; errors: string[] };
  try {
    built = { table: createModelTable(parsed.overrides), errors: parsed.errors };
  } catch (err) {
    // Validated overrides should always build; if not, say so and keep the built-in prices.
    built = { table: createModelTable(), errors: [...parsed.errors, `${OVERRIDES_SOURCE}: ${(err as Error).message}; using the built-in model table`] };
  }
  tableMemo = { key, ...built };
  return built;
}

function badRequest(r: PlanRequest): string | undefined {
  if (typeof r.path !== 'string' || !isAbsolute(r.path)) return `the prompt path must be absolute, got ${JSON.stringify(r.path)}`;
  if (typeof r.root !== 'string' || !isAbsolute(r.root)) return `the workspace root must be absolute, got ${JSON.stringify(r.root)}`;
  if (typeof r.text !== 'string') return 'the prompt text is missing';
  if (typeof r.defaultModel !== 'string' || r.defaultModel === '') return 'the default model is missing';
  return undefined;
}

/** Never rejects: every failure, expected or not, comes back as a view with `error` set. */
export async function planInWorker(r: PlanRequest): Promise<PlanViewResult> {
  const fallbackModel = typeof r.defaultModel === 'string' ? r.defaultModel : '';
  const path = typeof r.path === 'string' ? r.path : '';
  let overrideErrors: string[] = [];
  try {
    const invalid = badRequest(r);
    if (invalid) return { ...planFailureView(path, fallbackModel, `No plan: ${invalid}.`), overrideErrors };
    const { table, errors } = modelTableFor(r.modelOverrides);
    overrideErrors = errors;
    const outcome = await buildPromptPlan({ path: r.path, text: r.text, files: nodeFiles(r.root), models: table, defaultModel: r.defaultModel });
    return { ...toPlanView(r.path, outcome, r.defaultModel), overrideErrors, ...(outcome.ok ? { request: outcome.plan.request } : {}) };
  } catch (err) {
    return { ...planFailureView(path, fallbackModel, `Cache plan failed: ${(err as Error).message}`), overrideErrors };
  }
}

export async function handle(msg: WorkerRequest): Promise<WorkerResponse | undefined> {
  if (msg.type === 'forget') {
    docs.delete(msg.docKey);
    return undefined;
  }
  if (msg.type === 'plan') return { type: 'planned', id: msg.id, result: await planInWorker(msg.request) };
  const t0 = performance.now();
  try {
    const rawTokens = counterFor(msg.docKey).count(msg.text);
    return { type: 'counted', id: msg.id, rawTokens, ms: performance.now() - t0 };
  } catch (err) {
    return { type: 'failed', id: msg.id, message: (err as Error).message };
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
        if (msg.type !== 'forget') port.postMessage({ type: 'failed', id: msg.id, message: String(err) } satisfies WorkerResponse);
      });
  });
}
