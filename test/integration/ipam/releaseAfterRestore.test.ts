import { describe, expect, it } from 'vitest';
import { clearHostLease } from '../../../activities/ipam/hostLease.js';
import { BMH_API_VERSION } from '../../../api/bareMetalHost.js';
import { IP_ADDRESS_ANNOTATION } from '../../../ipam/lease.js';
import { machineKey } from '../../../ipam/naming.js';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { createIpAllocationApi, MACHINE_LABEL } from '../../../k8s/ipAllocations.js';
import { useTestEnv } from '../../support/testEnv.js';
import { useCountedIpam } from './countedIpam.js';

// The activities go through the counting proxy, so it counts exactly the reads the release makes.
const env = useTestEnv();
const network = { networkCidr: '10.60.0.1/24' };
const { ipam, proxy } = useCountedIpam(env);

const hosts = () => createBareMetalHostApi(env.kubeConfig, env.namespace);

/** A host leased to a Machine of the same name: the Machine, its lease, and the address as annotated. */
async function leasedHost(name: string) {
  await hosts().create({
    apiVersion: BMH_API_VERSION,
    kind: 'BareMetalHost',
    metadata: { name, annotations: { 'example.com/owner': 'ops' } },
    spec: { online: false, bootMACAddress: '52:54:00:00:06:01' },
  });
  const machine = { namespace: 'tenant', name };
  const lease = await ipam().allocateAddress({ machine, host: name, network });
  return { machine, lease, ipAddress: `${lease.address}/${lease.prefix}` };
}

const leaseOn = async (host: string) => (await hosts().get(host)).metadata.annotations?.[IP_ADDRESS_ANNOTATION];
const allocationsOf = (machine: { namespace: string; name: string }) =>
  createIpAllocationApi(env.kubeConfig, env.namespace).list({ [MACHINE_LABEL]: machineKey(machine) });

describe('freeing the address of a host the release has just restored', () => {
  it('reads no host when the restore left it without the address', async () => {
    const { machine, lease, ipAddress } = await leasedHost('restored-clear');
    // As the restore leaves it: the host's original annotations, which carried no lease.
    await clearHostLease(hosts(), 'restored-clear', ipAddress);
    expect(await leaseOn('restored-clear')).toBeUndefined();
    proxy().resetCounts();
    const released = await ipam().releaseAddress({
      machine,
      restored: { host: 'restored-clear', addressLeftOnHost: null },
    });
    const counts = proxy().counts();

    expect(released).toEqual({ released: [lease.address] });
    expect(counts.readsByResource['get baremetalhosts']).toBeUndefined();
    expect(counts.writesByResource.baremetalhosts).toBeUndefined();
    expect(await allocationsOf(machine)).toEqual([]);
  });

  it('takes the lease off when the restore left this address, when it was not reported, and on another host', async () => {
    const keptByRestore = await leasedHost('restored-kept');
    await ipam().releaseAddress({
      machine: keptByRestore.machine,
      restored: { host: 'restored-kept', addressLeftOnHost: keptByRestore.ipAddress },
    });
    expect(await leaseOn('restored-kept')).toBeUndefined();

    const notReported = await leasedHost('not-reported');
    await ipam().releaseAddress({ machine: notReported.machine });
    expect(await leaseOn('not-reported')).toBeUndefined();

    const otherHost = await leasedHost('other-host');
    await ipam().releaseAddress({
      machine: otherHost.machine,
      restored: { host: 'restored-clear', addressLeftOnHost: null },
    });
    expect(await leaseOn('other-host')).toBeUndefined();
    expect((await hosts().get('other-host')).metadata.annotations?.['example.com/owner']).toBe('ops');
  });
});
