import { formatAddress, tryParseAddress, type IpFamily } from './address.js';
import { contains } from './intervals.js';
import { buildPool, type PoolSource } from './pool.js';

/** What an inventory needs of an allocation object (see k8s/ipAllocations.ts). */
export interface AllocationRecord {
  name: string;
  pool: string;
  poolSource: PoolSource;
  address: string;
  machine: { namespace: string; name: string };
  host?: string | undefined;
}

export interface PoolInventory {
  id: string;
  /** The pool's address family (a dual-stack node type has a pool of each); undefined when unreadable. */
  family: IpFamily | undefined;
  /** The pool's definition; undefined when its recorded source no longer builds a pool. */
  description: string | undefined;
  size: bigint | undefined;
  allocated: number;
  /** Addresses of the pool annotated on hosts without an allocation (set by hand): not allocatable either. */
  onHostsOnly: string[];
  /** Allocatable addresses left, when the size is known. */
  free: bigint | undefined;
  allocations: AllocationRecord[];
}

function numeric(address: string): bigint {
  return tryParseAddress(address)?.value ?? -1n;
}

/**
 * Pools with their usage, from the allocation objects and the addresses annotated on hosts. A pool is
 * rebuilt from the source recorded on its allocations (every allocation of a pool id records the same
 * network; reservations may differ, the first one's count).
 */
export function inventory(allocations: readonly AllocationRecord[], hostAddresses: readonly string[]): PoolInventory[] {
  const byPool = new Map<string, AllocationRecord[]>();
  for (const allocation of allocations)
    byPool.set(allocation.pool, [...(byPool.get(allocation.pool) ?? []), allocation]);
  return [...byPool.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, records]) => {
      const sorted = [...records].sort((a, b) => (numeric(a.address) < numeric(b.address) ? -1 : 1));
      const pool = poolOf(records);
      const allocated = new Set(sorted.map((r) => numeric(r.address)));
      const onHostsOnly = pool
        ? [...new Set(hostAddresses)].flatMap((text) => {
            const address = tryParseAddress(text);
            const inPool =
              address?.family === pool.family &&
              !allocated.has(address.value) &&
              pool.intervals.some((interval) => contains(interval, address.value));
            return inPool ? [formatAddress(address)] : [];
          })
        : [];
      return {
        id,
        family: pool?.family ?? tryParseAddress(sorted[0]?.address ?? '')?.family,
        description: pool?.description,
        size: pool?.size,
        allocated: sorted.length,
        onHostsOnly,
        free: pool ? pool.size - BigInt(sorted.length + onHostsOnly.length) : undefined,
        allocations: sorted,
      };
    });
}

function poolOf(records: readonly AllocationRecord[]): ReturnType<typeof buildPool> | undefined {
  const [first] = records;
  if (!first) return undefined;
  try {
    return buildPool(first.poolSource);
  } catch {
    // A source edited into something invalid still lists its allocations, just without a size.
    return undefined;
  }
}
