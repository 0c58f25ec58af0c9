// The offline emulator in its own worker thread (dist/emulatorWorker.js): its cache model
// tokenizes whole requests, which must never stall the extension host's main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { parseModelOverrides } from '../../core/models/overrides';
import { createModelTable } from '../../core/models/table';
import type { ModelTable } from '../../core/models/types';
import { parseScriptText } from './script';
import { startEmulator } from './server';
import type { EmulatorWorkerReply, EmulatorWorkerRequest, EmulatorWorkerData } from './workerProtocol';

let table: ModelTable = createModelTable();
/** Reads the current table on every call, so a settings change reaches a running emulator. */
const live: ModelTable = { resolve: (id) => table.resolve(id), tryResolve: (id) => table.tryResolve(id), all: () => table.all() };

function setModels(overrides: unknown): string[] {
  const parsed = parseModelOverrides(overrides ?? {}, 'setting promptCacheLab.models');
  table = createModelTable(parsed.overrides);
  return parsed.errors;
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('emulatorWorker must run as a worker thread');
  const data = workerData as EmulatorWorkerData;
  setModels(data.modelOverrides);
  const emu = await startEmulator({ port: data.port ?? 0, models: live });
  const reply = (m: EmulatorWorkerReply) => port.postMessage(m);
  reply({ type: 'started', url: emu.url });
  port.on('message', async (m: EmulatorWorkerRequest) => {
    switch (m.type) {
      case 'models':
        setModels(m.overrides);
        return;
      case 'script':
        try {
          emu.setScript(m.text === undefined ? undefined : parseScriptText(m.text, m.fileName));
          reply({ type: 'scriptSet', id: m.id });
        } catch (err) {
          reply({ type: 'scriptSet', id: m.id, error: (err as Error).message });
        }
        return;
      case 'close':
        await emu.close();
        port.close();
        return;
      default: {
        const never: never = m;
        void never;
      }
    }
  });
}

main().catch((err: Error) => parentPort?.postMessage({ type: 'failed', message: err.message } satisfies EmulatorWorkerReply));
