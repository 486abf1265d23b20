import { createServer } from 'node:net';
import { randomInt } from 'node:crypto';

/** Asks the kernel for a free TCP port on loopback. */
export function freePort(): Promise<number> {
  return listenOnce(0);
}

/**
 * A free loopback TCP port below the kernel's ephemeral range, for servers that store their ports
 * in a signed 16-bit column (the Temporal server's cluster membership table). Tries random ports.
 */
export async function freeLowPort(from = 20_000, below = 32_768): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await listenOnce(randomInt(from, below)).catch(() => undefined);
    if (port !== undefined) return port;
  }
  throw new Error(`no free port between ${from} and ${below} after 50 tries`);
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}
