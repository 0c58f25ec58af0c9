// The token worker (bundled to dist/tokenWorker.js): keeps one IncrementalCounter per open
// document so typing in a large prompt re-tokenizes only the edited chunk, off the host's main
// thread. Requests are handled strictly in arrival order.
import { parentPort } from 'node:worker_threads';
import { IncrementalCounter } from './incremental';
import { Lru } from './lru';
import type { WorkerRequest, WorkerResponse } from './protocol';

/** Open documents tracked at once; the least recently counted one is dropped beyond this. */
const MAX_DOCS = 32;

const docs = new Lru<string, IncrementalCounter>(MAX_DOCS);

function counterFor(docKey: string): IncrementalCounter {
  let c = docs.get(docKey);
  if (!c) {
    c = new IncrementalCounter();
    docs.set(docKey, c);
  }
  return c;
}

export function handle(msg: WorkerRequest): WorkerResponse | undefined {
  if (msg.type === 'forget') {
    docs.delete(msg.docKey);
    return undefined;
  }
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
  port.on('message', (msg: WorkerRequest) => {
    const res = handle(msg);
    if (res) port.postMessage(res);
  });
}
