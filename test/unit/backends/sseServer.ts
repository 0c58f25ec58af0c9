// A tiny Messages SSE server for abort tests: it writes a scripted stream with a pause before
// the headers, after the headers and between events, can stall forever after event N (the
// connection stays open, as a stuck gateway's would), and reports each event it writes.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SseScript {
  /** Pause before the status line and headers. */
  headersDelayMs?: number;
  /** Pause after the headers, before the first event. */
  bodyDelayMs?: number;
  eventDelayMs?: number;
  /** Write this many events, then keep the connection open without writing. */
  stallAfter?: number;
  /** Called after each event is written, with its index. */
  onEvent?: (index: number) => void;
}

export interface SseServer {
  url: string;
  script: SseScript;
  /** Responses the server has not finished or seen closed. */
  open(): number;
  close(): Promise<void>;
}

function sse(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/** The stream of a short answer: 3 text deltas, usage, stop. */
export const EVENTS: readonly string[] = [
  sse('message_start', { message: { id: 'msg_sse_1', type: 'message', role: 'assistant', model: 'claude-sonnet-5', content: [], stop_reason: null, usage: { input_tokens: 10, output_tokens: 1 } } }),
  sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  sse('ping', {}),
  ...['Hello', ', ', 'world'].map((text) => sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })),
  sse('content_block_stop', { index: 0 }),
  sse('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } }),
  sse('message_stop', {}),
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function answer(res: ServerResponse, s: SseScript): Promise<void> {
  if (s.headersDelayMs) await sleep(s.headersDelayMs);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': 'req_sse_1' });
  res.flushHeaders();
  if (s.bodyDelayMs) await sleep(s.bodyDelayMs);
  for (let i = 0; i < EVENTS.length; i++) {
    if (res.destroyed) return;
    if (s.stallAfter !== undefined && i >= s.stallAfter) return;
    res.write(EVENTS[i]);
    s.onEvent?.(i);
    if (s.eventDelayMs) await sleep(s.eventDelayMs);
  }
  res.end();
}

export async function startSseServer(): Promise<SseServer> {
  const sockets = new Set<import('node:net').Socket>();
  const handle: { script: SseScript } = { script: {} };
  let live = 0;
  const server: Server = createServer((req, res) => {
    live++;
    res.on('close', () => live--);
    req.resume();
    req.on('end', () => void answer(res, handle.script));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get script() {
      return handle.script;
    },
    set script(s: SseScript) {
      handle.script = s;
    },
    open: () => live,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
