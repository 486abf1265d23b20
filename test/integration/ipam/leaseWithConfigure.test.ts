import { describe, expect, it } from 'vitest';
import { createIpamActivities } from '../../../activities/ipam/index.js';
import { BMH_API_VERSION } from '../../../api/bareMetalHost.js';
import { IP_ADDRESS_ANNOTATION } from '../../../ipam/lease.js';
import { machineKey } from '../../../ipam/naming.js';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { createIpAllocationApi, MACHINE_LABEL } from '../../../k8s/ipAllocations.js';
import { useTestEnv } from '../../support/testEnv.js';
import { useCountedIpam } from './countedIpam.js';

// The configure step writes the lease, so allocating an address leaves the host alone; the counting
// proxy sees every request the activities make.
const env = useTestEnv();
const { ipam, proxy } = useCountedIpam(env);

const hosts = () => createBareMetalHostApi(env.kubeConfig, env.namespace);
const allocatedTo = async (machine: { namespace: string; name: string }) =>
  (await createIpAllocationApi(env.kubeConfig, env.namespace).list({ [MACHINE_LABEL]: machineKey(machine) }))
    .map((allocation) => allocation.spec.address)
    .sort();

async function createHost(name: string, mac: string): Promise<void> {
  await hosts().create({
    apiVersion: BMH_API_VERSION,
    kind: 'BareMetalHost',
    metadata: { name },
    spec: { online: false, bootMACAddress: mac },
  });
}

describe('allocating an address whose lease the configure step writes', () => {
  it('neither reads nor writes the host', async () => {
    await createHost('lease-later', '52:54:00:00:07:01');
    const machine = { namespace: 'tenant', name: 'lease-later' };
    proxy().resetCounts();
    const lease = await ipam().allocateAddress({
      machine,
      host: 'lease-later',
      network: { networkCidr: '10.70.0.1/24' },
      leaseWithConfigure: true,
    });
    const counts = proxy().counts();

    expect(lease).toMatchObject({ prefix: 24, gateway: '10.70.0.1' });
    expect(counts.readsByResource['get baremetalhosts']).toBeUndefined();
    expect(counts.writesByResource.baremetalhosts).toBeUndefined();
    expect((await hosts().get('lease-later')).metadata.annotations?.[IP_ADDRESS_ANNOTATION]).toBeUndefined();
    expect(await allocatedTo(machine)).toEqual([lease.address]);
  });

  it('gives the same address to a first attempt run again, as after a crash before the workflow recorded it', async () => {
    await createHost('lease-rerun', '52:54:00:00:07:03');
    const machine = { namespace: 'tenant', name: 'lease-rerun' };
    const input = { machine, host: 'lease-rerun', network: { networkCidr: '10.72.0.1/24' }, leaseWithConfigure: true };
    const lease = await ipam().allocateAddress(input);
    // Another worker, with no knowledge of this one's allocations, runs the step as a first attempt.
    const otherWorker = createIpamActivities({ kubeConfig: env.kubeConfig, namespace: env.namespace });
    expect(await otherWorker.allocateAddress(input)).toEqual(lease);
    expect(await allocatedTo(machine)).toEqual([lease.address]);
  });

  it('keeps the first address when asked again after the second pool was exhausted', async () => {
    await createHost('lease-later-ds', '52:54:00:00:07:02');
    const machine = { namespace: 'tenant', name: 'lease-later-ds' };
    // The IPv6 range holds one address, which another Machine takes first.
    const network = {
      networkCidr: '10.71.0.1/24,fd00:71::1/64',
      networkIpRange: '10.71.0.10-10.71.0.20,fd00:71::10-fd00:71::10',
    };
    await ipam().allocateAddress({
      machine: { namespace: 'tenant', name: 'other' },
      host: 'x',
      network,
      leaseWithConfigure: true,
    });
    await expect(
      ipam().allocateAddress({ machine, host: 'lease-later-ds', network, leaseWithConfigure: true }),
    ).rejects.toMatchObject({ type: 'AddressPoolExhausted' });
    expect(await allocatedTo(machine)).toEqual(['10.71.0.11']);

    // The other Machine frees its addresses; asked again after the failure, this Machine keeps its IPv4 address.
    await ipam().releaseAddress({ machine: { namespace: 'tenant', name: 'other' } });
    const lease = await ipam().allocateAddress({
      machine,
      host: 'lease-later-ds',
      network,
      leaseWithConfigure: true,
    });
    expect([lease.address, lease.ipv6?.address]).toEqual(['10.71.0.11', 'fd00:71::10']);
    expect(await allocatedTo(machine)).toEqual(['10.71.0.11', 'fd00:71::10']);
  });
});
