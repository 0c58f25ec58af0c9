// Host side of the emulator worker: start it, load scripts and model settings, stop it.
import { Worker } from 'node:worker_threads';
import type { EmulatorWorkerData, EmulatorWorkerReply, EmulatorWorkerRequest } from './workerProtocol';

export interface EmulatorInWorker {
  readonly url: string;
  /** Loads a JSON/YAML script (undefined text: back to placeholder answers); rejects with the parse error. */
  setScript(text: string | undefined, fileName: string): Promise<void>;
  setModelOverrides(overrides: unknown): void;
  close(): Promise<void>;
}

export function startEmulatorInWorker(workerPath: string, data: EmulatorWorkerData, execArgv?: string[]): Promise<EmulatorInWorker> {
  const worker = new Worker(workerPath, { workerData: JSON.parse(JSON.stringify(data)) as EmulatorWorkerData, ...(execArgv ? { execArgv } : {}) });
  const pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const send = (m: EmulatorWorkerRequest) => worker.postMessage(m);
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: EmulatorWorkerReply) => {
      if (m.type === 'failed') reject(new Error(`the offline emulator did not start: ${m.message}`));
      else if (m.type === 'started') {
        resolve({
          url: m.url,
          setScript: (text, fileName) =>
            new Promise((res, rej) => {
              const id = nextId++;
              pending.set(id, { resolve: res, reject: rej });
              send({ type: 'script', id, text, fileName });
            }),
          setModelOverrides: (overrides) => send({ type: 'models', overrides: JSON.parse(JSON.stringify(overrides ?? {})) }),
          close: async () => {
            send({ type: 'close' });
            await Promise.race([new Promise((r) => worker.once('exit', r)), new Promise((r) => setTimeout(r, 2000))]);
            await worker.terminate();
          },
        });
      } else {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.error) p?.reject(new Error(m.error));
        else p?.resolve();
      }
    });
    worker.once('exit', (code) => {
      for (const p of pending.values()) p.reject(new Error(`the offline emulator stopped (exit code ${code})`));
      pending.clear();
    });
  });
}
