import { createServer, connect, type Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * A TCP proxy in front of the API server whose connections can be cut on demand: a real network
 * drop (the watch sees its connection reset), not a simulated one.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    /** Cuts every open connection; returns how many were open. */
    dropConnections(): number {
      const count = sockets.size;
      for (const socket of sockets) socket.destroy();
      return count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** `kubeConfig` with its cluster's server reached through the proxy listening on `port`. */
export function kubeConfigThrough(kubeConfig: KubeConfig, port: number): KubeConfig {
  const server = new URL(kubeConfig.getCurrentCluster()?.server ?? '');
  const proxied = new KubeConfig();
  proxied.loadFromString(kubeConfig.exportConfig());
  proxied.loadFromOptions({
    clusters: proxied.clusters.map((c) => ({ ...c, server: `https://${server.hostname}:${port}` })),
    users: proxied.users,
    contexts: proxied.contexts,
    currentContext: proxied.currentContext,
  });
  return proxied;
}
