import { describe, expect, it } from 'vitest';
import { inventory, type AllocationRecord } from '../../../ipam/inventory.js';

function record(
  pool: string,
  address: string,
  machine: string,
  poolSource = { networkCidr: '10.0.0.1/29' },
): AllocationRecord {
  return { name: `${pool}-${address}`, pool, poolSource, address, machine: { namespace: 'tenant', name: machine } };
}

describe('inventory', () => {
  it('counts allocated, on-hosts-only and free addresses per pool, allocations sorted by address', () => {
    const pools = inventory(
      [
        record('pool-a', '10.0.0.10', 'm3', { networkCidr: '10.0.0.1/28' }),
        record('pool-a', '10.0.0.9', 'm2', { networkCidr: '10.0.0.1/28' }),
      ],
      ['10.0.0.9', '10.0.0.4', '10.0.0.4', '192.168.1.1', '10.0.0.1'],
    );
    expect(pools).toHaveLength(1);
    const [pool] = pools;
    expect(pool?.description).toBe('10.0.0.1/28');
    expect(pool?.size).toBe(13n);
    expect(pool?.allocated).toBe(2);
    expect(pool?.onHostsOnly).toEqual(['10.0.0.4']);
    expect(pool?.free).toBe(10n);
    expect(pool?.allocations.map((a) => a.address)).toEqual(['10.0.0.9', '10.0.0.10']);
  });

  it('still lists allocations whose recorded network no longer builds a pool', () => {
    const [pool] = inventory([record('pool-b', '10.0.0.2', 'm1', { networkCidr: '10.0.0.0/29' })], []);
    expect(pool?.size).toBeUndefined();
    expect(pool?.free).toBeUndefined();
    expect(pool?.allocations).toHaveLength(1);
  });

  it('gives each pool its family, so the two pools of a dual-stack node type read apart', () => {
    const pools = inventory(
      [
        record('pool-a', '10.0.0.3', 'm1'),
        record('pool-b', 'fd00::2', 'm1', { networkCidr: 'fd00::1/64' }),
        record('pool-c', 'fd01::2', 'm2', { networkCidr: 'fd01::/64' }),
      ],
      ['fd00::3'],
    );
    expect(pools.map((p) => [p.id, p.family, p.size, p.onHostsOnly])).toEqual([
      ['pool-a', 4, 5n, []],
      // A single-stack IPv6 Machine's host carries its IPv6 lease.
      ['pool-b', 6, 2n ** 64n - 2n, ['fd00::3']],
      // A recorded network that no longer builds a pool still has the family of its addresses.
      ['pool-c', 6, undefined, []],
    ]);
  });

  it('keeps pools apart, ordered by id', () => {
    const pools = inventory([record('pool-b', '10.0.0.2', 'm1'), record('pool-a', '10.0.0.3', 'm2')], []);
    expect(pools.map((p) => p.id)).toEqual(['pool-a', 'pool-b']);
  });
});
