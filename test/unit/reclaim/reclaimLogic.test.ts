import { describe, expect, it } from 'vitest';
import { hostConsumer, secretOwner } from '../../../activities/reclaim/owners.js';
import { stuckQuery, stuckSince } from '../../../activities/reclaim/stuckMachines.js';
import { snapshotSecretName } from '../../../activities/machine/machineSnapshot.js';
import { machineLabels, machineSecretName } from '../../../activities/secrets/machineSecrets.js';
import { parseDuration } from '../../../cli/reclaimCommand.js';
import type { MachineStatus } from '../../../contracts/machineContract.js';
import {
  emptyReport,
  firstPosition,
  nextPosition,
  reportMarkdown,
  skipPosition,
  type ReclaimPosition,
} from '../../../contracts/reclaimContract.js';

describe('hostConsumer', () => {
  it('names the Machine of a NodeClaim consumer, uid included', () => {
    expect(
      hostConsumer({
        apiVersion: 'management.loft.sh/v1',
        kind: 'NodeClaim',
        namespace: 'team-a',
        name: 'm1',
        uid: 'u1',
      }),
    ).toEqual({ namespace: 'team-a', name: 'm1', uid: 'u1' });
  });

  it('ignores consumers that are not ours (a CAPI Metal3Machine) and hosts without one', () => {
    expect(
      hostConsumer({
        apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
        kind: 'Metal3Machine',
        namespace: 'a',
        name: 'm',
      }),
    ).toBeUndefined();
    expect(hostConsumer(undefined)).toBeUndefined();
  });
});

describe('secretOwner', () => {
  const machine = { namespace: 'team-a', name: 'm1' };

  it('ties every Secret the lifecycle writes to its Machine', () => {
    for (const name of [
      machineSecretName(machine, 'userData'),
      machineSecretName(machine, 'networkData'),
      machineSecretName(machine, 'metaData'),
      snapshotSecretName(machine),
    ]) {
      expect(secretOwner({ name, labels: machineLabels(machine) })).toEqual({ kind: 'machine', machine });
    }
  });

  it('leaves alone a Secret whose labels were cut (a Machine name over 63 characters)', () => {
    const long = { namespace: 'team-a', name: `m-${'x'.repeat(70)}` };
    const owner = secretOwner({ name: machineSecretName(long, 'userData'), labels: machineLabels(long) });
    expect(owner?.kind).toBe('unknown');
  });

  it('leaves alone a labelled Secret with a name the lifecycle never gives, and ignores unlabelled ones', () => {
    expect(secretOwner({ name: 'm1-by-hand', labels: machineLabels(machine) })?.kind).toBe('unknown');
    expect(secretOwner({ name: 'other', labels: {} })).toBeUndefined();
  });
});

describe('reclaim positions', () => {
  const scope = { namespaces: ['a', 'b'], providers: [] };

  it('walks hosts, addresses, Secrets per namespace, then the Stuck Machines, following continue tokens', () => {
    const seen: string[] = [];
    let position: ReclaimPosition | undefined = firstPosition(scope);
    let tokens = 1;
    while (position) {
      seen.push(`${position.kind}@${position.kind === 'stuck' ? '-' : (scope.namespaces[position.namespace] ?? '')}`);
      // The first listing has a second page; every other fits one page.
      const next = tokens-- > 0 ? { token: 't', after: 'x' } : undefined;
      position = nextPosition(scope, position, next);
    }
    expect(seen).toEqual([
      'hosts@a',
      'hosts@a',
      'addresses@a',
      'secrets@a',
      'hosts@b',
      'addresses@b',
      'secrets@b',
      'stuck@-',
    ]);
  });

  it('past a listing that keeps failing, goes on with the next namespace, never to its addresses or Secrets', () => {
    expect(skipPosition(scope, { namespace: 0, kind: 'hosts', page: { token: 't' } })).toEqual({
      namespace: 1,
      kind: 'hosts',
      page: {},
    });
    expect(skipPosition(scope, { namespace: 1, kind: 'addresses', page: {} })).toEqual({
      namespace: 0,
      kind: 'stuck',
      page: {},
    });
    expect(skipPosition(scope, { namespace: 0, kind: 'stuck', page: {} })).toBeUndefined();
  });

  it('with no namespace in scope only lists Stuck Machines', () => {
    const empty = { namespaces: [], providers: [] };
    const first = firstPosition(empty);
    expect(first.kind).toBe('stuck');
    expect(nextPosition(empty, first, undefined)).toBeUndefined();
  });
});

describe('reportMarkdown', () => {
  it('says plainly when there was nothing to reclaim', () => {
    const report = emptyReport({ dryRun: false, startedAt: '2026-01-01T00:00:00Z', stuckAfterMs: 3_600_000 });
    expect(reportMarkdown(report, 'done')).toContain('Nothing to reclaim');
  });

  it('lists what a dry run would do, and Stuck Machines with the threshold', () => {
    const report = emptyReport({ dryRun: true, startedAt: '2026-01-01T00:00:00Z', stuckAfterMs: 3_600_000 });
    report.hosts = {
      found: 1,
      repaired: 0,
      failed: 0,
      items: [{ namespace: 'metal3', name: 'host-1', machine: 'team-a/m1', outcome: 'would release and restore' }],
    };
    report.stuck = [{ machine: 'team-a/m2', workflowId: 'machine/team-a/m2', stuckSince: '2026-01-01T00:00:00Z' }];
    const text = reportMarkdown(report, 'done');
    expect(text).toContain('dry run: nothing changed');
    expect(text).toContain('### BareMetalHosts to release and restore: 1');
    expect(text).toContain('`metal3/host-1` of Machine `team-a/m1`: would release and restore');
    expect(text).toContain('### Machines Stuck for over 1h (not touched): 1');
    expect(text).not.toContain('Nothing to reclaim');
  });

  it('names the listings that could not be finished', () => {
    const report = emptyReport({ dryRun: false, startedAt: '2026-01-01T00:00:00Z', stuckAfterMs: 3_600_000 });
    report.errors = ['looking at hosts in metal3 failed: forbidden'];
    const text = reportMarkdown(report, 'done');
    expect(text).toContain('### Could not finish: 1');
    expect(text).toContain('- looking at hosts in metal3 failed: forbidden');
    expect(text).not.toContain('Nothing to reclaim');
  });
});

describe('stuck Machines', () => {
  it('asks visibility for running Stuck Machines of the providers, started before the threshold', () => {
    expect(stuckQuery(['east', "o'brien"], new Date('2026-01-01T00:00:00Z'))).toBe(
      "WorkflowType = 'machineLifecycle' AND ExecutionStatus = 'Running' AND MachinePhase = 'Stuck' AND " +
        "StartTime < '2026-01-01T00:00:00.000Z' AND NodeProvider IN ('east', 'obrien')",
    );
  });

  it('dates Stuck from the end of the last failed step', () => {
    const status = {
      phase: 'Stuck',
      steps: [
        { step: 'configureHost', startedAt: '1', endedAt: '2', outcome: 'ok' },
        { step: 'awaitProvisioned', startedAt: '2', endedAt: '2026-01-01T01:00:00Z', outcome: 'failed' },
      ],
    } as MachineStatus;
    expect(stuckSince(status)).toBe('2026-01-01T01:00:00Z');
    expect(stuckSince({ ...status, phase: 'Ready' })).toBeUndefined();
  });
});

describe('parseDuration', () => {
  it('reads what operators type and refuses the rest with an example', () => {
    expect(parseDuration('10m', '--every')).toBe(600_000);
    expect(parseDuration('2d', '--every')).toBe(172_800_000);
    expect(() => parseDuration('10', '--every')).toThrow('--every 10 is not a duration; write e.g. 90s, 10m, 1h or 2d');
    expect(() => parseDuration('0m', '--every')).toThrow('not a duration');
  });
});
