import type http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts `server` on `host:port`; resolves to the bound port, rejects with the listen error (address in use...). */
export function listenHttp(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes `server` with every connection it holds: keep-alive ones would otherwise hold `close` open. */
export function closeHttp(server: http.Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
  });
}
