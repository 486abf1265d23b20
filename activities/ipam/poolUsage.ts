import type { BareMetalHost } from '../../api/bareMetalHost.js';
import { annotatedAddress, IP_ADDRESS_ANNOTATION } from '../../ipam/lease.js';
import { addressAt, indexOf } from '../../ipam/intervals.js';
import type { Pool } from '../../ipam/pool.js';
import { tryParseAddress } from '../../ipam/address.js';
import type { BareMetalHostSnapshots } from '../../k8s/bareMetalHostCache.js';
import type { BareMetalHostApi } from '../../k8s/bareMetalHosts.js';
import { POOL_LABEL, type IpAllocationApi } from '../../k8s/ipAllocations.js';

/**
 * What this process knows about the addresses in use in each pool: the pool's allocation objects and
 * every address annotated on a BareMetalHost (read from the worker's host cache when it has one),
 * listed at most once per `maxAgeMs`, plus what it learns
 * from its own creates and AlreadyExists answers in between. Knowledge may be stale — that is safe,
 * because create-if-absent is the lock — and it keeps the cost of one allocation independent of the
 * number of allocations: the full list is paid once per period, not once per allocation.
 */
export interface PoolUsage {
  /** True when the address is known to be taken, or is being tried by a concurrent call of this process. */
  isUsed(value: bigint): boolean;
  /** Marks an address as being tried, so concurrent calls of this process try others. */
  begin(value: bigint): void;
  /** Ends a try: `taken` when the address turned out allocated (by us or anyone), else it is free again. */
  settle(value: bigint, taken: boolean): void;
  /** Lists the pool's allocations and the hosts' addresses again. */
  refresh(): Promise<void>;
  /** When the last full list started (ms since epoch). */
  readonly listedAt: number;
  /**
   * A pool position below which every address is known to be taken: where a lowest-first search
   * starts, so it does not walk past all the allocations each time.
   */
  readonly firstCandidate: bigint;
  markFree(value: bigint): void;
}

interface Deps {
  allocations: IpAllocationApi;
  hosts: BareMetalHostApi;
  /** The worker's host cache: read instead of listing every host while it is synced. */
  hostCache?: BareMetalHostSnapshots;
}

class ListedPoolUsage implements PoolUsage {
  private known = new Set<bigint>();
  private readonly trying = new Set<bigint>();
  /** Addresses learned while a list is in flight: the list may predate them. */
  private learnedDuringList: Set<bigint> | undefined;
  private refreshing: Promise<void> | undefined;
  listedAt = 0;
  firstCandidate = 0n;

  constructor(
    private readonly deps: Deps,
    private readonly pool: Pool,
  ) {}

  isUsed(value: bigint): boolean {
    return this.known.has(value) || this.trying.has(value);
  }

  begin(value: bigint): void {
    this.trying.add(value);
  }

  settle(value: bigint, taken: boolean): void {
    this.trying.delete(value);
    if (!taken) return;
    this.known.add(value);
    this.learnedDuringList?.add(value);
    this.advanceFirstCandidate();
  }

  markFree(value: bigint): void {
    this.known.delete(value);
    this.learnedDuringList?.delete(value);
    const index = indexOf(this.pool.intervals, value);
    if (index !== undefined && index < this.firstCandidate) this.firstCandidate = index;
  }

  /** Moves past known-taken addresses; amortised, each address is passed once per list. */
  private advanceFirstCandidate(): void {
    while (
      this.firstCandidate < this.pool.size &&
      this.known.has(addressAt(this.pool.intervals, this.firstCandidate))
    ) {
      this.firstCandidate++;
    }
  }

  /** The cache's hosts (as stale as this list may be anyway), else a LIST of every host. */
  private async hosts(): Promise<readonly BareMetalHost[]> {
    return this.deps.hostCache?.snapshot() ?? (await this.deps.hosts.list()).items;
  }

  /** Concurrent callers share one list. */
  refresh(): Promise<void> {
    this.refreshing ??= this.list().finally(() => {
      this.refreshing = undefined;
      this.learnedDuringList = undefined;
    });
    return this.refreshing;
  }

  private async list(): Promise<void> {
    const startedAt = Date.now();
    this.learnedDuringList = new Set();
    const [allocations, hosts] = await Promise.all([
      this.deps.allocations.list({ [POOL_LABEL]: this.pool.id }),
      this.hosts(),
    ]);
    const listed = new Set<bigint>(this.learnedDuringList);
    for (const allocation of allocations) {
      const address = tryParseAddress(allocation.spec.address);
      if (address?.family === this.pool.family) listed.add(address.value);
    }
    for (const host of hosts) {
      const address = annotatedAddress(host.metadata.annotations?.[IP_ADDRESS_ANNOTATION]);
      if (address?.family === this.pool.family) listed.add(address.value);
    }
    this.known = listed;
    this.listedAt = startedAt;
    // Others may have released addresses since the last list: search from the bottom again.
    this.firstCandidate = 0n;
    this.advanceFirstCandidate();
  }
}

/** One PoolUsage per pool id, for the life of the activities object. */
export class PoolUsageCache {
  private readonly byPool = new Map<string, PoolUsage>();

  constructor(
    private readonly deps: Deps,
    private readonly maxAgeMs: number,
  ) {}

  /** The pool's usage, listed afresh when older than maxAgeMs. */
  async current(pool: Pool): Promise<PoolUsage> {
    let usage = this.byPool.get(pool.id);
    if (!usage) {
      usage = new ListedPoolUsage(this.deps, pool);
      this.byPool.set(pool.id, usage);
    }
    if (Date.now() - usage.listedAt > this.maxAgeMs) await usage.refresh();
    return usage;
  }

  /** Forget a released address so this process can hand it out again before the next list. */
  released(poolId: string, value: bigint): void {
    this.byPool.get(poolId)?.markFree(value);
  }
}
