import dgram from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BareMetalHost } from '../../../api/bareMetalHost.js';
import { decodeDhcpPacket } from '../../../dhcp/dhcpv4/decodeDhcpPacket.js';
import { MessageType, Option } from '../../../dhcp/dhcpv4/dhcpPacket.js';
import { DhcpServer } from '../../../dhcp/dhcpv4/dhcpServer.js';
import { HostIndex } from '../../../dhcp/hosts/hostIndex.js';
import { decodeTftpPacket, encodeTftpAck, encodeTftpRequest, type TftpPacket } from '../../../dhcp/tftp/tftpPacket.js';
import { TftpServer } from '../../../dhcp/tftp/tftpServer.js';
import { bindUdpSocket } from '../../../dhcp/udp/udpSocket.js';
import { clientPacket } from '../../support/dhcpClientPackets.js';

/**
 * The socket loops on loopback only: the DHCP server on 127.0.0.1 answering a relay on 127.0.0.2,
 * and the TFTP server's retransmission, TID and give-up behaviour with a hand-driven client.
 */

const DHCP_PORT = 20067;
const logger = pino({ level: 'silent' });
const root = mkdtempSync(path.join(tmpdir(), 'loopback-boot-'));
const index = new HostIndex();
let dhcp: DhcpServer;
let tftp: TftpServer;
let relay: dgram.Socket;

function nextMessage(socket: dgram.Socket, timeoutMs: number): Promise<[Buffer, dgram.RemoteInfo] | undefined> {
  return Promise.race([
    once(socket, 'message') as Promise<[Buffer, dgram.RemoteInfo]>,
    new Promise<undefined>((resolve) => {
      setTimeout(() => {
        resolve(undefined);
      }, timeoutMs);
    }),
  ]);
}

function tftpOf(message: Buffer): TftpPacket {
  const decoded = decodeTftpPacket(message);
  if (!decoded.ok) throw decoded.error;
  return decoded.packet;
}

beforeAll(async () => {
  index.updateFromBareMetalHost(
    BareMetalHost.parse({
      apiVersion: 'metal3.io/v1alpha1',
      kind: 'BareMetalHost',
      metadata: {
        name: 'server-01',
        namespace: 'ns',
        annotations: { 'metal3.vcluster.com/ip-address': '10.213.7.20/24' },
      },
      spec: { bootMACAddress: 'aa:bb:cc:dd:ee:01' },
    }),
  );
  dhcp = new DhcpServer({
    listenHost: '127.0.0.1',
    lookup: index,
    logger,
    settings: {
      serverIp: '127.0.0.1',
      serverPort: DHCP_PORT,
      clientPort: DHCP_PORT + 1,
      leaseSeconds: 600,
      tftpEnabled: true,
      httpBaseUrl: 'http://127.0.0.1:8080',
      bootFiles: new Set(),
    },
  });
  await dhcp.start();
  relay = await bindUdpSocket('127.0.0.2', DHCP_PORT);
  writeFileSync(path.join(root, 'three-blocks.bin'), Buffer.alloc(1100, 7));
  tftp = new TftpServer({
    listenHost: '127.0.0.1',
    port: 0,
    root,
    logger,
    limits: { maxBlockSize: 1468, maxWindowSize: 16, defaultTimeoutMs: 200 },
    maxRetries: 2,
  });
  await tftp.start();
});

afterAll(async () => {
  await Promise.all([
    dhcp.close(),
    tftp.close(),
    new Promise((resolve) =>
      relay.close(() => {
        resolve(undefined);
      }),
    ),
  ]);
  rmSync(root, { recursive: true, force: true });
});

describe('DHCP socket loop', () => {
  it('counts malformed datagrams, stays silent to them and still answers the next good one', async () => {
    for (const garbage of [Buffer.alloc(10), Buffer.from('GET / HTTP/1.1\r\n\r\n'), Buffer.alloc(300, 0xff)])
      relay.send(garbage, DHCP_PORT, '127.0.0.1');
    expect(await nextMessage(relay, 500)).toBeUndefined();
    expect(dhcp.stats.dropped).toMatchObject({ 'too-short': 2, 'bad-op': 1 });

    relay.send(clientPacket({ type: MessageType.Discover, giaddr: '127.0.0.2' }), DHCP_PORT, '127.0.0.1');
    const answer = await nextMessage(relay, 5000);
    expect(answer).toBeDefined();
    const decoded = answer && decodeDhcpPacket(answer[0]);
    expect(decoded?.ok && decoded.packet.yiaddr).toBe('10.213.7.20');
    expect(decoded?.ok && decoded.packet.options.get(Option.MessageType)?.[0]).toBe(MessageType.Offer);
    expect(dhcp.stats.replied).toBe(1);
  });

  it('counts a request from an unknown MAC and sends nothing', async () => {
    relay.send(
      clientPacket({ type: MessageType.Discover, giaddr: '127.0.0.2', mac: '02:00:00:00:00:09' }),
      DHCP_PORT,
      '127.0.0.1',
    );
    expect(await nextMessage(relay, 500)).toBeUndefined();
    expect(dhcp.stats.ignored['unknown-mac']).toBe(1);
  });
});

describe('TFTP transfers', () => {
  it('retransmits an unacknowledged block, answers a foreign TID with error 5 and finishes', async () => {
    const client = await bindUdpSocket('127.0.0.1', 0);
    const stranger = await bindUdpSocket('127.0.0.1', 0);
    try {
      client.send(encodeTftpRequest(1, 'three-blocks.bin', 'octet'), tftp.port, '127.0.0.1');
      const [first, transfer] = (await nextMessage(client, 2000)) ?? [];
      expect(first && tftpOf(first)).toMatchObject({ opcode: 3, block: 1 });
      expect(transfer?.port).not.toBe(tftp.port);
      // No ACK: the same block comes again after the timeout.
      const [again] = (await nextMessage(client, 2000)) ?? [];
      expect(again && tftpOf(again)).toMatchObject({ opcode: 3, block: 1 });

      stranger.send(encodeTftpAck(1), transfer?.port ?? 0, '127.0.0.1');
      const [foreign] = (await nextMessage(stranger, 2000)) ?? [];
      expect(foreign && tftpOf(foreign)).toMatchObject({ opcode: 5, code: 5 });

      const port = transfer?.port ?? 0;
      client.send(encodeTftpAck(1), port, '127.0.0.1');
      const [second] = (await nextMessage(client, 2000)) ?? [];
      client.send(encodeTftpAck(2), port, '127.0.0.1');
      const [third] = (await nextMessage(client, 2000)) ?? [];
      await new Promise((resolve) => {
        client.send(encodeTftpAck(3), port, '127.0.0.1', resolve);
      });
      const sizes = [second, third].map((data) => {
        const packet = data && tftpOf(data);
        return packet?.opcode === 3 ? packet.data.length : -1;
      });
      expect(sizes).toEqual([512, 76]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(tftp.stats.completed).toBe(1);
    } finally {
      client.close();
      stranger.close();
    }
  });

  it('ends a transfer when the client is gone (ICMP port unreachable) and keeps serving', async () => {
    const warnings: string[] = [];
    const watched = new TftpServer({
      listenHost: '127.0.0.1',
      port: 0,
      root,
      logger: pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) }),
      limits: { maxBlockSize: 1468, maxWindowSize: 16, defaultTimeoutMs: 200 },
      maxRetries: 5,
    });
    await watched.start();
    try {
      const leaving = await bindUdpSocket('127.0.0.1', 0);
      leaving.send(encodeTftpRequest(1, 'three-blocks.bin', 'octet'), watched.port, '127.0.0.1');
      expect((await nextMessage(leaving, 2000))?.[0]).toBeDefined();
      leaving.close();
      // The retransmission meets a closed port: the transfer ends with that reason, not after 5 retries.
      for (let i = 0; i < 50 && watched.stats.failed === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(watched.stats.failed).toBe(1);
      expect(warnings.join('')).toContain('client unreachable');

      const client = await bindUdpSocket('127.0.0.1', 0);
      try {
        client.send(encodeTftpRequest(1, 'three-blocks.bin', 'octet'), watched.port, '127.0.0.1');
        const [first, transfer] = (await nextMessage(client, 2000)) ?? [];
        expect(first && tftpOf(first)).toMatchObject({ opcode: 3, block: 1 });
        for (const block of [1, 2, 3]) client.send(encodeTftpAck(block), transfer?.port ?? 0, '127.0.0.1');
        for (let i = 0; i < 50 && watched.stats.completed === 0; i++) await new Promise((r) => setTimeout(r, 20));
        expect(watched.stats.completed).toBe(1);
      } finally {
        client.close();
      }
    } finally {
      await watched.close();
    }
  });

  it('gives up after the retransmission cap and counts the failure', async () => {
    const failedBefore = tftp.stats.failed;
    const client = await bindUdpSocket('127.0.0.1', 0);
    try {
      client.send(
        encodeTftpRequest(1, 'three-blocks.bin', 'octet', new Map([['blksize', '100']])),
        tftp.port,
        '127.0.0.1',
      );
      const seen: TftpPacket[] = [];
      for (;;) {
        const message = await nextMessage(client, 1500);
        if (!message) break;
        seen.push(tftpOf(message[0]));
      }
      // OACK, two retransmissions, then an error packet.
      expect(seen.map((p) => p.opcode)).toEqual([6, 6, 6, 5]);
      expect(tftp.stats.failed).toBe(failedBefore + 1);
    } finally {
      client.close();
    }
  });
});
