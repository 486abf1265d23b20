import dgram from 'node:dgram';

/**
 * Our sockets only ever name IP literals (listen addresses, a peer's source address). Answering the
 * lookup at once spares every datagram sent a resolver call and a deferred send.
 */
function literalLookup(
  address: string,
  _options: unknown,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  callback(null, address, 4);
}

/** A bound UDPv4 socket; rejects with the bind error (address in use, not a local address...). */
export function bindUdpSocket(
  host: string,
  port: number,
  { broadcast = false, reuseAddr = true } = {},
): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr, lookup: literalLookup });
    const onError = (error: Error): void => {
      socket.close();
      reject(error);
    };
    socket.once('error', onError);
    socket.bind({ address: host, port, exclusive: true }, () => {
      socket.off('error', onError);
      if (broadcast) socket.setBroadcast(true);
      resolve(socket);
    });
  });
}

/** Splits `host:port` (as in `dhcp.listenAddr`); an empty host means all addresses. */
export function splitHostPort(value: string): { host: string; port: number } | undefined {
  const match = /^(.*):(\d{1,5})$/.exec(value.trim());
  if (!match) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: match[1] === '' ? '0.0.0.0' : (match[1] ?? '0.0.0.0'), port };
}

/** Connects a bound socket to one peer; rejects with the connect error. */
export function connectUdpSocket(socket: dgram.Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(error);
    };
    socket.once('error', onError);
    socket.connect(port, address, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}

/** Closes a socket; one already closed counts as closed. */
export function closeUdpSocket(socket: dgram.Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => {
        resolve();
      });
    } catch {
      resolve();
    }
  });
}
