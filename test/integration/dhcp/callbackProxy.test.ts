import http from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BareMetalHost } from '../../../api/bareMetalHost.js';
import { CallbackProxy } from '../../../dhcp/proxy/callbackProxy.js';
import { LeaseAddressIndex } from '../../../dhcp/hosts/leaseAddressIndex.js';
import {
  AgentStandIn,
  heartbeat,
  rawHttp,
  request,
  selfSignedCert,
  type SelfSignedCert,
} from '../../support/agentStandIn.js';
import { IronicApiStandIn } from '../../support/ironicStandIn.js';
import { freePort } from '../../../devstack/freePort.js';

/**
 * The IPA callback proxy on loopback: agents on 127.0.0.2 (HTTP) and 127.0.0.3 (HTTPS, self-signed)
 * are the lease addresses of two BareMetalHosts; 127.0.0.4 runs an agent no host was leased, which
 * must never be reached. Ironic is a stand-in that calls agents back at the callback_url it gets.
 */

const MAC_A = 'aa:bb:cc:00:00:0a';
const MAC_B = 'aa:bb:cc:00:00:0b';
const UUID_A = '11111111-2222-3333-4444-00000000000a';
const UUID_B = '11111111-2222-3333-4444-00000000000b';
const logLines: string[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
const hosts = new LeaseAddressIndex();
let certB: SelfSignedCert;
let agentA: AgentStandIn;
let agentB: AgentStandIn;
let stranger: AgentStandIn;
let ironic: IronicApiStandIn;
let proxy: CallbackProxy;
let skipProxy: CallbackProxy;
let proxyUrl: string;
let skipProxyUrl: string;

function bmh(name: string, mac: string, cidr: string): BareMetalHost {
  return BareMetalHost.parse({
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: { name, namespace: 'metal3', annotations: { 'metal3.vcluster.com/ip-address': cidr } },
    spec: { bootMACAddress: mac },
    status: { provisioning: { state: 'inspecting' } },
  });
}

async function startProxy(insecureSkipVerify: boolean): Promise<[CallbackProxy, string]> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = new CallbackProxy({
    listenHost: '127.0.0.1',
    port,
    advertiseUrl: url,
    ironicApiUrl: ironic.url,
    hosts,
    insecureSkipVerify,
    agentPort: agentA.port,
    logger,
  });
  await started.start();
  return [started, url];
}

/** Looks the node up through `via` from the agent's address; returns the agent token. */
async function lookUp(via: string, agent: AgentStandIn, mac: string): Promise<string> {
  const answer = await request(`${via}/v1/lookup?addresses=${mac}`, { localAddress: agent.address });
  expect(answer.status).toBe(200);
  return (JSON.parse(answer.body) as { config: { agent_token: string } }).config.agent_token;
}

function lastHeartbeatBody(): Record<string, unknown> {
  const last = ironic.requests.filter((r) => r.url.startsWith('/v1/heartbeat/')).at(-1);
  return JSON.parse(last?.body ?? '{}') as Record<string, unknown>;
}

/** A call as Ironic makes it to the agent URL it was given. */
function asIronic(path: string, method = 'GET', body?: string): ReturnType<typeof request> {
  return request(`${proxyUrl}${path}`, { method, ...(body !== undefined ? { body } : {}) });
}

beforeAll(async () => {
  certB = selfSignedCert('127.0.0.3');
  agentA = await AgentStandIn.start({ address: '127.0.0.2', port: 0 });
  agentB = await AgentStandIn.start({ address: '127.0.0.3', port: agentA.port, tls: certB });
  stranger = await AgentStandIn.start({ address: '127.0.0.4', port: agentA.port });
  hosts.updateFromBareMetalHost(bmh('server-a', MAC_A, '127.0.0.2/8'));
  hosts.updateFromBareMetalHost(bmh('server-b', MAC_B, '127.0.0.3/8'));
  ironic = await IronicApiStandIn.start([
    { uuid: UUID_A, macs: [MAC_A] },
    { uuid: UUID_B, macs: [MAC_B] },
  ]);
  [proxy, proxyUrl] = await startProxy(false);
  [skipProxy, skipProxyUrl] = await startProxy(true);
});

afterAll(async () => {
  await Promise.all([proxy.close(), skipProxy.close()]);
  await Promise.all([agentA.close(), agentB.close(), stranger.close(), ironic.close()]);
});

describe('IPA callback proxy: the agent ↔ Ironic conversation', () => {
  it('carries version discovery and lookup to Ironic and the answer back', async () => {
    const versions = await request(`${proxyUrl}/`, { localAddress: agentA.address });
    expect(JSON.parse(versions.body)).toMatchObject({ default_version: { version: '1.68' } });
    const token = await lookUp(proxyUrl, agentA, MAC_A);
    expect(token).toBe(ironic.tokens.get(UUID_A));
    expect(ironic.requests.at(-1)?.url).toBe(`/v1/lookup?addresses=${encodeURIComponent(MAC_A)}`);
  });

  it('rewrites the heartbeat callback_url to itself and carries Ironic’s calls back to the agent', async () => {
    const token = await lookUp(proxyUrl, agentA, MAC_A);
    const before = ironic.callBacks.length;
    const answer = await heartbeat(proxyUrl, agentA, UUID_A, { callback_url: agentA.callbackUrl, agent_token: token });
    expect(answer.status).toBe(202);
    expect(lastHeartbeatBody()).toMatchObject({
      callback_url: `${proxyUrl}/agent/http/127.0.0.2`,
      agent_token: token,
      agent_version: '10.0.0',
    });
    const calls = (await ironic.waitForCallBacks(before + 2)).slice(before);
    expect(calls.map((call) => [call.method, call.status])).toEqual([
      ['GET', 200],
      ['POST', 200],
    ]);
    expect(JSON.parse(calls[1]?.body ?? '{}')).toMatchObject({ command_name: 'clean.get_clean_steps' });
    const seen = agentA.requests.slice(-2);
    expect(seen.map((r) => `${r.method} ${r.url.split('?')[0] ?? ''}`)).toEqual([
      'GET /v1/commands/',
      'POST /v1/commands/',
    ]);
    expect(new URL(seen[1]?.url ?? '', 'http://x').searchParams.get('agent_token')).toBe(token);
    // The token travels in the query; it must not appear in the proxy's logs.
    expect(logLines.some((line) => line.includes(token))).toBe(false);
    expect(proxy.stats.forwarded.agent).toBeGreaterThanOrEqual(2);
    expect(proxy.stats.forwarded.heartbeat).toBeGreaterThanOrEqual(1);
  });

  it('verifies an HTTPS agent against the certificate from its heartbeat, which Ironic no longer needs', async () => {
    const token = await lookUp(proxyUrl, agentB, MAC_B);
    const before = ironic.callBacks.length;
    const answer = await heartbeat(proxyUrl, agentB, UUID_B, {
      callback_url: agentB.callbackUrl,
      agent_token: token,
      agent_verify_ca: certB.cert,
    });
    expect(answer.status).toBe(202);
    const body = lastHeartbeatBody();
    expect(body.callback_url).toBe(`${proxyUrl}/agent/https/127.0.0.3`);
    expect(body).not.toHaveProperty('agent_verify_ca');
    const calls = (await ironic.waitForCallBacks(before + 2)).slice(before);
    expect(calls.map((call) => call.status)).toEqual([200, 200]);
  });

  it('refuses an HTTPS agent it cannot verify (502), unless --callback-insecure-skip-verify', async () => {
    const token = await lookUp(proxyUrl, agentB, MAC_B);
    let before = ironic.callBacks.length;
    await heartbeat(proxyUrl, agentB, UUID_B, { callback_url: agentB.callbackUrl, agent_token: token });
    let calls = (await ironic.waitForCallBacks(before + 2)).slice(before);
    expect(calls.map((call) => call.status)).toEqual([502, 502]);
    expect(calls[0]?.body).toMatch(/certificate/i);

    const skipToken = await lookUp(skipProxyUrl, agentB, MAC_B);
    before = ironic.callBacks.length;
    await heartbeat(skipProxyUrl, agentB, UUID_B, { callback_url: agentB.callbackUrl, agent_token: skipToken });
    calls = (await ironic.waitForCallBacks(before + 2)).slice(before);
    expect(calls.map((call) => call.status)).toEqual([200, 200]);
  });

  it('carries inspection data to Ironic’s continue_inspection', async () => {
    const answer = await request(`${proxyUrl}/v1/continue_inspection`, {
      method: 'POST',
      localAddress: agentA.address,
      body: JSON.stringify({ inventory: { interfaces: [{ mac_address: MAC_A }] } }),
    });
    expect(answer.status).toBe(202);
    expect(ironic.requests.at(-1)?.url).toBe('/v1/continue_inspection');
  });
});

describe('IPA callback proxy: never an open proxy', () => {
  const strangerUntouched = (): void => {
    expect(stranger.requests).toEqual([]);
  };

  it('refuses an absolute-form request target', async () => {
    const status = await rawHttp(
      '127.0.0.1',
      proxy.port,
      `GET http://127.0.0.4:${stranger.port}/v1/commands/ HTTP/1.1\r\nHost: 127.0.0.4\r\n\r\n`,
    );
    expect(status).toMatch(/^HTTP\/1\.1 400/);
    strangerUntouched();
  });

  it('refuses CONNECT', async () => {
    const status = await rawHttp(
      '127.0.0.1',
      proxy.port,
      `CONNECT 127.0.0.4:${stranger.port} HTTP/1.1\r\nHost: 127.0.0.4\r\n\r\n`,
    );
    expect(status).toMatch(/^HTTP\/1\.1 405/);
    expect(proxy.stats.refused.connect).toBeGreaterThanOrEqual(1);
    strangerUntouched();
  });

  it('refuses the agent path of an address no host was leased', async () => {
    expect((await asIronic('/agent/http/127.0.0.4/v1/commands/')).status).toBe(404);
    strangerUntouched();
  });

  it('refuses other hosts named by name or with a port in the agent path', async () => {
    for (const path of [
      `/agent/http/127.0.0.2:${stranger.port}/v1/commands/`,
      '/agent/http/localhost/v1/commands/',
      '/agent/http/2130706436/v1/commands/',
      '/agent/ftp/127.0.0.2/v1/commands/',
    ]) {
      expect((await asIronic(path)).status, path).toBe(404);
    }
    strangerUntouched();
  });

  it('refuses agent paths other than the command API', async () => {
    expect((await asIronic('/agent/http/127.0.0.2/v1/status')).status).toBe(404);
    expect((await asIronic('/agent/http/127.0.0.2/')).status).toBe(404);
    expect(agentA.requests.some((r) => !r.url.startsWith('/v1/commands/'))).toBe(false);
  });

  it('refuses Ironic API paths the agent does not use', async () => {
    const before = ironic.requests.length;
    for (const path of ['/v1/nodes', '/v1/nodes/x/states/provision', '/v1/ports', '/v2/lookup']) {
      expect((await request(`${proxyUrl}${path}`, { localAddress: agentA.address })).status, path).toBe(404);
    }
    expect(ironic.requests.length).toBe(before);
  });

  it('refuses encoded dot segments (%2e%2e)', async () => {
    const status = await rawHttp(
      '127.0.0.1',
      proxy.port,
      'GET /agent/http/127.0.0.2/v1/commands/%2e%2e/%2e%2e/%2e%2e/v1/nodes HTTP/1.1\r\nHost: x\r\n\r\n',
    );
    expect(status).toMatch(/^HTTP\/1\.1 400/);
  });

  it('refuses encoded slashes (%2f)', async () => {
    const status = await rawHttp(
      '127.0.0.1',
      proxy.port,
      'GET /agent/http/127.0.0.2%2f..%2f127.0.0.4/v1/commands/ HTTP/1.1\r\nHost: x\r\n\r\n',
    );
    expect(status).toMatch(/^HTTP\/1\.1 400/);
    strangerUntouched();
  });

  it('refuses double encoding (%252e, %252f)', async () => {
    for (const path of ['/agent/http/127.0.0.2/v1/commands/%252e%252e/x', '/v1/heartbeat/%252f..%252fnodes']) {
      const status = await rawHttp('127.0.0.1', proxy.port, `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(status, path).toMatch(/^HTTP\/1\.1 400/);
    }
  });

  it('refuses a heartbeat whose callback_url is an address no host was leased', async () => {
    const before = ironic.requests.length;
    const answer = await heartbeat(proxyUrl, agentA, UUID_A, { callback_url: stranger.callbackUrl });
    expect(answer.status).toBe(403);
    expect(ironic.requests.length).toBe(before);
    expect(logLines.some((line) => line.includes('"reason":"callback-not-sender"'))).toBe(true);
  });

  it('refuses a heartbeat whose callback_url is Ironic itself', async () => {
    const answer = await heartbeat(proxyUrl, agentA, UUID_A, { callback_url: ironic.url });
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('Ironic itself');
  });

  it('refuses a heartbeat whose callback_url is localhost', async () => {
    const answer = await heartbeat(proxyUrl, agentA, UUID_A, { callback_url: `http://localhost:${agentA.port}` });
    expect(answer.status).toBe(403);
  });

  it('refuses a heartbeat whose callback_url carries user information', async () => {
    const answer = await heartbeat(proxyUrl, agentA, UUID_A, {
      callback_url: `http://a@127.0.0.2:${agentA.port}`,
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('user information');
  });

  it('refuses a heartbeat whose callback_url is another port of the agent host', async () => {
    const answer = await heartbeat(proxyUrl, agentA, UUID_A, { callback_url: 'http://127.0.0.2:22' });
    expect(answer.status).toBe(403);
  });

  it('refuses Ironic API calls from an address no host was leased', async () => {
    const before = ironic.requests.length;
    const answer = await request(`${proxyUrl}/v1/lookup?addresses=${MAC_A}`, { localAddress: '127.0.0.4' });
    expect(answer.status).toBe(403);
    expect(ironic.requests.length).toBe(before);
  });

  it('does not follow an agent’s redirect, nor pass it on to Ironic', async () => {
    agentA.respond = (_req, res) => {
      res.writeHead(302, { location: `${stranger.callbackUrl}/v1/commands/`, 'content-length': 0 }).end();
    };
    try {
      const answer = await asIronic('/agent/http/127.0.0.2/v1/commands/');
      expect(answer.status).toBe(502);
      expect(answer.headers.location).toBeUndefined();
      strangerUntouched();
      expect(proxy.stats.failed['redirect-refused']).toBeGreaterThanOrEqual(1);
    } finally {
      agentA.respond = AgentStandIn.defaultResponder;
    }
  });

  it('refuses an oversize heartbeat body', async () => {
    const before = ironic.requests.length;
    const answer = await heartbeat(proxyUrl, agentA, UUID_A, {
      callback_url: agentA.callbackUrl,
      padding: 'x'.repeat(100 * 1024),
    });
    expect(answer.status).toBe(413);
    expect(ironic.requests.length).toBe(before);
  });

  it('refuses an inspection upload that announces more than the limit', async () => {
    const before = ironic.requests.length;
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: proxy.port,
          path: '/v1/continue_inspection',
          method: 'POST',
          localAddress: agentA.address,
          headers: { 'content-type': 'application/json', 'content-length': 40 * 1024 * 1024 },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{"inventory": ');
    });
    expect(status).toBe(413);
    expect(ironic.requests.length).toBe(before);
  });

  it('refuses methods other than the ones each path allows', async () => {
    const calls: [string, string, string | undefined][] = [
      ['DELETE', `/v1/lookup?addresses=${MAC_A}`, agentA.address],
      ['GET', `/v1/heartbeat/${UUID_A}`, agentA.address],
      ['PUT', '/v1/continue_inspection', agentA.address],
      ['DELETE', '/agent/http/127.0.0.2/v1/commands/', undefined],
      ['PATCH', '/agent/http/127.0.0.2/v1/commands/', undefined],
    ];
    for (const [method, path, localAddress] of calls) {
      const answer = await request(`${proxyUrl}${path}`, { method, ...(localAddress ? { localAddress } : {}) });
      expect(answer.status, `${method} ${path}`).toBe(405);
    }
  });

  it('refuses encoded CR/LF meant to inject headers, in path and query', async () => {
    const before = ironic.requests.length;
    const injectedPath = await rawHttp(
      '127.0.0.1',
      proxy.port,
      `POST /v1/heartbeat/${UUID_A}%0d%0aHost:%20evil HTTP/1.1\r\nHost: x\r\ncontent-length: 0\r\n\r\n`,
    );
    expect(injectedPath).toMatch(/^HTTP\/1\.1 400/);
    const injectedQuery = await request(
      `${proxyUrl}/v1/lookup?addresses=${MAC_A}%0d%0aX-Injected:%201&node_uuid=${UUID_A}`,
      { localAddress: agentA.address },
    );
    expect(injectedQuery.status).toBe(400);
    // A raw CR inside a header value is rejected by the HTTP parser before it gets anywhere.
    const rawCr = await rawHttp('127.0.0.1', proxy.port, `GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\rX-B: 2\r\n\r\n`);
    expect(rawCr).toMatch(/^HTTP\/1\.1 400/);
    expect(ironic.requests.length).toBe(before);
  });

  it('ignores Host header tricks: Ironic sees its own host and none of the client’s routing headers', async () => {
    const answer = await request(`${proxyUrl}/v1/lookup?addresses=${MAC_A}&url=http://127.0.0.4/`, {
      localAddress: agentA.address,
      headers: {
        host: `127.0.0.4:${stranger.port}`,
        'x-forwarded-host': 'evil.example',
        'x-forwarded-for': '10.0.0.1',
        forwarded: 'host=evil.example',
        cookie: 'a=b',
        'proxy-authorization': 'Basic Zm9vOmJhcg==',
      },
    });
    expect(answer.status).toBe(200);
    const seen = ironic.requests.at(-1);
    expect(seen?.headers.host).toBe(new URL(ironic.url).host);
    for (const name of ['x-forwarded-host', 'x-forwarded-for', 'forwarded', 'cookie', 'proxy-authorization'])
      expect(seen?.headers[name], name).toBeUndefined();
    // Only the parameters lookup takes are passed on.
    expect(seen?.url).toBe(`/v1/lookup?addresses=${encodeURIComponent(MAC_A)}`);
    strangerUntouched();
  });
});
