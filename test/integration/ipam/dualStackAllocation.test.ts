import { CustomObjectsApi } from '@kubernetes/client-node';
import { MockActivityEnvironment } from '@temporalio/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIpamActivities, type AllocateAddressInput } from '../../../activities/ipam/index.js';
import { BMH_API_VERSION, BMH_GROUP, BMH_PLURAL, BMH_VERSION } from '../../../api/bareMetalHost.js';
import { machineKey } from '../../../ipam/naming.js';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { createIpAllocationApi } from '../../../k8s/ipAllocations.js';
import { allocationsServed } from './allocationsServed.js';
import { useTestEnv } from '../../support/testEnv.js';

const env = useTestEnv();
const network = {
  networkCidr: '10.41.0.1/24,fd00:41::1/64',
  networkIpRange: '10.41.0.10-10.41.0.19,fd00:41::10-fd00:41::1f',
  dnsServers: 'fd00:41::53,10.41.0.53',
};

async function held(machine: { namespace: string; name: string }): Promise<string[]> {
  const mine = await createIpAllocationApi(env.kubeConfig, env.namespace).list({
    'metal3-provider.io/machine': machineKey(machine),
  });
  return mine.map((allocation) => allocation.spec.address).sort();
}

describe('allocateAddress for a dual-stack node type', () => {
  beforeAll(async () => {
    for (const [name, mac] of [
      ['host-ds', '52:54:00:00:41:01'],
      ['host-ds2', '52:54:00:00:41:02'],
    ] as const) {
      await env.kubeConfig.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
        group: BMH_GROUP,
        version: BMH_VERSION,
        plural: BMH_PLURAL,
        namespace: env.namespace,
        body: {
          apiVersion: BMH_API_VERSION,
          kind: 'BareMetalHost',
          metadata: { name },
          spec: { online: false, bootMACAddress: mac },
        },
      });
    }
    await allocationsServed(env.kubeConfig, env.namespace);
  });

  it('allocates from both pools once, however often it is asked, and a retried attempt finds both', async () => {
    const machine = { namespace: 'tenant', name: 'machine-ds' };
    const input: AllocateAddressInput = { machine, host: 'host-ds', network };
    const ipam = createIpamActivities({ kubeConfig: env.kubeConfig, namespace: env.namespace });
    const lease = await ipam.allocateAddress(input);
    expect(lease).toMatchObject({
      address: '10.41.0.10',
      prefix: 24,
      gateway: '10.41.0.1',
      dnsServers: ['fd00:41::53', '10.41.0.53'],
      ipv6: { address: 'fd00:41::10', prefix: 64, gateway: 'fd00:41::1' },
    });
    expect(lease.ipv6?.pool).not.toBe(lease.pool);

    // Asked again (a repeated step): the same two addresses, nothing new allocated.
    expect(await ipam.allocateAddress(input)).toEqual(lease);
    expect(await held(machine)).toEqual(['10.41.0.10', 'fd00:41::10']);

    // A failed attempt whose host never got the lease: the retry finds both allocations by their labels.
    const hosts = createBareMetalHostApi(env.kubeConfig, env.namespace);
    const leased = await hosts.get('host-ds');
    expect(leased.metadata.annotations).toMatchObject({
      'metal3.vcluster.com/ip-address': '10.41.0.10/24',
      'metal3.vcluster.com/dns-servers': '10.41.0.53',
    });
    await hosts.replace({ ...leased, metadata: { ...leased.metadata, annotations: {} } });
    const retried = createIpamActivities({ kubeConfig: env.kubeConfig, namespace: env.namespace });
    const again = await new MockActivityEnvironment({ attempt: 2 }).run(
      (request: AllocateAddressInput) => retried.allocateAddress(request),
      input,
    );
    expect(again).toEqual(lease);
    expect(await held(machine)).toEqual(['10.41.0.10', 'fd00:41::10']);

    // The next Machine gets the next address of each pool.
    const other = await ipam.allocateAddress({
      machine: { namespace: 'tenant', name: 'machine-ds2' },
      host: 'host-ds2',
      network,
    });
    expect([other.address, other.ipv6?.address]).toEqual(['10.41.0.11', 'fd00:41::11']);

    expect((await ipam.releaseAddress({ machine })).released.sort()).toEqual(['10.41.0.10', 'fd00:41::10']);
    expect(await held(machine)).toEqual([]);
  });
});
