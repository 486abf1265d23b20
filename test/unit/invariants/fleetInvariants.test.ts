import { describe, expect, it } from 'vitest';
import { ORIGINAL_ANNOTATION } from '../../../activities/hosts/originalRecord.js';
import type { MachineWorkflowState } from '../../../activities/reclaim/machineWorkflows.js';
import { machineLabels, machineSecretName } from '../../../activities/secrets/machineSecrets.js';
import { BareMetalHost } from '../../../api/bareMetalHost.js';
import {
  allocationsByFamily,
  checkFleet,
  machinesOf,
  type FleetSnapshot,
} from '../../../invariants/fleetInvariants.js';
import type { IpAddressAllocation } from '../../../k8s/ipAllocations.js';

const NS = 'metal3-system';
const alpha = { namespace: 'team-a', name: 'alpha' };
const beta = { namespace: 'team-a', name: 'beta' };

function host(name: string, options: { consumer?: typeof alpha; recorded?: boolean; address?: string } = {}) {
  return BareMetalHost.parse({
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: {
      name,
      namespace: NS,
      annotations: {
        ...(options.recorded && { [ORIGINAL_ANNOTATION]: '{}' }),
        ...(options.address && { 'metal3.vcluster.com/ip-address': options.address }),
      },
    },
    spec: {
      ...(options.consumer && {
        consumerRef: { apiVersion: 'management.loft.sh/v1', kind: 'NodeClaim', ...options.consumer },
      }),
    },
  });
}

function allocation(name: string, address: string, machine: typeof alpha): IpAddressAllocation {
  return {
    metadata: { name },
    spec: { pool: 'p', poolSource: {}, address, prefix: 24, gateway: '10.0.0.1', machine },
  };
}

const secret = (machine: typeof alpha) => ({
  name: machineSecretName(machine, 'userData'),
  labels: machineLabels(machine),
});

/** alpha is Ready on server-0 with its address and user data; server-1 is free with a static lease. */
function healthy(): FleetSnapshot {
  return {
    namespace: NS,
    hosts: [
      host('server-0', { consumer: alpha, recorded: true, address: '10.0.0.5/24' }),
      host('server-1', { address: '10.0.0.9/24' }),
    ],
    allocations: [allocation('p-10-0-0-5', '10.0.0.5', alpha)],
    secrets: [secret(alpha)],
  };
}

const states = (entries: Record<string, MachineWorkflowState>) => new Map(Object.entries(entries));

describe('checkFleet', () => {
  it('finds nothing wrong with a healthy fleet, and says how much it checked', () => {
    const result = checkFleet(healthy(), states({ 'team-a/alpha': 'running' }));
    expect(result.violations).toEqual([]);
    expect(result.checks).toBe(10);
    expect(machinesOf(healthy()).map((m) => m.name)).toEqual(['alpha', 'alpha', 'alpha']);
  });

  it('flags the host, address and Secret of a Machine whose workflow is gone', () => {
    const result = checkFleet(healthy(), states({ 'team-a/alpha': 'gone' }));
    expect(result.violations.map((v) => [v.invariant, v.object])).toEqual([
      ['host-consumer-running', `BareMetalHost/${NS}/server-0`],
      ['allocation-machine-running', `IPAddressAllocation/${NS}/p-10-0-0-5`],
      ['secret-machine-running', `Secret/${NS}/${machineSecretName(alpha, 'userData')}`],
    ]);
    expect(result.violations[0]?.message).toContain('metal3-provider reclaim run');
  });

  it('treats a Machine Temporal was not asked about as not running', () => {
    expect(checkFleet(healthy(), states({})).violations).toHaveLength(3);
  });

  it('flags a Machine on two hosts', () => {
    const snapshot = healthy();
    snapshot.hosts.push(host('server-2', { consumer: alpha, recorded: true }));
    const result = checkFleet(snapshot, states({ 'team-a/alpha': 'running' }));
    expect(result.violations).toEqual([
      {
        invariant: 'host-one-consumer',
        object: 'Machine/team-a/alpha',
        message: 'consumes 2 hosts: server-0, server-2',
      },
    ]);
  });

  it('flags a record without a consumer and a consumer without a record', () => {
    const snapshot = healthy();
    snapshot.hosts.push(host('server-2', { recorded: true }), host('server-3', { consumer: beta }));
    const result = checkFleet(snapshot, states({ 'team-a/alpha': 'running', 'team-a/beta': 'running' }));
    expect(result.violations.map((v) => [v.invariant, v.object])).toEqual([
      ['host-record-while-claimed', `BareMetalHost/${NS}/server-2`],
      ['host-record-while-claimed', `BareMetalHost/${NS}/server-3`],
    ]);
    expect(result.violations[1]?.message).toContain('release cannot restore it');
  });

  it('flags an address allocated twice and an address leased to two hosts', () => {
    const snapshot = healthy();
    snapshot.allocations.push(allocation('q-10-0-0-5', '10.0.0.5', beta));
    snapshot.hosts.push(host('server-2', { address: '10.0.0.9/24' }));
    const result = checkFleet(snapshot, states({ 'team-a/alpha': 'running', 'team-a/beta': 'running' }));
    expect(result.violations).toEqual([
      {
        invariant: 'address-allocated-once',
        object: `address/${NS}/10.0.0.5`,
        message: 'allocated 2 times: p-10-0-0-5, q-10-0-0-5 (pools that overlap)',
      },
      {
        invariant: 'address-allocated-once',
        object: `address/${NS}/10.0.0.9`,
        message: 'leased to 2 hosts by their metal3.vcluster.com/ip-address annotation: server-1, server-2',
      },
    ]);
  });

  it('lets a dual-stack Machine hold an IPv4 and an IPv6 address, and flags a second one of a family', () => {
    const snapshot = healthy();
    snapshot.allocations.push(allocation('v6-fd00-5', 'fd00::5', alpha));
    expect(checkFleet(snapshot, states({ 'team-a/alpha': 'running' })).violations).toEqual([]);

    snapshot.allocations.push(
      allocation('v6-fd00-6', 'fd00::6', alpha),
      allocation('v6-fd00-5-again', 'fd00::5', beta),
    );
    const result = checkFleet(snapshot, states({ 'team-a/alpha': 'running', 'team-a/beta': 'running' }));
    expect(result.violations).toEqual([
      {
        invariant: 'address-one-per-family',
        object: 'Machine/team-a/alpha',
        message: 'holds 2 IPv6 addresses: fd00::5, fd00::6',
      },
      {
        invariant: 'address-allocated-once',
        object: `address/${NS}/fd00::5`,
        message: 'allocated 2 times: v6-fd00-5, v6-fd00-5-again (pools that overlap)',
      },
    ]);
    expect(allocationsByFamily(snapshot.allocations)).toEqual({ ipv4: 1, ipv6: 3 });
  });
});
