import { randomBytes } from 'node:crypto';
import type { BareMetalHost } from '../../api/bareMetalHost.js';
import { DNS_SERVERS_PROPERTY, NTP_SERVERS_PROPERTY } from '../../ipam/errors.js';
import { addressLeaseFor, annotatedAddress, IP_ADDRESS_ANNOTATION, type AddressLease } from '../../ipam/lease.js';
import { allocationName, machineKey } from '../../ipam/naming.js';
import { splitByFamily } from '../../ipam/networks.js';
import { buildPool, type Pool, type PoolSource } from '../../ipam/pool.js';
import { parseAddressList } from '../../ipam/ranges.js';
import { freeAddresses } from '../../ipam/select.js';
import { MACHINE_LABEL, POOL_LABEL, type IpAddressAllocation } from '../../k8s/ipAllocations.js';
import type { MachineRef } from '../../contracts/machineRef.js';
import { poolExhausted } from './failures.js';
import { readHost, writeHostLease } from './hostLease.js';
import type { IpamDeps } from './ipamDeps.js';
import type {
  AllocateAddressRequest,
  AllocateAddressResult,
  AllocatedAddress,
} from '../../contracts/machineActivityContract.js';

export interface AllocateAddressInput extends AllocateAddressRequest {
  /**
   * `lowest` (default): the lowest free address, deterministic. `random`: search from a random
   * position, which spreads concurrent allocations over the pool and cuts contention.
   */
  startAt?: 'lowest' | 'random';
}

/** After this many addresses lost to others in a row, the pool is listed again instead of guessing on. */
const RELIST_AFTER_LOSSES = 16;

function sameMachine(a: MachineRef, b: MachineRef): boolean {
  return a.namespace === b.namespace && a.name === b.name;
}

function randomIndex(size: bigint): bigint {
  return BigInt(`0x${randomBytes(16).toString('hex')}`) % size;
}

function allocated(pool: Pool, allocation: string, address: AddressLease): AllocatedAddress {
  return { pool: pool.id, allocation, ...address };
}

/** The address an existing allocation stands for. */
function addressOf(allocation: IpAddressAllocation): AddressLease {
  const { address, prefix, gateway } = allocation.spec;
  return { address, prefix, gateway };
}

/**
 * Gives the Machine an address from each of its pools (one, or IPv4 and IPv6 for a dual-stack node
 * type), and writes the lease onto its host unless the configure step will. Idempotent: a Machine that
 * already holds an address in a pool gets that address again.
 */
export async function allocateAddress(deps: IpamDeps, input: AllocateAddressInput): Promise<AllocateAddressResult> {
  const [primarySource, secondarySource] = splitByFamily(input.network);
  const primary = { source: primarySource, pool: buildPool(primarySource) };
  const secondary = secondarySource && { source: secondarySource, pool: buildPool(secondarySource) };
  const dnsServers = parseAddressList(DNS_SERVERS_PROPERTY, input.network.dnsServers ?? '');
  const ntpServers = parseAddressList(NTP_SERVERS_PROPERTY, input.network.ntpServers ?? '');

  const host = input.leaseWithConfigure ? undefined : await readHost(deps.hosts, input.host);
  // Without the lease on the host, the Machine's allocations are its only record: a call after one that
  // failed part-way, or that a crash cut off before the workflow recorded its result, finds them there.
  const maybeHolds = !host || deps.isRetry();
  const held =
    (host && (await heldByHostLease(deps, input, host, primary.pool))) ??
    (maybeHolds ? await heldByLabel(deps, input, primary.pool) : undefined);
  const first = held
    ? allocated(primary.pool, held.metadata.name, addressOf(held))
    : await createFirstFree(deps, input, primary);
  const lease: AllocateAddressResult = { ...first, dnsServers, ntpServers };
  // Written here, the lease is on the host before the second address is sought, so that a Machine whose
  // second pool is exhausted finds its first address there when it asks again.
  if (host) await writeHostLease(deps.hosts, input.host, lease, host);
  if (!secondary) return lease;
  // The host's annotations carry only the IPv4 lease: the IPv6 allocation is found by its labels. A
  // Machine can hold one only when it already held its IPv4 address or this call follows another.
  const heldIpv6 = held || maybeHolds ? await heldByLabel(deps, input, secondary.pool) : undefined;
  const ipv6 = heldIpv6
    ? allocated(secondary.pool, heldIpv6.metadata.name, addressOf(heldIpv6))
    : await createFirstFree(deps, input, secondary);
  return { ...lease, ipv6 };
}

/**
 * The allocation named by the lease already on the host, when this Machine holds it: one read of the
 * allocation, whatever the number of allocations (a repeated ask, or a retry after the lease was written).
 */
async function heldByHostLease(
  deps: IpamDeps,
  input: AllocateAddressInput,
  host: BareMetalHost,
  pool: Pool,
): Promise<IpAddressAllocation | undefined> {
  const address = annotatedAddress(host.metadata.annotations?.[IP_ADDRESS_ANNOTATION]);
  if (address?.family !== pool.family) return undefined;
  const allocation = await deps.allocations.get(allocationName(pool.id, pool.family, address.value));
  return allocation && sameMachine(allocation.spec.machine, input.machine) ? allocation : undefined;
}

/**
 * Every allocation of this Machine in the pool, by label. The API server filters all allocations of the
 * namespace for it (recent ones from their watch cache, consistently; older ones from etcd), so where the
 * lease is on the host it is asked only by a retried attempt: one that may have created its allocation
 * and failed before the lease reached the host.
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
  { pool, source }: { pool: Pool; source: PoolSource },
): Promise<AllocatedAddress> {
  const calledAt = Date.now();
  const usage = await deps.usage.current(pool);
  const randomStart = input.startAt === 'random' ? randomIndex(pool.size) : undefined;
  for (;;) {
    const start = randomStart ?? usage.firstCandidate;
    let losses = 0;
    for (const value of freeAddresses(pool, (v) => usage.isUsed(v), start)) {
      const name = allocationName(pool.id, pool.family, value);
      const address = addressLeaseFor(pool, value);
      usage.begin(value);
      let outcome: 'created' | 'alreadyExists';
      try {
        outcome = await deps.allocations.create({
          name,
          labels: { [POOL_LABEL]: pool.id, [MACHINE_LABEL]: machineKey(input.machine) },
          spec: {
            pool: pool.id,
            poolSource: trimmed(source),
            ...address,
            machine: { namespace: input.machine.namespace, name: input.machine.name },
            host: input.host,
          },
        });
      } catch (err) {
        usage.settle(value, false);
        throw err;
      }
      usage.settle(value, true);
      if (outcome === 'created') return allocated(pool, name, address);
      // Taken. By this very Machine when a retried activity raced its earlier attempt: that is our address.
      const holder = await deps.allocations.get(name);
      if (holder && sameMachine(holder.spec.machine, input.machine)) return allocated(pool, name, addressOf(holder));
      if (++losses >= RELIST_AFTER_LOSSES && usage.listedAt < calledAt) break;
    }
    // Out of candidates (or losing too often) on knowledge older than this call: look again once.
    if (usage.listedAt >= calledAt) throw poolExhausted(pool);
    await usage.refresh();
  }
}

/** Only the properties that define the pool, trimmed, without absent keys. */
function trimmed(network: PoolSource): PoolSource {
  const source: PoolSource = {};
  if (network.networkCidr?.trim()) source.networkCidr = network.networkCidr.trim();
  if (network.networkIpRange?.trim()) source.networkIpRange = network.networkIpRange.trim();
  if (network.reservedAddresses?.trim()) source.reservedAddresses = network.reservedAddresses.trim();
  return source;
}
