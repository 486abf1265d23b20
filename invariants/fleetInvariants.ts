import type { BareMetalHost } from '../api/bareMetalHost.js';
import { ORIGINAL_ANNOTATION } from '../activities/hosts/originalRecord.js';
import type { MachineRef } from '../contracts/machineRef.js';
import type { MachineWorkflowState } from '../activities/reclaim/machineWorkflows.js';
import { hostConsumer, machineKeyOf, secretOwner } from '../activities/reclaim/owners.js';
import type { SecretEntry } from '../activities/reclaim/pagedLists.js';
import { formatAddress, tryParseAddress } from '../ipam/address.js';
import { annotatedAddress, IP_ADDRESS_ANNOTATION } from '../ipam/lease.js';
import type { IpAddressAllocation } from '../k8s/ipAllocations.js';

/**
 * The fleet invariants of the architecture, checked over what one cluster namespace holds and what
 * Temporal says of its Machines. Pure: the `check` command, the chaos tests and the benchmarks read
 * the cluster and hand the snapshot in.
 */
export const INVARIANTS = {
  'host-one-consumer': 'a Machine consumes at most one BareMetalHost',
  'host-consumer-running': 'a host consumed by one of our Machines belongs to a Machine whose workflow runs',
  'host-record-while-claimed':
    'a host carries the record of its original exactly while one of our Machines consumes it, so release can restore it',
  'address-allocated-once': 'an address is allocated at most once and leased to at most one host',
  'address-one-per-family': 'a Machine holds at most one IPv4 and one IPv6 address',
  'allocation-machine-running': 'an address allocation belongs to a Machine whose workflow runs',
  'secret-machine-running': "a Machine's Secret belongs to a Machine whose workflow runs",
  'ready-machine-host': "a Ready Machine's host is still there, consumed by it, provisioned and switched on",
} as const;
export type InvariantName = keyof typeof INVARIANTS;

export interface FleetSnapshot {
  namespace: string;
  hosts: BareMetalHost[];
  allocations: IpAddressAllocation[];
  /** Secrets labelled with a Machine (names and labels only). */
  secrets: SecretEntry[];
}

export interface Violation {
  invariant: InvariantName;
  /** `<kind>/<namespace>/<name>` of the object at fault. */
  object: string;
  message: string;
}

export interface InvariantResult {
  /** Individual assertions evaluated, so a report of no violations says how much was looked at. */
  checks: number;
  violations: Violation[];
}

/** Every Machine the snapshot's objects name; their workflow states are what `checkFleet` needs. */
export function machinesOf(snapshot: FleetSnapshot): MachineRef[] {
  const machines: MachineRef[] = [];
  for (const host of snapshot.hosts) {
    const machine = hostConsumer(host.spec.consumerRef);
    if (machine) machines.push(machine);
  }
  for (const allocation of snapshot.allocations) machines.push(allocation.spec.machine);
  for (const secret of snapshot.secrets) {
    const owner = secretOwner(secret);
    if (owner?.kind === 'machine') machines.push(owner.machine);
  }
  return machines;
}

export function checkFleet(
  snapshot: FleetSnapshot,
  states: ReadonlyMap<string, MachineWorkflowState>,
): InvariantResult {
  const result: InvariantResult = { checks: 0, violations: [] };
  const { namespace } = snapshot;
  const check = (holds: boolean, invariant: InvariantName, object: string, message: () => string): void => {
    result.checks++;
    if (!holds) result.violations.push({ invariant, object, message: message() });
  };
  const running = (machine: MachineRef): boolean => states.get(machineKeyOf(machine)) === 'running';

  const hostsOfMachine = new Map<string, string[]>();
  for (const host of snapshot.hosts) {
    const name = host.metadata.name;
    const object = `BareMetalHost/${namespace}/${name}`;
    const machine = hostConsumer(host.spec.consumerRef);
    const recorded = host.metadata.annotations?.[ORIGINAL_ANNOTATION] !== undefined;
    check(recorded === (machine !== undefined), 'host-record-while-claimed', object, () =>
      machine
        ? `consumed by Machine ${machineKeyOf(machine)} without the ${ORIGINAL_ANNOTATION} record; release cannot restore it`
        : `carries the ${ORIGINAL_ANNOTATION} record but no Machine of ours consumes it (a release stopped half-way)`,
    );
    if (!machine) continue;
    const key = machineKeyOf(machine);
    hostsOfMachine.set(key, [...(hostsOfMachine.get(key) ?? []), name]);
    check(
      running(machine),
      'host-consumer-running',
      object,
      () =>
        `consumed by Machine ${key}, whose workflow is closed or absent; \`metal3-provider reclaim run\` gives it back`,
    );
  }
  for (const [machine, hosts] of hostsOfMachine) {
    check(
      hosts.length <= 1,
      'host-one-consumer',
      `Machine/${machine}`,
      () => `consumes ${hosts.length} hosts: ${hosts.join(', ')}`,
    );
  }

  checkAddresses(snapshot, check);

  for (const allocation of snapshot.allocations) {
    const machine = allocation.spec.machine;
    check(
      running(machine),
      'allocation-machine-running',
      `IPAddressAllocation/${namespace}/${allocation.metadata.name}`,
      () => `holds ${allocation.spec.address} for Machine ${machineKeyOf(machine)}, whose workflow is closed or absent`,
    );
  }
  for (const secret of snapshot.secrets) {
    const owner = secretOwner(secret);
    if (owner?.kind !== 'machine') continue;
    check(
      running(owner.machine),
      'secret-machine-running',
      `Secret/${namespace}/${secret.name}`,
      () => `belongs to Machine ${machineKeyOf(owner.machine)}, whose workflow is closed or absent`,
    );
  }
  return result;
}

type Check = (holds: boolean, invariant: InvariantName, object: string, message: () => string) => void;

/** The number of allocations of each address family, for the report. */
export function allocationsByFamily(allocations: readonly IpAddressAllocation[]): Record<'ipv4' | 'ipv6', number> {
  const families = allocations.map((allocation) => tryParseAddress(allocation.spec.address)?.family);
  return { ipv4: families.filter((f) => f === 4).length, ipv6: families.filter((f) => f === 6).length };
}

/**
 * Each address in one allocation at most, and on one host's lease at most; each Machine with one
 * address of each family at most (a dual-stack Machine has one of each; hosts carry only the IPv4
 * lease, so IPv6 addresses are checked by their allocations).
 */
function checkAddresses(snapshot: FleetSnapshot, check: Check): void {
  const { namespace } = snapshot;
  const allocationsOf = new Map<string, string[]>();
  const ofMachineAndFamily = new Map<string, { machine: string; family: string; addresses: string[] }>();
  for (const allocation of snapshot.allocations) {
    const address = allocation.spec.address;
    allocationsOf.set(address, [...(allocationsOf.get(address) ?? []), allocation.metadata.name]);
    const machine = machineKeyOf(allocation.spec.machine);
    const family = `IPv${tryParseAddress(address)?.family ?? '?'}`;
    const key = `${machine} ${family}`;
    const held = ofMachineAndFamily.get(key) ?? { machine, family, addresses: [] };
    ofMachineAndFamily.set(key, { ...held, addresses: [...held.addresses, address] });
  }
  for (const { machine, family, addresses } of ofMachineAndFamily.values()) {
    check(
      addresses.length <= 1,
      'address-one-per-family',
      `Machine/${machine}`,
      () => `holds ${addresses.length} ${family} addresses: ${addresses.join(', ')}`,
    );
  }
  for (const [address, names] of allocationsOf) {
    check(
      names.length <= 1,
      'address-allocated-once',
      `address/${namespace}/${address}`,
      () => `allocated ${names.length} times: ${names.join(', ')} (pools that overlap)`,
    );
  }
  const hostsOf = new Map<string, string[]>();
  for (const host of snapshot.hosts) {
    const address = annotatedAddress(host.metadata.annotations?.[IP_ADDRESS_ANNOTATION]);
    if (!address) continue;
    const text = formatAddress(address);
    hostsOf.set(text, [...(hostsOf.get(text) ?? []), host.metadata.name]);
  }
  for (const [address, hosts] of hostsOf) {
    check(
      hosts.length <= 1,
      'address-allocated-once',
      `address/${namespace}/${address}`,
      () => `leased to ${hosts.length} hosts by their ${IP_ADDRESS_ANNOTATION} annotation: ${hosts.join(', ')}`,
    );
  }
}
