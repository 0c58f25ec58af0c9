// A loopback URL nothing listens on: a refused connection, for failure tests.
import { createServer } from 'node:net';

export async function deadUrl(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return `http://127.0.0.1:${port}`;
}
