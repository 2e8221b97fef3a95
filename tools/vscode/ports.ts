// Loopback ports: the preferred one when it is free, otherwise one the kernel picks.
import * as net from 'node:net';

export function listenOnce(port: number, host = '127.0.0.1'): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

/** `preferred` if nothing listens on it, else a free port (0 always means "any free port"). */
export async function freePort(preferred = 0): Promise<number> {
  if (preferred > 0) {
    const port = await listenOnce(preferred);
    if (port !== undefined) return port;
  }
  const port = await listenOnce(0);
  if (port === undefined) throw new Error('no free loopback port');
  return port;
}
