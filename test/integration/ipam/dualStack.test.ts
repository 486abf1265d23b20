import { CoreV1Api } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { useMachineStack } from '../../support/machineStack.js';
import { runCli } from '../../support/workerProcess.js';
import { allocations, hostApi } from '../reclaim/reclaimKit.js';

const stack = useMachineStack({ hosts: 2 });

/** A node type with one IPv4 and one IPv6 network, written with the spec's keys. */
const dualStack = {
  'metal3.vcluster.com/network-cidr': '10.61.0.1/24,fd00:61::1/64',
  'metal3.vcluster.com/network-ip-range': '10.61.0.20-10.61.0.29,fd00:61::100-fd00:61::1ff',
  'metal3.vcluster.com/dns-servers': '10.61.0.53,fd00:61::53',
};

const cli = (...args: string[]) => runCli(stack.env, ...args);

async function secretText(name: string, key: string): Promise<string> {
  const secret = await stack.env.kubeConfig
    .makeApiClient(CoreV1Api)
    .readNamespacedSecret({ name, namespace: stack.env.namespace });
  return Buffer.from(secret.data?.[key] ?? '', 'base64').toString();
}

describe('a dual-stack Machine', () => {
  it('gets an IPv4 and an IPv6 address, both in its network data, the IPv4 lease on its host, and gives both back', async () => {
    await stack.client.provisionMachine(stack.claim('ds1', dualStack));
    const ready = await stack.waitForPhase('ds1', 'Ready');
    // Workers start their search at a random place in each range.
    expect(ready.address).toMatch(/^10\.61\.0\.2\d\/24$/);
    const ipv4 = ready.address?.split('/')[0] ?? '';

    const held = (await allocations(stack)).map((a) => [a.spec.machine.name, a.spec.address]).sort();
    expect(held).toEqual([
      ['ds1', ipv4],
      ['ds1', expect.stringMatching(/^fd00:61::1[0-9a-f]{2}$/)],
    ]);
    const ipv6 = held[1]?.[1] ?? '';
    // Status, `machine status` and the search attribute: both addresses, IPv4 first and as `MachineAddress`.
    expect(ready.addresses).toEqual([`${ipv4}/24`, `${ipv6}/64`]);
    const shown = await cli('machine', 'status', 'ds1', '-n', stack.env.namespace);
    expect(shown.stdout).toContain(`Address:    ${ipv4}/24, ${ipv6}/64\n`);
    const listedMachines = await stack.client.listMachines({ phase: 'Ready' });
    expect(listedMachines.find((m) => m.machine === `${stack.env.namespace}/ds1`)?.address).toBe(`${ipv4}/24`);

    // The DHCP server reads the IPv4 lease: address, gateway, and the IPv4 DNS server only.
    const host = await hostApi(stack).get(ready.host ?? '');
    expect(host.metadata.annotations).toMatchObject({
      'metal3.vcluster.com/ip-address': `${ipv4}/24`,
      'metal3.vcluster.com/gateway': '10.61.0.1',
      'metal3.vcluster.com/dns-servers': '10.61.0.53',
    });

    const networkData = JSON.parse(await secretText(host.spec.networkData?.name ?? '', 'networkData')) as {
      networks: { type: string; ip_address: string; netmask: string; routes: { gateway: string }[] }[];
      services: { type: string; address: string }[];
    };
    expect(networkData.networks.map((n) => [n.type, n.ip_address, n.netmask, n.routes[0]?.gateway])).toEqual([
      ['ipv4', ipv4, '255.255.255.0', '10.61.0.1'],
      ['ipv6', ipv6, 'ffff:ffff:ffff:ffff::', 'fd00:61::1'],
    ]);
    expect(networkData.services).toEqual([
      { type: 'dns', address: '10.61.0.53' },
      { type: 'dns', address: 'fd00:61::53' },
    ]);

    const listed = await cli('ipam', 'list', '-n', stack.env.namespace);
    expect(listed.code).toBe(0);
    const machine = `${stack.env.namespace}/ds1`;
    expect(listed.stdout).toMatch(
      /pool-[0-9a-f]{10} {2}IPv4 10\.61\.0\.1\/24 range 10\.61\.0\.20-10\.61\.0\.29: 1 allocated, 9 free of 10/,
    );
    expect(listed.stdout).toMatch(
      /pool-[0-9a-f]{10} {2}IPv6 fd00:61::1\/64 range fd00:61::100-fd00:61::1ff: 1 allocated, 255 free of 256/,
    );
    const rows = listed.stdout.split('\n').filter((line) => line.includes(`${machine} `));
    expect(rows.map((row) => row.trim().split(/\s+/)[0])).toEqual([ipv4, ipv6]);
    expect(rows.join('\n')).not.toMatch(/GONE|unknown/);

    const checked = await cli('check', '--namespace', stack.env.namespace);
    expect(checked.stdout).toContain('address allocations by family: 1 IPv4, 1 IPv6');
    expect(checked.stdout).toContain('ok   address-one-per-family');
    expect(checked.stdout).toContain('all invariants hold');
    expect(checked.code).toBe(0);

    await stack.client.releaseMachine({ namespace: stack.env.namespace, name: 'ds1' });
    const gone = await stack.waitForPhase('ds1', 'Released');
    expect([gone.address, gone.addresses]).toEqual([undefined, undefined]);
    expect(await allocations(stack)).toEqual([]);
    const released = await hostApi(stack).get(ready.host ?? '');
    expect(
      Object.keys(released.metadata.annotations ?? {}).filter((key) => key.startsWith('metal3.vcluster.com/')),
    ).toEqual([]);
    expect((await cli('ipam', 'list', '-n', stack.env.namespace)).stdout).toBe('no allocations\n');
  });

  it('keeps its IPv4 address while the IPv6 pool is exhausted, and goes on with no second IPv4 address once one frees', async () => {
    const oneIpv6 = {
      ...dualStack,
      'metal3.vcluster.com/network-ip-range': '10.61.0.20-10.61.0.29,fd00:61::100-fd00:61::100',
    };
    await stack.client.provisionMachine(stack.claim('ds2', oneIpv6));
    await stack.waitForPhase('ds2', 'Ready');
    await stack.client.provisionMachine(stack.claim('ds3', oneIpv6));
    const stuck = await stack.waitForPhase('ds3', 'Stuck');
    expect(stuck.lastError).toContain('is exhausted');

    await stack.client.releaseMachine({ namespace: stack.env.namespace, name: 'ds2' });
    await stack.waitForPhase('ds2', 'Released');
    // Asked again, the allocation finds its IPv4 address on its host and takes the freed IPv6 one.
    await stack.client.retryMachine({ namespace: stack.env.namespace, name: 'ds3' });
    const ready = await stack.waitForPhase('ds3', 'Ready');
    const held = (await allocations(stack)).map((a) => [a.spec.machine.name, a.spec.address]).sort();
    expect(held).toEqual([
      ['ds3', ready.address?.split('/')[0] ?? ''],
      ['ds3', 'fd00:61::100'],
    ]);
    expect((await cli('check', '--namespace', stack.env.namespace)).code).toBe(0);
    await stack.client.releaseMachine({ namespace: stack.env.namespace, name: 'ds3' });
    await stack.waitForPhase('ds3', 'Released');
  });
});
