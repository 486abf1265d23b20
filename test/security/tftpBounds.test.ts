import dgram from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeTftpPacket,
  encodeTftpAck,
  encodeTftpError,
  encodeTftpRequest,
  type TftpPacket,
} from '../../dhcp/tftp/tftpPacket.js';
import { TftpServer } from '../../dhcp/tftp/tftpServer.js';
import { bindUdpSocket } from '../../dhcp/udp/udpSocket.js';

/**
 * Attack: a TFTP client that asks for a large file in netascii (whole-file conversion would stall the
 * event loop), or opens many transfers at once to starve other hosts. Expected: netascii is converted
 * as it streams; a client over its own limit, or any request over the total, is refused with a TFTP
 * error while another client is still served. Over loopback with hand-driven clients.
 */

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

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
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
  writeFileSync(path.join(root, 'big.bin'), Buffer.alloc(512 * 8, 1));
  tftp = new TftpServer({ listenHost: '127.0.0.1', port: 0, root, logger, maxTransfers: 8, maxTransfersPerClient: 2 });
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

/** Sends `count` RRQs for big.bin from separate ports of `host` at once; the first answer of each. */
async function requestAll(
  server: TftpServer,
  host: string,
  count: number,
): Promise<{ sockets: dgram.Socket[]; answers: ([TftpPacket, dgram.RemoteInfo] | undefined)[] }> {
  const sockets = await Promise.all(Array.from({ length: count }, () => bindUdpSocket(host, 0)));
  const answers = sockets.map((socket) => nextPacket(socket));
  for (const socket of sockets) socket.send(encodeTftpRequest(1, 'big.bin', 'octet'), server.port, '127.0.0.1');
  return { sockets, answers: await Promise.all(answers) };
}

/** Ends the transfers that were started (the client gives up), and closes the sockets. */
function abandon(sockets: dgram.Socket[], answers: ([TftpPacket, dgram.RemoteInfo] | undefined)[]): void {
  sockets.forEach((socket, i) => {
    const answer = answers[i];
    if (answer?.[0].opcode === 3) socket.send(encodeTftpError(0, 'test done'), answer[1].port, '127.0.0.1');
  });
  setTimeout(() => {
    for (const socket of sockets) socket.close();
  }, 100);
}

const opcodes = (answers: ([TftpPacket, dgram.RemoteInfo] | undefined)[]): (number | undefined)[] =>
  answers.map((answer) => answer?.[0].opcode);

describe('transfer limits over loopback', () => {
  it('refuses the third of three simultaneous RRQs from one client (limit 2) while another client is served', async () => {
    await until(() => tftp.transfersAdmitted === 0);
    const refusedBefore = tftp.stats.refused['client-busy'] ?? 0;
    const one = await requestAll(tftp, '127.0.0.1', 3);
    const other = await requestAll(tftp, '127.0.0.2', 1);
    try {
      expect(opcodes(one.answers).filter((opcode) => opcode === 3)).toHaveLength(2);
      const refusal = one.answers.find((answer) => answer?.[0].opcode === 5)?.[0];
      expect(refusal).toEqual({
        opcode: 5,
        code: 0,
        message: 'too many transfers from 127.0.0.1: 2 running; retry later',
      });
      expect(opcodes(other.answers)).toEqual([3]);
      expect(tftp.stats.refused['client-busy']).toBe(refusedBefore + 1);
    } finally {
      abandon(one.sockets, one.answers);
      abandon(other.sockets, other.answers);
    }
    // Ended transfers give their slots back: the client is served again.
    await until(() => tftp.transfersAdmitted === 0);
    const client = await bindUdpSocket('127.0.0.1', 0);
    try {
      expect((await fetchFile(client, 'big.bin', 'octet')).length).toBe(512 * 8);
    } finally {
      client.close();
    }
  });

  it('never runs more than the total limit, counting requests whose files are still being opened', async () => {
    const small = new TftpServer({ listenHost: '127.0.0.1', port: 0, root, logger, maxTransfers: 2 });
    await small.start();
    try {
      // Sent back to back, all three arrive before the first file is open.
      const hosts = ['127.0.0.3', '127.0.0.4', '127.0.0.5'];
      const sockets = await Promise.all(hosts.map((host) => bindUdpSocket(host, 0)));
      const pending = sockets.map((socket) => nextPacket(socket));
      for (const socket of sockets) socket.send(encodeTftpRequest(1, 'big.bin', 'octet'), small.port, '127.0.0.1');
      const answers = await Promise.all(pending);
      expect(opcodes(answers).sort()).toEqual([3, 3, 5]);
      const refusal = answers.find((answer) => answer?.[0].opcode === 5)?.[0];
      expect(refusal).toMatchObject({ message: 'server busy: 2 transfers running; retry later' });
      expect(small.stats.refused.busy).toBe(1);
      abandon(sockets, answers);
    } finally {
      await small.close();
    }
  });
});
