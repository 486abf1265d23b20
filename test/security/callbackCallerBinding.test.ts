import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineWatcher, NamespaceLab, ipIn, requestLease, runIn } from '../e2e/dhcp/netns.js';

/**
 * Attack: a host on the provisioning network impersonates another to Ironic through the IPA callback
 * proxy: looks up with the other's MAC or node, heartbeats for the other's node, or points the agent
 * route at the other's agent. Expected: 403 with a body that reads the same whether the MAC or node
 * exists, Ironic never sees the request, and both hosts' own calls still go through.
 *
 * The IPA callback proxy ties each request to its caller, on a real (virtual) provisioning network:
 * two hosts, A and B, on one bridge with the boot server; each gets its address from our DHCP server
 * with busybox udhcpc, runs an agent stand-in there, and calls the proxy with curl. Ironic is a
 * stand-in beside the boot server that calls agents back through the proxy. Host B must not look up
 * or heartbeat for A, nor reach A's agent; B's own calls, and A's, go through.
 */

const SERVER_IP = '10.214.0.1';
const AGENT_PORT = 9999;
const A = { name: 'server-a', mac: 'aa:bb:cc:dd:14:0a', nic: 'aa:bb:cc:dd:15:0a', ip: '10.214.0.21' };
const B = { name: 'server-b', mac: 'aa:bb:cc:dd:14:0b', nic: 'aa:bb:cc:dd:15:0b', ip: '10.214.0.22' };
const NODE_A = '0a0a0a0a-1414-4000-8000-00000000000a';
const NODE_B = '0b0b0b0b-1414-4000-8000-00000000000b';
/** A MAC and a node no host has: refusals for them must read exactly as those for A's. */
const NOBODY_MAC = 'aa:bb:cc:dd:14:ff';
const NOBODY_NODE = '0f0f0f0f-1414-4000-8000-00000000000f';
const PROXY = `http://${SERVER_IP}:8081`;

const lab = new NamespaceLab(`m3c${process.pid % 100000}`);
const work = mkdtempSync(path.join(tmpdir(), 'callback-binding-'));
let nsA: string;
let nsB: string;
let server: LineWatcher;
let ironic: LineWatcher;
const agents: Record<string, LineWatcher> = {};
const tokens: Record<string, string> = {};

interface Event {
  event: string;
  method?: string;
  path?: string;
  url?: string;
  remote?: string;
  status?: number;
  query?: string | null;
}

const events = (watcher: LineWatcher): Event[] =>
  watcher.lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Event);

function bmh(host: typeof A, node: string): string {
  return JSON.stringify({
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: {
      name: host.name,
      namespace: 'metal3-system',
      annotations: { 'metal3.vcluster.com/ip-address': `${host.ip}/24` },
    },
    spec: { bootMACAddress: host.mac, online: true },
    // As BMO records them: the Ironic node, and the NICs inspection found.
    status: {
      provisioning: { state: 'provisioning', ID: node },
      hardware: {
        nics: [
          { name: 'eth0', mac: host.mac },
          { name: 'eth1', mac: host.nic },
        ],
      },
    },
  });
}

/** curl inside `ns`; returns the status and the body. */
function curl(
  ns: string,
  url: string,
  options: { method?: string; json?: unknown } = {},
): { status: number; body: string } {
  const args = ['curl', '-s', '--max-time', '10', '-w', '\n%{http_code}', '-X', options.method ?? 'GET'];
  if (options.json !== undefined)
    args.push('-H', 'content-type: application/json', '--data-binary', JSON.stringify(options.json));
  const result = runIn(ns, [...args, url]);
  const cut = result.stdout.lastIndexOf('\n');
  return { status: Number(result.stdout.slice(cut + 1)), body: result.stdout.slice(0, cut) };
}

const lookup = (ns: string, query: string) => curl(ns, `${PROXY}/v1/lookup?${query}`);
const heartbeatFor = (ns: string, node: string, host: typeof A) =>
  curl(ns, `${PROXY}/v1/heartbeat/${node}`, {
    method: 'POST',
    json: { callback_url: `http://${host.ip}:${AGENT_PORT}`, agent_token: tokens[host.name], agent_version: '10.0.0' },
  });
/** Lets anything a refused request might have caused reach the stand-ins' output before it is checked. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 500));
const ironicSaw = (test: (event: Event) => boolean): Event[] =>
  events(ironic).filter((event) => event.event === 'ironic-request' && test(event));

beforeAll(async () => {
  writeFileSync(path.join(work, 'hosts.yaml'), [bmh(A, NODE_A), bmh(B, NODE_B)].join('\n---\n'));

  const srv = lab.namespace('srv');
  nsA = lab.namespace('ha');
  nsB = lab.namespace('hb');
  // One provisioning network: both hosts on a bridge with the boot server.
  lab.link({ ns: srv, dev: 's0' }, { ns: nsA, dev: 'c0', mac: A.mac });
  lab.link({ ns: srv, dev: 's1' }, { ns: nsB, dev: 'c0', mac: B.mac });
  ipIn(srv, 'link', 'add', 'br0', 'type', 'bridge');
  for (const port of ['s0', 's1']) ipIn(srv, 'link', 'set', port, 'master', 'br0');
  ipIn(srv, 'addr', 'add', `${SERVER_IP}/24`, 'dev', 'br0');
  ipIn(srv, 'link', 'set', 'br0', 'up');

  const standIn = (ns: string, args: string[]): LineWatcher =>
    new LineWatcher(
      lab.spawnIn(ns, [process.execPath, '--import', 'tsx', 'test/e2e/dhcp/runCallbackStandIn.ts', ...args]),
    );
  ironic = standIn(srv, [
    'ironic',
    '127.0.0.1',
    JSON.stringify([
      { uuid: NODE_A, macs: [A.mac, A.nic] },
      { uuid: NODE_B, macs: [B.mac, B.nic] },
    ]),
  ]);
  const ready = JSON.parse(await ironic.waitFor((line) => line.includes('"ready"'), 60_000)) as { url: string };
  writeFileSync(
    path.join(work, 'values.yaml'),
    [
      'dhcp:',
      '  serverIP: "$(SERVER_IP)"',
      'tftp:',
      '  listenAddr: ""',
      'proxy:',
      '  ironicHttpUrl: "http://127.0.0.1:6180"',
      `  ironicApiUrl: "${ready.url}"`,
    ].join('\n'),
  );
  server = new LineWatcher(
    lab.spawnIn(srv, [
      'env',
      `SERVER_IP=${SERVER_IP}`,
      process.execPath,
      '--import',
      'tsx',
      'test/e2e/dhcp/runBootServer.ts',
      'boot-server',
      '-f',
      path.join(work, 'values.yaml'),
      '--boot-files-dir',
      work,
      '--hosts-file',
      path.join(work, 'hosts.yaml'),
    ]),
  );
  await server.waitFor((line) => line.includes('IPA callback proxy listening'), 60_000);
  await server.waitFor((line) => line.includes('DHCP server listening'), 60_000);

  // Each host takes the address our DHCP server leases it, and its agent listens there.
  for (const [ns, host] of [
    [nsA, A],
    [nsB, B],
  ] as const) {
    expect(requestLease(ns, work, { tries: 5, timeoutMs: 30_000 })).toMatchObject({ ip: host.ip, serverid: SERVER_IP });
    ipIn(ns, 'addr', 'add', `${host.ip}/24`, 'dev', 'c0');
    agents[host.name] = standIn(ns, ['agent', host.ip, String(AGENT_PORT)]);
    await agents[host.name]?.waitFor((line) => line.includes('"ready"'), 60_000);
  }
}, 180_000);

afterAll(async () => {
  await lab.destroy();
  rmSync(work, { recursive: true, force: true });
});

const agentCalls = (host: typeof A): Event[] =>
  events(agents[host.name] as LineWatcher).filter((event) => event.event === 'agent-request');

describe('each host through the proxy as IPA calls it', () => {
  it.each([
    ['A', A, NODE_A],
    ['B', B, NODE_B],
  ] as const)(
    'host %s looks itself up by all its MACs and heartbeats; Ironic calls its agent back',
    async (_, host, node) => {
      const ns = host === A ? nsA : nsB;
      const found = lookup(ns, `addresses=${host.mac},${host.nic}`);
      expect(found.status, found.body).toBe(200);
      const answer = JSON.parse(found.body) as { node: { uuid: string }; config: { agent_token: string } };
      expect(answer.node.uuid).toBe(node);
      tokens[host.name] = answer.config.agent_token;
      expect(lookup(ns, `addresses=${host.mac}&node_uuid=${node}`).status).toBe(200);
      tokens[host.name] = (JSON.parse(lookup(ns, `addresses=${host.mac}`).body) as typeof answer).config.agent_token;

      const before = agentCalls(host).length;
      expect(heartbeatFor(ns, node, host).status).toBe(202);
      await agents[host.name]?.waitFor(
        (line) => agentCalls(host).length >= before + 2 && line.includes('"POST"'),
        20_000,
      );
      // Ironic called back through the proxy (its address on the bridge), at this host's own agent.
      expect(agentCalls(host).slice(before)).toEqual([
        { event: 'agent-request', method: 'GET', path: '/v1/commands/', remote: SERVER_IP },
        { event: 'agent-request', method: 'POST', path: '/v1/commands/', remote: SERVER_IP },
      ]);
      // The Ironic stand-in prints what it got on its own clock, so its line may come after the agent's.
      await ironic.waitFor((line) => line.includes('"ironic-request"') && line.includes(`/v1/heartbeat/${node}`));
      expect(ironicSaw((event) => event.path === `/v1/heartbeat/${node}`).length).toBeGreaterThanOrEqual(1);
    },
  );
});

describe('host B cannot act for host A', () => {
  it('refuses B’s lookup naming A’s MAC or node with 403, reading exactly as for a MAC or node nobody has', async () => {
    const before = events(ironic).length;
    const refusals = [
      lookup(nsB, `addresses=${A.mac}`),
      lookup(nsB, `addresses=${B.mac},${A.mac}`),
      lookup(nsB, `addresses=${A.nic}`),
      lookup(nsB, `addresses=${B.mac}&node_uuid=${NODE_A}`),
    ];
    const nobody = [lookup(nsB, `addresses=${NOBODY_MAC}`), lookup(nsB, `addresses=${B.mac}&node_uuid=${NOBODY_NODE}`)];
    for (const answer of [...refusals, ...nobody]) {
      expect(answer.status).toBe(403);
      expect(answer.body).toBe(nobody[0]?.body);
      for (const secret of [A.mac, A.nic, NODE_A, A.name, A.ip]) expect(answer.body).not.toContain(secret);
    }
    expect(nobody[0]?.body).toMatch(/^lookup refused: an agent may look up only its own host/);
    // None of them reached Ironic.
    await settle();
    expect(
      events(ironic)
        .slice(before)
        .filter((event) => event.event === 'ironic-request'),
    ).toEqual([]);
  });

  it('refuses B’s heartbeat for A’s node, also with B’s own valid token and callback', async () => {
    const before = ironicSaw(() => true).length;
    const callbacksBefore = agentCalls(A).length;
    const refused = heartbeatFor(nsB, NODE_A, B);
    expect(refused.status).toBe(403);
    expect(refused.body).toBe(heartbeatFor(nsB, NOBODY_NODE, B).body);
    expect(refused.body).not.toContain(NODE_A);
    await settle();
    expect(ironicSaw(() => true).length).toBe(before);
    expect(agentCalls(A).length).toBe(callbacksBefore);
  });

  it('refuses to point the agent route at A (or anywhere but B) from B; B’s own agent answers', async () => {
    const before = agentCalls(A).length;
    const refused = [
      curl(nsB, `${PROXY}/agent/http/${A.ip}/v1/commands/`),
      curl(nsB, `${PROXY}/agent/http/${A.ip}/v1/commands/?wait=true`, {
        method: 'POST',
        json: { name: 'standby.power_off', params: {} },
      }),
      curl(nsB, `${PROXY}/agent/https/${A.ip}/v1/commands/`),
      curl(nsB, `${PROXY}/agent/http/10.214.0.99/v1/commands/`),
    ];
    for (const answer of refused) {
      expect(answer.status).toBe(403);
      expect(answer.body).toBe(refused[0]?.body);
      expect(answer.body).not.toContain(A.ip);
    }
    await settle();
    expect(agentCalls(A).length).toBe(before);

    const ownBefore = agentCalls(B).length;
    const own = curl(nsB, `${PROXY}/agent/http/${B.ip}/v1/commands/`);
    expect(own.status).toBe(200);
    expect(JSON.parse(own.body)).toMatchObject({ commands: [{ command_name: 'get_clean_steps' }] });
    await agents[B.name]?.waitFor(() => agentCalls(B).length > ownBefore);
    expect(agentCalls(B).at(-1)).toMatchObject({ method: 'GET', remote: SERVER_IP });
  });

  it('logs each refusal with its reason, the caller and what it named, and no token', async () => {
    for (const reason of ['lookup-other-mac', 'lookup-other-node', 'heartbeat-other-node', 'agent-other-host'])
      await server.waitFor(
        (line) => line.includes(`"reason":"${reason}"`) && line.includes('"caller":"metal3-system/server-b"'),
      );
    const refusals = server.lines.filter((line) => line.includes('callback proxy refused'));
    expect(refusals.some((line) => line.includes(`"node":"${NODE_A}"`))).toBe(true);
    for (const token of Object.values(tokens)) expect(server.lines.join('\n')).not.toContain(token);
  });

  it('still serves A normally', () => {
    const found = lookup(nsA, `addresses=${A.mac}`);
    expect(found.status).toBe(200);
    tokens[A.name] = (JSON.parse(found.body) as { config: { agent_token: string } }).config.agent_token;
    expect(heartbeatFor(nsA, NODE_A, A).status).toBe(202);
  });
});
