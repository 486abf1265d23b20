import dgram from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTftpPacket, encodeTftpAck, encodeTftpRequest, type TftpPacket } from '../../../dhcp/tftpPacket.js';
import { TftpServer } from '../../../dhcp/tftpServer.js';
import { bindUdpSocket } from '../../../dhcp/udpSocket.js';

/** The TFTP server's bounds over loopback with hand-driven clients: netascii converted as it streams. */

const logger = pino({ level: 'silent' });
const root = mkdtempSync(path.join(tmpdir(), 'tftp-bounds-'));
let tftp: TftpServer;

function nextPacket(socket: dgram.Socket, timeoutMs = 2000): Promise<[TftpPacket, dgram.RemoteInfo] | undefined> {
  return Promise.race([
    (once(socket, 'message') as Promise<[Buffer, dgram.RemoteInfo]>).then(([message, from]) => {
      const decoded = decodeTftpPacket(message);
      if (!decoded.ok) throw decoded.error;
      return [decoded.packet, from] as [TftpPacket, dgram.RemoteInfo];
    }),
    new Promise<undefined>((resolve) => {
      setTimeout(() => {
        resolve(undefined);
      }, timeoutMs);
    }),
  ]);
}

/** A whole lock-step RRQ (blocks of 512): the file's bytes as sent. */
async function fetchFile(client: dgram.Socket, filename: string, mode: string): Promise<Buffer> {
  client.send(encodeTftpRequest(1, filename, mode), tftp.port, '127.0.0.1');
  const parts: Buffer[] = [];
  for (;;) {
    const next = await nextPacket(client);
    if (!next) throw new Error(`no DATA after ${parts.length} blocks`);
    const [packet, from] = next;
    if (packet.opcode !== 3) throw new Error(`expected DATA, got ${JSON.stringify(packet)}`);
    parts.push(packet.data);
    // Waiting for the send: a socket closed right after would drop the last ACK, and the transfer would hold its slot.
    await new Promise((resolve) => {
      client.send(encodeTftpAck(packet.block), from.port, '127.0.0.1', resolve);
    });
    if (packet.data.length < 512) return Buffer.concat(parts);
  }
}

beforeAll(async () => {
  // 511 bytes then LF: the LF's CR ends block 1 and the LF itself starts block 2.
  writeFileSync(path.join(root, 'split.txt'), Buffer.concat([Buffer.alloc(511, 0x61), Buffer.from('\nend\r')]));
  writeFileSync(path.join(root, 'crs.txt'), Buffer.alloc(700, 0x0d));
  tftp = new TftpServer({ listenHost: '127.0.0.1', port: 0, root, logger });
  await tftp.start();
});

afterAll(async () => {
  await tftp.close();
  rmSync(root, { recursive: true, force: true });
});

describe('netascii over loopback', () => {
  it('sends CR LF split across a block boundary and a file of only CRs as RFC 1350 netascii', async () => {
    const client = await bindUdpSocket('127.0.0.1', 0);
    try {
      const split = await fetchFile(client, 'split.txt', 'netascii');
      expect(split.subarray(0, 512)).toEqual(Buffer.concat([Buffer.alloc(511, 0x61), Buffer.from('\r')]));
      expect(split.subarray(512)).toEqual(Buffer.from('\nend\r\0', 'latin1'));
      const crs = await fetchFile(client, 'crs.txt', 'netascii');
      expect(crs.equals(Buffer.from('\r\0'.repeat(700), 'latin1'))).toBe(true);
    } finally {
      client.close();
    }
  });
});
