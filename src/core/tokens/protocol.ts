// Messages between TokenCountClient (extension host) and the token worker.

export type WorkerRequest =
  | { type: 'count'; id: number; docKey: string; text: string }
  | { type: 'forget'; docKey: string };

export type WorkerResponse =
  | { type: 'counted'; id: number; rawTokens: number; ms: number }
  | { type: 'failed'; id: number; message: string };
