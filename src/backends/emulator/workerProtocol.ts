// Messages between the extension host and the emulator's worker thread.
export interface EmulatorWorkerData {
  port?: number;
  /** The raw promptCacheLab.models setting (validated in the worker). */
  modelOverrides?: unknown;
}

export type EmulatorWorkerRequest =
  | { type: 'models'; overrides: unknown }
  | { type: 'script'; id: number; text?: string; fileName: string }
  | { type: 'close' };

export type EmulatorWorkerReply =
  | { type: 'started'; url: string }
  | { type: 'scriptSet'; id: number; error?: string }
  | { type: 'failed'; message: string };
