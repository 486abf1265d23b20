import dgram from 'node:dgram';
import { once } from 'node:events';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BMH_API_VERSION } from '../../../api/bareMetalHost.js';
import { decodeDhcpPacket } from '../../../dhcp/dhcpv4/decodeDhcpPacket.js';
import { MessageType } from '../../../dhcp/dhcpv4/dhcpPacket.js';
import { DhcpServer } from '../../../dhcp/dhcpv4/dhcpServer.js';
import { HostIndex } from '../../../dhcp/hosts/hostIndex.js';
import { bindUdpSocket } from '../../../dhcp/udp/udpSocket.js';
import { watchBareMetalHosts } from '../../../dhcp/hosts/watchBareMetalHosts.js';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { useTestEnv } from '../../support/testEnv.js';
import { clientPacket } from '../../support/dhcpClientPackets.js';

// The DHCP server's host index follows the BareMetalHosts of a real apiserver: a lease annotation
// written on a host is answered within a second, and a changed one replaces it. Loopback only:
// the server on 127.0.0.1, a relay (giaddr) on 127.0.0.4.
const env = useTestEnv();
const DHCP_PORT = 22067;
const logger = pino({ level: 'silent' });
const index = new HostIndex();
let dhcp: DhcpServer;
let relay: dgram.Socket;
let stopWatch: () => Promise<void>;

async function offeredAddress(): Promise<string | undefined> {
  relay.send(
    clientPacket({ type: MessageType.Discover, giaddr: '127.0.0.4', mac: '02:00:00:00:aa:01' }),
    DHCP_PORT,
    '127.0.0.1',
  );
  const answer = await Promise.race([
    once(relay, 'message') as Promise<[Buffer]>,
    new Promise<undefined>((resolve) =>
      setTimeout(() => {
        resolve(undefined);
      }, 400),
    ),
  ]);
  const decoded = answer && decodeDhcpPacket(answer[0]);
  return decoded?.ok ? decoded.packet.yiaddr : undefined;
}

beforeAll(async () => {
  stopWatch = await watchBareMetalHosts(env.kubeConfig, env.namespace, index, logger);
  dhcp = new DhcpServer({
    listenHost: '127.0.0.1',
    lookup: index,
    logger,
    settings: {
      serverIp: '127.0.0.1',
      serverPort: DHCP_PORT,
      clientPort: DHCP_PORT + 1,
      leaseSeconds: 600,
      tftpEnabled: false,
      httpBaseUrl: 'http://127.0.0.1:8080',
      bootFiles: new Set(),
    },
  });
  await dhcp.start();
  relay = await bindUdpSocket('127.0.0.4', DHCP_PORT);
});

afterAll(async () => {
  await stopWatch();
  await dhcp.close();
  await new Promise((resolve) =>
    relay.close(() => {
      resolve(undefined);
    }),
  );
});

describe('host index fed by the BareMetalHost watch', () => {
  it('answers a host once its lease annotation appears and follows a change of address', async () => {
    const hosts = createBareMetalHostApi(env.kubeConfig, env.namespace);
    await hosts.create({
      apiVersion: BMH_API_VERSION,
      kind: 'BareMetalHost',
      metadata: { name: 'watched-01', namespace: env.namespace },
      spec: {
        bmc: { address: 'redfish://bmc.invalid', credentialsName: 'watched-01-bmc' },
        bootMACAddress: '02:00:00:00:AA:01',
        online: false,
      },
    });
    expect(await offeredAddress()).toBeUndefined();

    const host = await hosts.get('watched-01');
    host.metadata.annotations = { 'metal3.vcluster.com/ip-address': '10.214.0.10/24' };
    await hosts.replace(host);
    await expect.poll(offeredAddress, { timeout: 5000, interval: 100 }).toBe('10.214.0.10');

    const moved = await hosts.get('watched-01');
    moved.metadata.annotations = { 'metal3.vcluster.com/ip-address': '10.214.0.11/24' };
    await hosts.replace(moved);
    await expect.poll(offeredAddress, { timeout: 5000, interval: 100 }).toBe('10.214.0.11');

    await hosts.delete('watched-01');
    await expect.poll(offeredAddress, { timeout: 5000, interval: 100 }).toBeUndefined();
  });
});
