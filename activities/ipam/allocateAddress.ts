import { randomBytes } from 'node:crypto';
import { DNS_SERVERS_PROPERTY, NTP_SERVERS_PROPERTY } from '../../ipam/errors.js';
import { annotatedAddress, IP_ADDRESS_ANNOTATION, leaseFor, type Lease } from '../../ipam/lease.js';
import { allocationName, machineKey } from '../../ipam/naming.js';
import { buildPool, type Pool, type PoolSource } from '../../ipam/pool.js';
import { parseAddressList } from '../../ipam/ranges.js';
import { freeAddresses } from '../../ipam/select.js';
import { MACHINE_LABEL, POOL_LABEL, type IpAddressAllocation, type MachineRef } from '../../k8s/ipAllocations.js';
import { poolExhausted } from './failures.js';
import { readHost, writeHostLease } from './hostLease.js';
import type { IpamDeps } from './ipamDeps.js';

/** The network properties of the Machine's effective spec that concern its address. */
export interface NetworkProperties extends PoolSource {
  dnsServers?: string | undefined;
  ntpServers?: string | undefined;
}

export interface AllocateAddressInput {
  machine: MachineRef;
  /** The BareMetalHost (in the activities' namespace) that gets the lease annotations. */
  host: string;
  network: NetworkProperties;
  /**
   * `lowest` (default): the lowest free address, deterministic. `random`: search from a random
   * position, which spreads concurrent allocations over the pool and cuts contention.
   */
  startAt?: 'lowest' | 'random';
}

export interface AllocateAddressResult extends Lease {
  pool: string;
  /** Name of the IPAddressAllocation object. */
  allocation: string;
}

/** After this many addresses lost to others in a row, the pool is listed again instead of guessing on. */
const RELIST_AFTER_LOSSES = 16;

function sameMachine(a: MachineRef, b: MachineRef): boolean {
  return a.namespace === b.namespace && a.name === b.name;
}

function randomIndex(size: bigint): bigint {
  return BigInt(`0x${randomBytes(16).toString('hex')}`) % size;
}

function result(pool: Pool, allocation: string, lease: Lease): AllocateAddressResult {
  return { pool: pool.id, allocation, ...lease };
}

/** The lease an existing allocation stands for, with today's DNS and NTP servers. */
function leaseOf(allocation: IpAddressAllocation, dnsServers: string[], ntpServers: string[]): Lease {
  const { address, prefix, gateway } = allocation.spec;
  return { address, prefix, gateway, dnsServers, ntpServers };
}

/**
 * Gives the Machine an address from its pool and writes the lease onto its host. Idempotent: a
 * Machine that already holds an address in this pool gets that address again.
 */
export async function allocateAddress(deps: IpamDeps, input: AllocateAddressInput): Promise<AllocateAddressResult> {
  const pool = buildPool(input.network);
  const dnsServers = parseAddressList(DNS_SERVERS_PROPERTY, input.network.dnsServers ?? '');
  const ntpServers = parseAddressList(NTP_SERVERS_PROPERTY, input.network.ntpServers ?? '');
  const finish = async (allocation: string, lease: Lease): Promise<AllocateAddressResult> => {
    await writeHostLease(deps.hosts, input.host, lease);
    return result(pool, allocation, lease);
  };

  const mine =
    (await heldByHostLease(deps, input, pool)) ?? (deps.isRetry() ? await heldByLabel(deps, input, pool) : undefined);
  if (mine) return finish(mine.metadata.name, leaseOf(mine, dnsServers, ntpServers));

  const won = await createFirstFree(deps, input, pool, dnsServers, ntpServers);
  return finish(won.name, won.lease);
}

/**
 * The allocation named by the lease already on the host, when this Machine holds it: one read of the
 * host and one of the allocation, whatever the number of allocations (a repeated ask, or a retry after
 * the lease was written).
 */
async function heldByHostLease(
  deps: IpamDeps,
  input: AllocateAddressInput,
  pool: Pool,
): Promise<IpAddressAllocation | undefined> {
  const host = await readHost(deps.hosts, input.host);
  const address = annotatedAddress(host.metadata.annotations?.[IP_ADDRESS_ANNOTATION]);
  if (address?.family !== pool.family) return undefined;
  const allocation = await deps.allocations.get(allocationName(pool.id, pool.family, address.value));
  return allocation && sameMachine(allocation.spec.machine, input.machine) ? allocation : undefined;
}

/**
 * Every allocation of this Machine in the pool, by label. The API server filters all allocations of
 * the namespace for it, so it is asked only by a retried attempt: one that may have created its
 * allocation and failed before the lease reached the host.
 */
async function heldByLabel(
  deps: IpamDeps,
  input: AllocateAddressInput,
  pool: Pool,
): Promise<IpAddressAllocation | undefined> {
  const held = await deps.allocations.list({ [POOL_LABEL]: pool.id, [MACHINE_LABEL]: machineKey(input.machine) });
  return held.find((allocation) => sameMachine(allocation.spec.machine, input.machine));
}

async function createFirstFree(
  deps: IpamDeps,
  input: AllocateAddressInput,
  pool: Pool,
  dnsServers: string[],
  ntpServers: string[],
): Promise<{ name: string; lease: Lease }> {
  const calledAt = Date.now();
  const usage = await deps.usage.current(pool);
  const randomStart = input.startAt === 'random' ? randomIndex(pool.size) : undefined;
  for (;;) {
    const start = randomStart ?? usage.firstCandidate;
    let losses = 0;
    for (const value of freeAddresses(pool, (v) => usage.isUsed(v), start)) {
      const name = allocationName(pool.id, pool.family, value);
      const lease = leaseFor(pool, value, dnsServers, ntpServers);
      usage.begin(value);
      let outcome: 'created' | 'alreadyExists';
      try {
        outcome = await deps.allocations.create({
          name,
          labels: { [POOL_LABEL]: pool.id, [MACHINE_LABEL]: machineKey(input.machine) },
          spec: {
            pool: pool.id,
            poolSource: poolSourceOf(input.network),
            address: lease.address,
            prefix: lease.prefix,
            gateway: lease.gateway,
            machine: { namespace: input.machine.namespace, name: input.machine.name },
            host: input.host,
          },
        });
      } catch (err) {
        usage.settle(value, false);
        throw err;
      }
      usage.settle(value, true);
      if (outcome === 'created') return { name, lease };
      // Taken. By this very Machine when a retried activity raced its earlier attempt: that is our address.
      const holder = await deps.allocations.get(name);
      if (holder && sameMachine(holder.spec.machine, input.machine)) {
        return { name, lease: leaseOf(holder, dnsServers, ntpServers) };
      }
      if (++losses >= RELIST_AFTER_LOSSES && usage.listedAt < calledAt) break;
    }
    // Out of candidates (or losing too often) on knowledge older than this call: look again once.
    if (usage.listedAt >= calledAt) throw poolExhausted(pool);
    await usage.refresh();
  }
}

/** Only the properties that define the pool, trimmed, without absent keys. */
function poolSourceOf(network: NetworkProperties): PoolSource {
  const source: PoolSource = {};
  if (network.networkCidr?.trim()) source.networkCidr = network.networkCidr.trim();
  if (network.networkIpRange?.trim()) source.networkIpRange = network.networkIpRange.trim();
  if (network.reservedAddresses?.trim()) source.reservedAddresses = network.reservedAddresses.trim();
  return source;
}
