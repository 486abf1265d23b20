import { describe, expect, it } from 'vitest';
import { NodeClaimStatus } from '../../../api/nodeClaim.js';
import { hostEvent, phaseEvent, stepEvents } from '../../../controller/claimEvents.js';
import { reportObservation } from '../../../controller/claimReport.js';
import {
  closedMachineStatus,
  sameStatus,
  statusFromMachine,
  statusInvalid,
  statusStarted,
} from '../../../controller/nodeClaimStatus.js';
import type { MachineStatus, StepRecord } from '../../../contracts/machineContract.js';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const t1 = new Date('2026-01-01T00:01:00.000Z');
const workflowId = 'machine/ns/web-1';

function machine(over: Partial<MachineStatus>): MachineStatus {
  return {
    machine: { namespace: 'ns', name: 'web-1' },
    phase: 'Pending',
    provisionAttempts: 0,
    steps: [],
    properties: {},
    ...over,
  };
}

describe('NodeClaim status', () => {
  it('reports phase, host, address and Ready=True once provisioned, and passes its own schema', () => {
    const started = statusStarted({}, workflowId, { now: t0, generation: 1 });
    const ready = statusFromMachine(
      started,
      machine({ phase: 'Ready', host: 'h1', address: '10.0.0.5/24', details: 'provisioned on BareMetalHost h1' }),
      workflowId,
      { now: t1, generation: 1 },
    );
    expect(ready).toMatchObject({ phase: 'Ready', bareMetalHost: 'h1', address: '10.0.0.5/24', workflowId });
    expect(ready.conditions).toEqual([
      {
        type: 'Ready',
        status: 'True',
        reason: 'Provisioned',
        message: 'provisioned on BareMetalHost h1',
        observedGeneration: 1,
        lastTransitionTime: t1.toISOString(),
      },
    ]);
    expect(NodeClaimStatus.parse(ready)).toEqual(ready);
  });

  it('keeps lastTransitionTime while Ready stays False, so an unchanged Machine writes nothing', () => {
    const pending = statusStarted({}, workflowId, { now: t0 });
    const provisioning = statusFromMachine(pending, machine({ phase: 'Provisioning', host: 'h1' }), workflowId, {
      now: t1,
    });
    expect(provisioning.conditions?.[0]).toMatchObject({
      status: 'False',
      reason: 'Provisioning',
      lastTransitionTime: t0.toISOString(),
    });
    const again = statusFromMachine(provisioning, machine({ phase: 'Provisioning', host: 'h1' }), workflowId, {
      now: new Date('2026-01-01T00:02:00.000Z'),
    });
    expect(sameStatus(provisioning, again)).toBe(true);
  });

  it('reports both addresses of a dual-stack Machine, IPv4 first', () => {
    const addresses = ['10.0.0.5/24', 'fd00::5/64'];
    const ready = statusFromMachine({}, machine({ phase: 'Ready', address: '10.0.0.5/24', addresses }), workflowId, {
      now: t0,
    });
    expect(ready).toMatchObject({ address: '10.0.0.5/24', addresses });
    expect(NodeClaimStatus.parse(ready)).toEqual(ready);
  });

  it('drops the host and addresses once released and says why the claim is not Ready', () => {
    const ready = statusFromMachine(
      {},
      machine({ phase: 'Ready', host: 'h1', address: '10.0.0.5/24', addresses: ['10.0.0.5/24', 'fd00::5/64'] }),
      workflowId,
      { now: t0 },
    );
    const released = statusFromMachine(ready, machine({ phase: 'Released' }), workflowId, { now: t1 });
    expect(released.bareMetalHost).toBeUndefined();
    expect(released.address).toBeUndefined();
    expect(released.addresses).toBeUndefined();
    expect(released.conditions?.[0]).toMatchObject({ status: 'False', reason: 'Released' });
    const invalid = statusInvalid({}, 'spec: names no node type', { now: t0 });
    expect(invalid.conditions?.[0]?.reason).toBe('InvalidSpec');
    expect(invalid.conditions?.[0]?.message).toContain('names no node type');
  });
});

describe('closedMachineStatus', () => {
  it('calls a workflow that closed without releasing Failed, and keeps Released and Failed as they are', () => {
    const terminated = closedMachineStatus(machine({ phase: 'Provisioning', host: 'h1' }), 'TERMINATED');
    expect(terminated.phase).toBe('Failed');
    expect(terminated.details).toContain('terminated while Provisioning');
    expect(closedMachineStatus(machine({ phase: 'Released' }), 'CANCELLED').phase).toBe('Released');
  });
});

describe('NodeClaim Events', () => {
  const step = (name: string, outcome?: StepRecord['outcome'], host?: string): StepRecord => ({
    step: name,
    startedAt: '2026-01-01T00:00:00.000Z',
    ...(outcome && { outcome, endedAt: '2026-01-01T00:00:01.500Z' }),
    ...(host && { host }),
    ...(outcome === 'failed' && { error: 'BMC unreachable' }),
  });

  it('reports each finished step once, in order, and stops at the step still running', () => {
    const steps = [
      step('resolve', 'ok'),
      step('claimHost', 'ok'),
      step('configureHost', 'failed', 'h1'),
      step('configureHost'),
    ];
    const first = stepEvents(steps, 0);
    expect(first.reported).toBe(3);
    expect(first.events).toEqual([
      { type: 'Normal', reason: 'Resolve', message: 'resolve finished in 1.5 s' },
      { type: 'Normal', reason: 'ClaimHost', message: 'claimHost finished in 1.5 s' },
      {
        type: 'Warning',
        reason: 'ConfigureHost',
        message: 'configureHost failed on BareMetalHost h1: BMC unreachable',
      },
    ]);
    expect(stepEvents(steps, first.reported)).toEqual({ events: [], reported: 3 });
  });

  it('reports a phase or host change once; Stuck and Failed are Warnings', () => {
    expect(phaseEvent('Provisioning', 'Provisioning')).toEqual([]);
    expect(phaseEvent('Provisioning', 'Stuck', 'fix the BMC')).toEqual([
      { type: 'Warning', reason: 'Stuck', message: 'fix the BMC' },
    ]);
    expect(hostEvent(undefined, 'h1')).toEqual([
      { type: 'Normal', reason: 'HostClaimed', message: 'claimed BareMetalHost h1' },
    ]);
    expect(hostEvent('h1', 'h1')).toEqual([]);
  });
});

describe('reportObservation', () => {
  it('reports each change once: the same observation applied to its own result adds no Events', () => {
    const steps: StepRecord[] = [
      { step: 'resolve', startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:01.000Z', outcome: 'ok' },
      { step: 'claimHost', startedAt: '2026-01-01T00:00:01.000Z', endedAt: '2026-01-01T00:00:02.000Z', outcome: 'ok' },
    ];
    const observation = {
      kind: 'found' as const,
      running: true,
      status: machine({ phase: 'Provisioning', host: 'h1', steps }),
    };
    const started = statusStarted({}, workflowId, { now: t0 });
    const first = reportObservation(started, observation, workflowId, { now: t1 });
    expect(first.events.map((e) => e.reason)).toEqual(['Resolve', 'ClaimHost', 'HostClaimed', 'Provisioning']);
    const again = reportObservation(first.status, observation, workflowId, { now: new Date('2026-01-01T00:05:00Z') });
    expect(again.events).toEqual([]);
    expect(sameStatus(first.status, again.status)).toBe(true);
  });
});
