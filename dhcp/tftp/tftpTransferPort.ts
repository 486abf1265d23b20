import type dgram from 'node:dgram';
import { TftpErrorCode, encodeTftpError } from './tftpPacket.js';
import { bindUdpSocket, closeUdpSocket, connectUdpSocket } from '../udp/udpSocket.js';

/** The port of one transfer: its TID (RFC 1350 §4), seen by the client as the server's source port. */
export interface TftpTransferPort {
  /** Connected to the client: it sends without naming the peer and receives from the client only. */
  readonly socket: dgram.Socket;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Opens a transfer port for `client`. The data socket is connected, as tftpd-hpa's is: the kernel
 * keeps its route and filters other senders, which makes each block cheaper to send. A second,
 * unconnected socket on the same port receives what the kernel does not hand the connected one
 * (Linux prefers the connected socket for the client's address and port), so a packet from a
 * foreign TID still gets the error RFC 1350 §4 asks for and does not disturb the transfer.
 */
export async function openTftpTransferPort(
  host: string,
  client: { address: string; port: number },
): Promise<TftpTransferPort> {
  const socket = await bindUdpSocket(host, 0);
  const port = socket.address().port;
  let strangers: dgram.Socket | undefined;
  try {
    strangers = await bindUdpSocket(host, port);
    await connectUdpSocket(socket, client.port, client.address);
  } catch (error) {
    await Promise.all([closeUdpSocket(socket), strangers && closeUdpSocket(strangers)]);
    throw error;
  }
  const foreign = strangers;
  foreign.on('message', (_message, rinfo) => {
    foreign.send(encodeTftpError(TftpErrorCode.UnknownTransferId, 'unknown transfer ID'), rinfo.port, rinfo.address);
  });
  // Nothing a stranger causes is ours to report.
  foreign.on('error', () => undefined);
  return {
    socket,
    port,
    close: async () => {
      await Promise.all([closeUdpSocket(socket), closeUdpSocket(foreign)]);
    },
  };
}
