import dgram from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BMH_API_VERSION } from '../../../api/bareMetalHost.js';
import { loadBootServerConfig, startHostSources } from '../../../cli/bootServerOptions.js';
import { startDeployment } from '../../../client/infraDeployment.js';
import { decodeDhcpPacket } from '../../../dhcp/dhcpv4/decodeDhcpPacket.js';
import { MessageType } from '../../../dhcp/dhcpv4/dhcpPacket.js';
import { decodeTftpPacket, encodeTftpAck, encodeTftpRequest } from '../../../dhcp/tftp/tftpPacket.js';
import { bindUdpSocket } from '../../../dhcp/udp/udpSocket.js';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { startBootWorker, type BootWorker } from '../../../worker/bootWorker.js';
import { RELEASE_NAMES, infraStatusQuery } from '../../../contracts/infraContract.js';
import { useTestEnv } from '../../support/testEnv.js';
import { clientPacket } from '../../support/dhcpClientPackets.js';
import { markReady, releaseWorkloadsInCluster } from '../infra/playController.js';

// The boot worker on loopback, unprivileged ports: its host index follows the devstack's
// BareMetalHosts, its servers answer a relayed DHCP exchange, a TFTP read and HTTP fetches (one
// proxied to an Ironic stand-in), its /metrics count them, and its metal3-infra worker runs helm.
const env = useTestEnv();
const PORTS = { dhcp: 23067, tftp: 23069, http: 23080, callback: 23081, metrics: 23465 };
const logger = pino({ level: 'silent' });
const bootFiles = mkdtempSync(path.join(tmpdir(), 'boot-worker-files-'));
const FILE_BYTES = 300;
let ironic: http.Server;
let connection: NativeConnection;
let bootWorker: BootWorker;
let relay: dgram.Socket;

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
}

const metricsText = async (): Promise<string> => (await get(`${bootWorker.healthUrl}/metrics`)).body;

/** The value of one sample, e.g. `metal3_boot_dhcp_replies_total{type="offer"}`; 0 when absent. */
async function metric(sample: string): Promise<number> {
  const line = (await metricsText()).split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? 0 : Number(line.slice(sample.length + 1));
}

async function offered(): Promise<string | undefined> {
  relay.send(
    clientPacket({ type: MessageType.Discover, giaddr: '127.0.0.6', mac: '02:00:00:00:bb:01' }),
    PORTS.dhcp,
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

/** A one-block TFTP read (octet mode, no options): DATA 1, then our ACK ends it. */
async function tftpRead(file: string): Promise<Buffer> {
  const client = await bindUdpSocket('127.0.0.1', 0);
  try {
    client.send(encodeTftpRequest(1, file, 'octet'), PORTS.tftp, '127.0.0.1');
    const [message, from] = (await once(client, 'message')) as [Buffer, dgram.RemoteInfo];
    const decoded = decodeTftpPacket(message);
    if (!decoded.ok || decoded.packet.opcode !== 3) throw new Error('expected a DATA packet');
    client.send(encodeTftpAck(decoded.packet.block), from.port, from.address);
    return decoded.packet.data;
  } finally {
    client.close();
  }
}

beforeAll(async () => {
  writeFileSync(path.join(bootFiles, 'undionly.kpxe'), Buffer.alloc(FILE_BYTES, 1));
  ironic = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(`ironic:${req.url ?? ''}`);
  });
  await new Promise<void>((resolve) => ironic.listen(0, '127.0.0.1', resolve));
  const ironicUrl = `http://127.0.0.1:${(ironic.address() as AddressInfo).port}`;
  const config = await loadBootServerConfig({
    values: [],
    set: [
      'dhcp.serverIP=127.0.0.1',
      `dhcp.listenAddr=127.0.0.1:${PORTS.dhcp}`,
      `tftp.listenAddr=127.0.0.1:${PORTS.tftp}`,
      `http.listenAddr=127.0.0.1:${PORTS.http}`,
      `http.advertiseUrl=http://127.0.0.1:${PORTS.http}`,
      `proxy.callbackListenAddr=127.0.0.1:${PORTS.callback}`,
      `proxy.callbackAdvertiseUrl=http://127.0.0.1:${PORTS.callback}`,
      `proxy.ironicHttpUrl=${ironicUrl}`,
      `proxy.ironicApiUrl=${ironicUrl}`,
    ],
    bootFilesDir: bootFiles,
    logLevel: 'silent',
    inspectorExtraKernelParam: [],
    installerExtraKernelParam: [],
  });
  connection = await NativeConnection.connect({ address: env.temporal.address });
  bootWorker = await startBootWorker({
    boot: { config, bootFilesDir: bootFiles },
    startHostSource: (index) =>
      startHostSources({ watchNamespace: env.namespace }, () => env.kubeConfig, index, logger),
    temporal: {
      connection,
      namespace: env.temporal.namespace,
      taskQueue: env.taskQueue,
      workflowBundlePath: env.workflowBundlePath,
    },
    infra: { kubeConfig: env.kubeConfig, kubeconfigPath: env.kubeconfigPath, helmPath: env.helmPath },
    metrics: { host: '127.0.0.1', port: PORTS.metrics },
    logger,
  });
  relay = await bindUdpSocket('127.0.0.6', PORTS.dhcp);
});

afterAll(async () => {
  relay.close();
  await bootWorker.stop();
  await connection.close();
  await new Promise((resolve) => ironic.close(resolve));
});

describe('boot worker', () => {
  it('is live at once and ready when the host index, the servers and the Temporal worker run', async () => {
    expect(await get(`http://127.0.0.1:${PORTS.metrics}/healthz`)).toEqual({ status: 200, body: 'ok\n' });
    await expect.poll(async () => (await get(`${bootWorker.healthUrl}/readyz`)).status, { timeout: 10_000 }).toBe(200);
    expect(bootWorker.readiness.unmet).toEqual([]);
  });

  it('counts a DHCP exchange for a watched host, a TFTP read and HTTP fetches, one proxied to Ironic', async () => {
    const offersBefore = await metric('metal3_boot_dhcp_replies_total{type="offer"}');
    const hosts = createBareMetalHostApi(env.kubeConfig, env.namespace);
    await hosts.create({
      apiVersion: BMH_API_VERSION,
      kind: 'BareMetalHost',
      metadata: {
        name: 'boot-worker-01',
        namespace: env.namespace,
        annotations: { 'metal3.vcluster.com/ip-address': '10.215.0.10/24' },
      },
      spec: {
        bmc: { address: 'redfish://bmc.invalid', credentialsName: 'bmc' },
        bootMACAddress: '02:00:00:00:BB:01',
        online: false,
      },
    });
    await expect.poll(offered, { timeout: 5000, interval: 100 }).toBe('10.215.0.10');
    expect(await metric('metal3_boot_dhcp_replies_total{type="offer"}')).toBeGreaterThan(offersBefore);
    expect(await metric('metal3_boot_dhcp_received_total')).toBeGreaterThan(0);

    expect((await tftpRead('undionly.kpxe')).length).toBe(FILE_BYTES);
    await expect.poll(() => metric('metal3_boot_tftp_transfers_total{result="completed"}'), { timeout: 5000 }).toBe(1);
    expect(await metric('metal3_boot_tftp_sent_bytes_total')).toBe(FILE_BYTES);

    const bytesBefore = await metric('metal3_boot_http_sent_bytes_total');
    expect((await get(`http://127.0.0.1:${PORTS.http}/boot/undionly.kpxe`)).status).toBe(200);
    const proxied = await get(`http://127.0.0.1:${PORTS.http}/images/ironic-python-agent.kernel`);
    expect(proxied).toEqual({ status: 200, body: 'ironic:/images/ironic-python-agent.kernel' });
    await expect.poll(() => metric('metal3_boot_http_responses_total{code="200"}'), { timeout: 5000 }).toBe(2);
    expect(await metric('metal3_boot_http_sent_bytes_total')).toBeGreaterThan(bytesBefore + FILE_BYTES);
    expect(
      await metric('metal3_boot_proxy_outcomes_total{proxy="ironic-http",outcome="forwarded",route="ironic-http"}'),
    ).toBe(1);
    expect(await metricsText()).toContain('# TYPE metal3_boot_proxy_requests_total counter');
  });

  it('runs the infrastructure deployment on its metal3-infra worker', async () => {
    const handle = await startDeployment(
      env.temporal.client,
      {
        provider: `boot-worker-${env.namespace}`,
        namespace: env.namespace,
        deploy: { metal3: { enabled: true } },
        rolloutPollMs: 200,
      },
      { taskQueue: env.taskQueue },
    );
    const step = async () =>
      (await handle.query(infraStatusQuery)).components.find((c) => c.component === 'metal3')?.step;
    await expect.poll(step, { timeout: 60_000, interval: 200 }).toBe('waiting-for-rollout');
    for (const workload of await releaseWorkloadsInCluster(env.kubeConfig, RELEASE_NAMES.metal3, [env.namespace]))
      await markReady(env.kubeConfig, workload);
    const result = await handle.result();
    expect(result.components.find((c) => c.component === 'metal3')).toMatchObject({
      outcome: 'installed',
      revision: 1,
    });
  });
});
