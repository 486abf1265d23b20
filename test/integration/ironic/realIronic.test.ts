import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BareMetalHost } from '../../../api/bareMetalHost.js';
import { resolveBootServerConfig, type BootServerConfig } from '../../../dhcp/config/bootServerConfig.js';
import { startBootServers, type BootServers } from '../../../dhcp/bootServers.js';
import { LeaseAddressIndex } from '../../../dhcp/hosts/leaseAddressIndex.js';
import { DEFAULT_AGENT_PORT } from '../../../dhcp/proxy/rewriteCallbackUrl.js';
import { AgentStandIn, heartbeat, request, type Answer } from '../../support/agentStandIn.js';
import { RealIronic, type IronicNode } from '../../support/realIronic.js';
import { freePort } from '../../../devstack/freePort.js';

/**
 * The boot worker's proxies in front of a real Ironic: Debian's ironic-api and ironic-conductor (see
 * test/support/realIronic.ts), started once for this file. Two nodes wait for their agent in "clean
 * wait" after the conductor prepared their boot. Whatever the callback proxy forwards is answered by
 * Ironic itself; whatever it refuses never shows up in Ironic's API log.
 *
 * Real: the Ironic API and conductor, their lookup/heartbeat handling and agent tokens, the
 * conductor's calls back to the agent, the iPXE config and the cached agent kernel and ramdisk the
 * conductor writes into its http_root. Not Ironic: the HTTP server over http_root (busybox httpd
 * standing in for the httpd of Metal3's Ironic image) and the agent, which answers the conductor as
 * IPA does with no clean steps of its own.
 */

const MAC_A = 'aa:bb:cc:00:31:0a';
const MAC_B = 'aa:bb:cc:00:31:0b';
const AGENT_A = '127.0.0.31';
const AGENT_B = '127.0.0.32';
/** A loopback address that is no BareMetalHost's lease. */
const STRANGER = '127.0.0.33';
/** The microversion IPA sends. */
const IPA_VERSION = { 'x-openstack-ironic-api-version': '1.68' };

const bootDir = mkdtempSync(path.join(tmpdir(), 'real-ironic-boot-'));
const logLines: string[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
let ironic: RealIronic;
let nodeA: IronicNode;
let nodeB: IronicNode;
let servers: BootServers;
let agent: AgentStandIn;
let callbackUrl: string;
let httpUrl: string;
/** What beforeAll started, to stop in reverse order even when it failed halfway. */
const started: (() => Promise<void>)[] = [];

function bmh(name: string, mac: string, address: string): BareMetalHost {
  return BareMetalHost.parse({
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: { name, namespace: 'metal3', annotations: { 'metal3.vcluster.com/ip-address': `${address}/8` } },
    spec: { bootMACAddress: mac },
    status: { provisioning: { state: 'available' } },
  });
}

/** Waits until Ironic's API has logged the request with this id, and returns that log line. */
async function apiLogLine(answer: Answer): Promise<string> {
  const id = answer.headers['openstack-request-id'];
  expect(id, 'an answer from Ironic carries its request id').toMatch(/^req-/);
  for (let i = 0; i < 100; i++) {
    const line = ironic
      .apiLog()
      .split('\n')
      .find((l) => l.includes(`${String(id)} `) && l.includes('eventlet.wsgi.server'));
    if (line !== undefined) return line;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`request ${String(id)} not in Ironic's API log`);
}

/** IPA's answers to the conductor: no command run yet, and no clean steps of its own. */
function agentAnswers(req: { method: string; body: string }, res: http.ServerResponse): void {
  const command = req.method === 'POST' ? (JSON.parse(req.body) as { name: string }).name : '';
  const body =
    req.method === 'GET'
      ? { commands: [] }
      : {
          id: randomUUID(),
          command_name: command.split('.')[1] ?? command,
          command_status: 'SUCCEEDED',
          command_error: null,
          command_result:
            command === 'clean.get_clean_steps'
              ? {
                  clean_steps: { GenericHardwareManager: [] },
                  hardware_manager_version: { generic_hardware_manager: '1.1' },
                }
              : {},
        };
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

beforeAll(async () => {
  ironic = await RealIronic.start();
  started.push(() => ironic.stop());
  [nodeA, nodeB] = await Promise.all([
    ironic.cleanWaitNode('server-a', MAC_A),
    ironic.cleanWaitNode('server-b', MAC_B),
  ]);
  const hosts = new LeaseAddressIndex();
  hosts.updateFromBareMetalHost(bmh('server-a', MAC_A, AGENT_A));
  hosts.updateFromBareMetalHost(bmh('server-b', MAC_B, AGENT_B));
  writeFileSync(path.join(bootDir, 'snponly.efi'), 'efi');
  // The chart's values, as the boot worker resolves them, pointing the proxies at this Ironic.
  const [dhcpPort, httpPort, callbackPort] = [await freePort(), await freePort(), await freePort()];
  const config: BootServerConfig = resolveBootServerConfig({
    values: [
      {
        dhcp: { serverIP: '127.0.0.1', port: dhcpPort, listenAddr: `127.0.0.1:${dhcpPort}` },
        tftp: { listenAddr: '' },
        http: { port: httpPort, listenAddr: '127.0.0.1:{{ .Values.http.port }}' },
        proxy: {
          callbackPort,
          callbackListenAddr: '127.0.0.1:{{ .Values.proxy.callbackPort }}',
          ironicHttpUrl: ironic.httpUrl,
          ironicApiUrl: ironic.apiUrl,
        },
      },
    ],
    sets: [],
    flags: {},
    env: { SERVER_IP: '127.0.0.1' },
  });
  servers = await startBootServers(config, bootDir, hosts, logger);
  started.push(() => servers.close());
  callbackUrl = config.proxy.callbackAdvertiseUrl;
  httpUrl = config.http.advertiseUrl;
  // The agent of server-a, where IPA listens: its lease address, port 9999.
  agent = await AgentStandIn.start({ address: AGENT_A, port: DEFAULT_AGENT_PORT });
  started.push(() => agent.close());
  agent.respond = agentAnswers;
});

afterAll(async () => {
  for (const stop of started.reverse()) await stop();
  rmSync(bootDir, { recursive: true, force: true });
});

describe('real Ironic behind the IPA callback proxy', () => {
  it('answers version discovery with Ironic’s own document', async () => {
    const versions = await request(`${callbackUrl}/`, { localAddress: AGENT_A });
    expect(versions.status).toBe(200);
    expect(JSON.parse(versions.body)).toEqual((await ironic.api('GET', '/')).body);
  });

  it('carries the agent’s lookup and heartbeats to Ironic and its answers back; Ironic then cleans through the proxy', async () => {
    const lookup = await request(`${callbackUrl}/v1/lookup?addresses=${MAC_A}`, {
      localAddress: AGENT_A,
      headers: IPA_VERSION,
    });
    expect(lookup.status).toBe(200);
    const found = JSON.parse(lookup.body) as { node: { uuid: string }; config: Record<string, unknown> };
    expect(found.node.uuid).toBe(nodeA.uuid);
    expect(found.config).toMatchObject({ heartbeat_timeout: 300, agent_token_required: true });
    // Ironic hands the token out on the first lookup only (later ones see "******"): this one.
    const token = String(found.config.agent_token);
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    // The proxy rebuilds the query from the parameters it allows, so the MAC arrives percent-encoded.
    expect(await apiLogLine(lookup)).toContain(
      `"GET /v1/lookup?addresses=${encodeURIComponent(MAC_A)} HTTP/1.1" status: 200`,
    );

    const refused = await heartbeat(callbackUrl, agent, nodeA.uuid, {
      callback_url: agent.callbackUrl,
      agent_token: 'not-the-token',
    });
    expect(refused.status).toBe(400);
    expect(refused.headers['content-type']).toBe('application/json');
    const error = JSON.parse(refused.body) as { error_message: string };
    expect(JSON.parse(error.error_message)).toMatchObject({ faultstring: 'Invalid or missing agent token received.' });
    expect(await apiLogLine(refused)).toContain(`"POST /v1/heartbeat/${nodeA.uuid} HTTP/1.1" status: 400`);

    const accepted = await heartbeat(callbackUrl, agent, nodeA.uuid, {
      callback_url: agent.callbackUrl,
      agent_token: token,
    });
    expect(accepted.status).toBe(202);
    expect(await apiLogLine(accepted)).toContain(`"POST /v1/heartbeat/${nodeA.uuid} HTTP/1.1" status: 202`);

    // Ironic called the agent back at the address the proxy gave it, only through the proxy, with
    // the token it issued; with no clean steps from the agent, Ironic finished cleaning.
    await ironic.waitForProvisionState(nodeA.uuid, 'available');
    const getSteps = agent.requests.find((r) => r.body.includes('"clean.get_clean_steps"'));
    expect(new URL(getSteps?.url ?? '/', 'http://agent').searchParams.get('agent_token')).toBe(token);
    expect(servers.callback?.stats.forwarded.agent).toBe(agent.requests.length);
    const agentCalls = logLines
      .map((line) => JSON.parse(line) as { route?: string; path?: string; status?: number })
      .filter((line) => line.route === 'agent');
    expect(agentCalls).toContainEqual(
      expect.objectContaining({ path: `/agent/http/${AGENT_A}/v1/commands/`, status: 200 }),
    );
  });

  it('refuses, without asking Ironic, callers that are no host’s agent and paths outside the agent API', async () => {
    const marker = randomUUID();
    const stranger = await request(`${callbackUrl}/v1/lookup?addresses=${MAC_B}&node_uuid=${marker}`, {
      localAddress: STRANGER,
      headers: IPA_VERSION,
    });
    expect(stranger.status).toBe(403);
    const adminRead = await request(`${callbackUrl}/v1/nodes?name=${marker}`, { localAddress: AGENT_B });
    expect(adminRead.status).toBe(404);
    const adminWrite = await request(`${callbackUrl}/v1/nodes/${nodeB.uuid}/states/provision?marker=${marker}`, {
      method: 'PUT',
      localAddress: AGENT_B,
      body: JSON.stringify({ target: 'deleted' }),
    });
    expect(adminWrite.status).toBe(404);
    for (const answer of [stranger, adminRead, adminWrite]) {
      expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(answer.headers['openstack-request-id']).toBeUndefined();
    }

    // A MAC that is not the caller's own is the proxy's to refuse, before Ironic could say whether it
    // exists: the same 403 for an unknown MAC as for another host's.
    const unknown = await request(`${callbackUrl}/v1/lookup?addresses=aa:bb:cc:00:31:ff`, {
      localAddress: AGENT_B,
      headers: IPA_VERSION,
    });
    expect(unknown.status).toBe(403);
    expect(ironic.apiLog()).not.toContain('aa:bb:cc:00:31:ff');
    expect(ironic.apiLog()).not.toContain(marker);
    expect((await ironic.node(nodeB.uuid)).provision_state).toBe('clean wait');
    expect(servers.callback?.stats.refused).toMatchObject({
      'unknown-client': 1,
      'unknown-path': 2,
      'lookup-other-mac': 1,
    });
  });
});

describe('Ironic’s HTTP files through the Ironic HTTP proxy', () => {
  it('serves the agent kernel the boot script names, whole and by range', async () => {
    const script = await request(`${httpUrl}/ipxe/installer.ipxe?mac=${MAC_B}`);
    const kernelUrl = /kernel --timeout \d+ (\S+)/.exec(script.body)?.[1] ?? '';
    expect(kernelUrl).toBe(`${httpUrl}/images/ironic-python-agent.kernel`);
    const whole = await request(kernelUrl, { localAddress: AGENT_B });
    expect(whole.status).toBe(200);
    expect(whole.bytes.equals(ironic.agentKernel)).toBe(true);
    const part = await request(kernelUrl, { localAddress: AGENT_B, headers: { range: 'bytes=1000-1999' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${ironic.agentKernel.length}`);
    expect(part.bytes.equals(ironic.agentKernel.subarray(1000, 2000))).toBe(true);
  });

  it('serves what the conductor wrote for a node: its iPXE config and its cached agent kernel and ramdisk', async () => {
    const ipxeConfig = await request(`${httpUrl}/pxelinux.cfg/${MAC_B.replaceAll(':', '-')}`);
    expect(ipxeConfig.status).toBe(200);
    expect(ipxeConfig.body).toMatch(/^#!ipxe/);
    // Ironic names files by its own http_url; the host fetches the same paths from us.
    const kernelUrl = `${ironic.httpUrl}/${nodeB.uuid}/deploy_kernel`;
    const ramdiskUrl = `${ironic.httpUrl}/${nodeB.uuid}/deploy_ramdisk`;
    expect(ipxeConfig.body).toContain(`kernel ${kernelUrl} `);
    expect(ipxeConfig.body).toContain(`initrd ${ramdiskUrl} `);
    expect(ipxeConfig.body).toContain(`ipa-api-url=${ironic.apiUrl} `);

    const kernel = await request(kernelUrl.replace(ironic.httpUrl, httpUrl), { localAddress: AGENT_B });
    expect(kernel.status).toBe(200);
    expect(kernel.bytes.equals(ironic.agentKernel)).toBe(true);
    const size = ironic.agentRamdisk.length;
    const ramdisk = await request(ramdiskUrl.replace(ironic.httpUrl, httpUrl), {
      localAddress: AGENT_B,
      headers: { range: `bytes=${size - 4096}-${size - 1}` },
    });
    expect(ramdisk.status).toBe(206);
    expect(ramdisk.headers['content-range']).toBe(`bytes ${size - 4096}-${size - 1}/${size}`);
    expect(ramdisk.bytes.equals(ironic.agentRamdisk.subarray(-4096))).toBe(true);
    expect(servers.http.proxyStats.forwarded['ironic-http']).toBeGreaterThanOrEqual(5);
  });
});
