// Reading one prompt file through a port (vscode.workspace.fs in the extension, node:fs in the
// bench): a folder, a file over the size limit or a binary file is a reason, never a read of
// everything. The registry keeps the reason as the prompt's problem; the prompt stays registered.
import { overLimitMessage, type SizeLimit } from './sizeLimit';

export interface PromptFilePort<U> {
  stat(uri: U): Promise<{ size: number; directory: boolean }>;
  read(uri: U): Promise<Uint8Array>;
}

export type PromptText = string | { error: string; code: string };

export async function readPromptText<U>(port: PromptFilePort<U>, uri: U, name: string, limit: SizeLimit): Promise<PromptText> {
  try {
    const stat = await port.stat(uri);
    if (stat.directory) return { error: 'This is a folder, not a prompt file.', code: 'not-a-file' };
    if (stat.size > limit.maxBytes) return { error: `${overLimitMessage(name, stat.size, limit)}.`, code: 'file-too-large' };
    const bytes = await port.read(uri);
    // The file may have grown between stat and read.
    if (bytes.length > limit.maxBytes) return { error: `${overLimitMessage(name, bytes.length, limit)}.`, code: 'file-too-large' };
    if (bytes.subarray(0, 8192).includes(0)) return { error: 'This looks like a binary file (it contains NUL bytes), not a prompt.', code: 'binary-file' };
    return new TextDecoder().decode(bytes);
  } catch (err) {
    return { error: `The file could not be read: ${(err as Error).message}`, code: 'unreadable-file' };
  }
}
