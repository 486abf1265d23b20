import { describe, expect, it } from 'vitest';
import { PoolUsageCache } from '../../../activities/ipam/poolUsage.js';
import type { BareMetalHost } from '../../../api/bareMetalHost.js';
import { IP_ADDRESS_ANNOTATION } from '../../../ipam/lease.js';
import { formatAddress, tryParseAddress } from '../../../ipam/address.js';
import { addressAt } from '../../../ipam/intervals.js';
import { buildPool } from '../../../ipam/pool.js';
import type { BareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import type { IpAddressAllocation, IpAllocationApi } from '../../../k8s/ipAllocations.js';

const pool = buildPool({ networkCidr: '10.0.0.1/24', networkIpRange: '10.0.0.10-10.0.0.14,10.0.0.20-10.0.0.24' });

function allocation(address: string): IpAddressAllocation {
  return {
    metadata: { name: address },
    spec: {
      pool: pool.id,
      poolSource: {},
      address,
      prefix: 24,
      gateway: '10.0.0.1',
      machine: { namespace: 'n', name: address },
    },
  };
}

/** The two lists the usage cache reads, served from arrays the test changes. */
function listedFrom(allocated: string[]): { allocations: IpAllocationApi; hosts: BareMetalHostApi } {
  const allocations = { list: () => Promise.resolve(allocated.map(allocation)) } as unknown as IpAllocationApi;
  const hosts = { list: () => Promise.resolve({ items: [] }) } as unknown as BareMetalHostApi;
  return { allocations, hosts };
}

const at = (index: bigint): string => formatAddress({ family: 4, value: addressAt(pool.intervals, index) });
const valueOf = (text: string): bigint => tryParseAddress(text)?.value ?? -1n;

describe('PoolUsageCache first candidate', () => {
  it('starts lowest-first searches past the taken addresses and follows takes and frees', async () => {
    const allocated = ['10.0.0.10', '10.0.0.11', '10.0.0.12', '10.0.0.14'];
    const cache = new PoolUsageCache(listedFrom(allocated), 60_000);
    const usage = await cache.current(pool);
    expect(at(usage.firstCandidate)).toBe('10.0.0.13');

    usage.begin(valueOf('10.0.0.13'));
    expect(at(usage.firstCandidate)).toBe('10.0.0.13'); // only tried, not yet taken
    usage.settle(valueOf('10.0.0.13'), true);
    expect(at(usage.firstCandidate)).toBe('10.0.0.20'); // past .14, across the gap between ranges

    cache.released(pool.id, valueOf('10.0.0.11'));
    expect(at(usage.firstCandidate)).toBe('10.0.0.11');
    usage.settle(valueOf('10.0.0.11'), false);
    expect(at(usage.firstCandidate)).toBe('10.0.0.11');
  });

  it('searches from the bottom again after a list, which sees releases by other processes', async () => {
    const allocated = ['10.0.0.10', '10.0.0.11', '10.0.0.12'];
    const cache = new PoolUsageCache(listedFrom(allocated), 60_000);
    const usage = await cache.current(pool);
    expect(at(usage.firstCandidate)).toBe('10.0.0.13');
    allocated.splice(0, 1);
    await usage.refresh();
    expect(at(usage.firstCandidate)).toBe('10.0.0.10');
  });

  it('points past the end when every address is taken', async () => {
    const all = Array.from({ length: Number(pool.size) }, (_, i) => at(BigInt(i)));
    const usage = await new PoolUsageCache(listedFrom(all), 60_000).current(pool);
    expect(usage.firstCandidate).toBe(pool.size);
  });
});

describe('PoolUsageCache reads the hosts from the worker cache', () => {
  const annotated = (name: string, address: string) =>
    ({ metadata: { name, annotations: { [IP_ADDRESS_ANNOTATION]: `${address}/24` } } }) as unknown as BareMetalHost;

  it('takes the addresses annotated on hosts from a synced cache, with no LIST of every host', async () => {
    let hostLists = 0;
    const { allocations } = listedFrom(['10.0.0.10']);
    const hosts = {
      list: () => {
        hostLists++;
        return Promise.resolve({ items: [] });
      },
    } as unknown as BareMetalHostApi;
    const snapshot: BareMetalHost[] = [annotated('a', '10.0.0.11'), annotated('b', '10.0.0.12')];
    const hostCache = { snapshot: () => snapshot, firstListed: () => Promise.resolve() };
    const usage = await new PoolUsageCache({ allocations, hosts, hostCache }, 60_000).current(pool);

    expect(hostLists).toBe(0);
    expect(usage.isUsed(valueOf('10.0.0.11'))).toBe(true);
    expect(at(usage.firstCandidate)).toBe('10.0.0.13');
  });

  it('lists the hosts itself while the cache has not synced', async () => {
    const { allocations } = listedFrom([]);
    const hosts = {
      list: () => Promise.resolve({ items: [annotated('c', '10.0.0.10')] }),
    } as unknown as BareMetalHostApi;
    const hostCache = { snapshot: () => undefined, firstListed: () => Promise.resolve() };
    const usage = await new PoolUsageCache({ allocations, hosts, hostCache }, 60_000).current(pool);

    expect(usage.isUsed(valueOf('10.0.0.10'))).toBe(true);
    expect(at(usage.firstCandidate)).toBe('10.0.0.11');
  });
});
