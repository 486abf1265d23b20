import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { MockActivityEnvironment } from '@temporalio/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIpamActivities } from '../../../activities/ipam/index.js';
import { BMH_API_VERSION, BMH_GROUP, BMH_PLURAL, BMH_VERSION } from '../../../api/bareMetalHost.js';
import { machineKey } from '../../../ipam/naming.js';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { createIpAllocationApi } from '../../../k8s/ipAllocations.js';
import { useTestEnv } from '../../support/testEnv.js';
import { allocationsServed } from './allocationsServed.js';
import { runAllocations, type AllocationJob, type AllocationOutcome } from './runAllocations.js';
import { IpamFailureType } from '../../../contracts/ipamFailureTypes.js';

const env = useTestEnv();

// 10.20.0.1/24 has 253 addresses besides the gateway. 90 are reserved, 10 are annotated on hosts we
// did not lease, and 3 are allocated before the race: 150 remain for 200 Machines.
const network = {
  networkCidr: '10.20.0.1/24',
  reservedAddresses: '10.20.0.2-10.20.0.91',
  dnsServers: '10.20.0.53',
  ntpServers: '10.20.0.123',
};
const STATIC_ADDRESSES = Array.from({ length: 10 }, (_, i) => `10.20.0.${92 + i}`);
const RACERS = Array.from({ length: 200 }, (_, i) => i);
const EARLY = [900, 901, 902];
const LATE = 950;

function host(name: string, annotations: Record<string, string> = {}) {
  return {
    apiVersion: BMH_API_VERSION,
    kind: 'BareMetalHost',
    metadata: { name, annotations },
    spec: { online: false, bootMACAddress: '52:54:00:00:00:01' },
  };
}

async function createHosts(names: { name: string; annotations?: Record<string, string> }[]): Promise<void> {
  const api = env.kubeConfig.makeApiClient(CustomObjectsApi);
  const where = { group: BMH_GROUP, version: BMH_VERSION, plural: BMH_PLURAL, namespace: env.namespace };
  for (let i = 0; i < names.length; i += 25) {
    await Promise.all(
      names
        .slice(i, i + 25)
        .map((h) => api.createNamespacedCustomObject({ ...where, body: host(h.name, h.annotations) })),
    );
  }
}

/** Runs a job in a second Node.js process; resolves once that process is ready to start, with a `go` to start it. */
async function childProcess(job: AllocationJob): Promise<{ go: () => Promise<AllocationOutcome[]> }> {
  const script = fileURLToPath(new URL('./allocateInChild.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  child.stdin.write(`${JSON.stringify({ ...job, kubeconfigPath: env.kubeconfigPath })}\n`);
  const ready = await lines.next();
  expect(ready.value).toBe('ready');
  return {
    go: async () => {
      child.stdin.write('go\n');
      const result = await lines.next();
      child.stdin.end();
      return JSON.parse(String(result.value)) as AllocationOutcome[];
    },
  };
}

describe('allocateAddress across two processes', () => {
  beforeAll(async () => {
    await allocationsServed(env.kubeConfig, env.namespace);
    await createHosts([
      ...RACERS.map((i) => ({ name: `host-${i}` })),
      ...[...EARLY, LATE].map((i) => ({ name: `host-${i}` })),
      ...STATIC_ADDRESSES.map((address, i) => ({
        name: `static-${i}`,
        annotations: { 'metal3.vcluster.com/ip-address': `${address}/24` },
      })),
    ]);
    const early: AllocationOutcome[] = [];
    for (const i of EARLY) {
      early.push(
        ...(await runAllocations(env.kubeConfig, {
          namespace: env.namespace,
          network,
          machines: [i],
          startAt: 'lowest',
        })),
      );
    }
    expect(early.map((outcome) => ('address' in outcome ? outcome.address : outcome.message))).toEqual([
      '10.20.0.102',
      '10.20.0.103',
      '10.20.0.104',
    ]);
  });

  it('gives 150 of 200 concurrent Machines distinct addresses and the other 50 a typed exhaustion failure', async () => {
    const job = (machines: number[], startAt: AllocationJob['startAt']): AllocationJob => ({
      namespace: env.namespace,
      network,
      machines,
      startAt,
    });
    const other = await childProcess(
      job(
        RACERS.filter((i) => i % 2 === 1),
        'random',
      ),
    );
    const [here, there] = await Promise.all([
      runAllocations(
        env.kubeConfig,
        job(
          RACERS.filter((i) => i % 2 === 0),
          'lowest',
        ),
      ),
      other.go(),
    ]);
    const outcomes = [...here, ...there];

    const won = outcomes.flatMap((o) => ('address' in o ? [o] : []));
    const lost = outcomes.flatMap((o) => ('failureType' in o ? [o] : []));
    expect(won).toHaveLength(150);
    expect(new Set(won.map((o) => o.address)).size).toBe(150);
    expect(lost).toHaveLength(50);
    for (const failure of lost) {
      expect(failure.failureType).toBe(IpamFailureType.AddressPoolExhausted);
      expect(failure.retryable).toBe(true);
      expect(failure.message).toMatch(
        /address pool pool-[0-9a-f]{10} \(10\.20\.0\.1\/24\) is exhausted: all 163 allocatable/,
      );
    }
    const excluded = new Set([...STATIC_ADDRESSES, '10.20.0.1', '10.20.0.102', '10.20.0.103', '10.20.0.104']);
    for (const { address } of won) {
      const last = Number(address.split('.')[3]);
      expect(excluded.has(address) || last <= 91).toBe(false);
    }

    // Every allocation object belongs to a Machine that was told it holds that address, and its host carries the lease.
    const allocations = await createIpAllocationApi(env.kubeConfig, env.namespace).list();
    const held = new Map(won.map((o) => [o.machine, o.address]));
    for (const i of EARLY) held.set(`machine-${i}`, `10.20.0.${102 + i - 900}`);
    expect(allocations).toHaveLength(153);
    for (const allocation of allocations) {
      expect(allocation.spec.machine.namespace).toBe('tenant');
      expect(held.get(allocation.spec.machine.name)).toBe(allocation.spec.address);
      expect(allocation.spec.host).toBe(allocation.spec.machine.name.replace('machine-', 'host-'));
    }
    const hosts = await createBareMetalHostApi(env.kubeConfig, env.namespace).list();
    for (const h of hosts.items.filter((item) => item.metadata.name.startsWith('host-'))) {
      const address = held.get(h.metadata.name.replace('host-', 'machine-'));
      const annotations = h.metadata.annotations ?? {};
      if (address === undefined) {
        expect(annotations['metal3.vcluster.com/ip-address']).toBeUndefined();
      } else {
        expect(annotations).toMatchObject({
          'metal3.vcluster.com/ip-address': `${address}/24`,
          'metal3.vcluster.com/gateway': '10.20.0.1',
          'metal3.vcluster.com/dns-servers': '10.20.0.53',
          'metal3.vcluster.com/ntp-servers': '10.20.0.123',
        });
      }
    }
  });

  it('is idempotent, releases once and frees the address for the next Machine', async () => {
    const ipam = createIpamActivities({ kubeConfig: env.kubeConfig, namespace: env.namespace });
    const machine = { namespace: 'tenant', name: 'machine-900' };
    const again = await ipam.allocateAddress({ machine, host: 'host-900', network });
    expect(again.address).toBe('10.20.0.102');

    expect(await ipam.releaseAddress({ machine })).toEqual({ released: ['10.20.0.102'] });
    expect(await ipam.releaseAddress({ machine })).toEqual({ released: [] });
    const released = await createBareMetalHostApi(env.kubeConfig, env.namespace).get('host-900');
    expect(
      Object.keys(released.metadata.annotations ?? {}).filter((k) => k.startsWith('metal3.vcluster.com/')),
    ).toEqual([]);

    const next = await ipam.allocateAddress({
      machine: { namespace: 'tenant', name: `machine-${LATE}` },
      host: `host-${LATE}`,
      network,
    });
    expect(next.address).toBe('10.20.0.102');
  });

  it('a retried attempt finds the allocation its failed attempt made before the lease reached the host', async () => {
    await createHosts([{ name: 'host-crash' }]);
    const machine = { namespace: 'tenant', name: 'machine-crash' };
    const crashNetwork = { networkCidr: '10.40.0.1/24' };
    const first = createIpamActivities({ kubeConfig: env.kubeConfig, namespace: env.namespace });
    const lease = await first.allocateAddress({ machine, host: 'host-crash', network: crashNetwork });
    // The failed attempt: its allocation exists, the host never got the lease.
    const hosts = createBareMetalHostApi(env.kubeConfig, env.namespace);
    const leased = await hosts.get('host-crash');
    await hosts.replace({ ...leased, metadata: { ...leased.metadata, annotations: {} } });

    const retried = createIpamActivities({ kubeConfig: env.kubeConfig, namespace: env.namespace });
    const again = await new MockActivityEnvironment({ attempt: 2 }).run(
      (input: Parameters<typeof retried.allocateAddress>[0]) => retried.allocateAddress(input),
      {
        machine,
        host: 'host-crash',
        network: crashNetwork,
      },
    );
    expect(again).toEqual(lease);
    const mine = await createIpAllocationApi(env.kubeConfig, env.namespace).list({
      'metal3-provider.io/machine': machineKey(machine),
    });
    expect(mine.map((a) => a.spec.address)).toEqual([lease.address]);
    const host = await hosts.get('host-crash');
    expect(host.metadata.annotations?.['metal3.vcluster.com/ip-address']).toBe(`${lease.address}/24`);
    expect(await first.releaseAddress({ machine })).toEqual({ released: [lease.address] });
  });

  it('fails without retry on an invalid network and on a missing host', async () => {
    const ipam = createIpamActivities({ kubeConfig: env.kubeConfig, namespace: env.namespace });
    const machine = { namespace: 'tenant', name: 'machine-x' };
    await expect(
      ipam.allocateAddress({ machine, host: 'host-0', network: { networkCidr: '10.20.0.0/24' } }),
    ).rejects.toMatchObject({
      type: IpamFailureType.InvalidNetworkConfig,
      nonRetryable: true,
      message: expect.stringContaining('names the network address of 10.20.0.0/24 as the gateway') as unknown,
    });
    await expect(
      ipam.allocateAddress({ machine, host: 'no-such-host', network: { networkCidr: '10.30.0.1/24' } }),
    ).rejects.toMatchObject({ type: IpamFailureType.HostNotFound, nonRetryable: true });
  });
});
