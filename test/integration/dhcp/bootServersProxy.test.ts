import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BareMetalHost } from '../../../api/bareMetalHost.js';
import { resolveBootServerConfig } from '../../../dhcp/config/bootServerConfig.js';
import { startBootServers } from '../../../dhcp/bootServers.js';
import { HostIndex } from '../../../dhcp/hosts/hostIndex.js';
import { LeaseAddressIndex } from '../../../dhcp/hosts/leaseAddressIndex.js';
import { request } from '../../support/agentStandIn.js';
import { IronicApiStandIn, IronicHttpStandIn } from '../../support/ironicStandIn.js';
import { freePort } from '../../../devstack/freePort.js';

/**
 * startBootServers with the chart's values: the iPXE script sends the host to our HTTP server for
 * the agent kernel, which comes from Ironic's HTTP server through the proxy, and the agent's API
 * URL is the callback proxy, which reaches Ironic's API. Without proxy.ironicApiUrl there is no
 * callback proxy.
 */

const MAC = 'aa:bb:cc:00:01:01';
const kernel = randomBytes(50_000);
const bootDir = mkdtempSync(path.join(tmpdir(), 'boot-servers-proxy-'));
const logLines: string[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
let ironicApi: IronicApiStandIn;
let ironicHttp: IronicHttpStandIn;

async function configWith(ironicApiUrl: string) {
  const [dhcpPort, httpPort, callbackPort] = [await freePort(), await freePort(), await freePort()];
  return resolveBootServerConfig({
    values: [
      {
        dhcp: { serverIP: '127.0.0.1', port: dhcpPort, listenAddr: `127.0.0.1:${dhcpPort}` },
        tftp: { listenAddr: '' },
        http: { port: httpPort, listenAddr: '127.0.0.1:{{ .Values.http.port }}' },
        proxy: {
          callbackPort,
          callbackListenAddr: '127.0.0.1:{{ .Values.proxy.callbackPort }}',
          ironicHttpUrl: ironicHttp.url,
          ironicApiUrl,
        },
      },
    ],
    sets: [],
    flags: {},
    env: { SERVER_IP: '127.0.0.1' },
  });
}

beforeAll(async () => {
  writeFileSync(path.join(bootDir, 'snponly.efi'), 'efi');
  ironicApi = await IronicApiStandIn.start([{ uuid: '11111111-2222-3333-4444-555555555555', macs: [MAC] }]);
  ironicHttp = await IronicHttpStandIn.start({ kernel, largeSize: 1, redirectTo: 'http://127.0.0.1:1/' });
});

afterAll(async () => {
  await Promise.all([ironicApi.close(), ironicHttp.close()]);
  rmSync(bootDir, { recursive: true, force: true });
});

describe('startBootServers with the Ironic proxies', () => {
  it('boots a host through us: script → kernel via the HTTP proxy → agent API via the callback proxy', async () => {
    const index = new LeaseAddressIndex();
    index.updateFromBareMetalHost(
      BareMetalHost.parse({
        apiVersion: 'metal3.io/v1alpha1',
        kind: 'BareMetalHost',
        metadata: { name: 'server', namespace: 'ns', annotations: { 'metal3.vcluster.com/ip-address': '127.0.0.2/8' } },
        spec: { bootMACAddress: MAC },
        status: { provisioning: { state: 'inspecting' } },
      }),
    );
    const config = await configWith(ironicApi.url);
    const servers = await startBootServers(config, bootDir, index, logger);
    try {
      expect(servers.callback).toBeDefined();
      const script = await request(`${config.http.advertiseUrl}/ipxe/inspector.ipxe?mac=${MAC}`);
      const kernelUrl = /kernel --timeout \d+ (\S+)/.exec(script.body)?.[1] ?? '';
      const apiUrl = /ipa-api-url=(\S+)/.exec(script.body)?.[1] ?? '';
      expect(kernelUrl).toBe(`${config.http.advertiseUrl}/images/ironic-python-agent.kernel`);
      expect(apiUrl).toBe(config.proxy.callbackAdvertiseUrl);

      const downloaded = await request(kernelUrl, { localAddress: '127.0.0.2' });
      expect(downloaded.bytes.equals(kernel)).toBe(true);
      const lookup = await request(`${apiUrl}/v1/lookup?addresses=${MAC}`, { localAddress: '127.0.0.2' });
      expect(lookup.status).toBe(200);
      expect(servers.http.proxyStats.forwarded['ironic-http']).toBe(1);
      expect(servers.callback?.stats.forwarded.lookup).toBe(1);
    } finally {
      await servers.close();
    }
    // Closed with the others: nothing listens on the callback port any more.
    await expect(request(`${config.proxy.callbackAdvertiseUrl}/`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('runs no callback proxy, and says so, when proxy.ironicApiUrl is empty', async () => {
    const config = await configWith('');
    const servers = await startBootServers(config, bootDir, new LeaseAddressIndex(), logger);
    try {
      expect(servers.callback).toBeUndefined();
      expect(logLines.some((line) => line.includes('IPA callback proxy disabled (proxy.ironicApiUrl is empty)'))).toBe(
        true,
      );
      await expect(request(`${config.proxy.callbackAdvertiseUrl}/`)).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await servers.close();
    }
  });

  it('runs no callback proxy when the host source cannot find hosts by lease address', async () => {
    const servers = await startBootServers(await configWith(ironicApi.url), bootDir, new HostIndex(), logger);
    try {
      expect(servers.callback).toBeUndefined();
      expect(logLines.some((line) => line.includes('cannot find hosts by lease address'))).toBe(true);
    } finally {
      await servers.close();
    }
  });
});
