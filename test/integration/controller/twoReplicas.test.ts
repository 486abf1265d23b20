import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CoordinationV1Api } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../devstack/devstack.js';
import type { NodeClaimController } from '../../../controller/nodeClaimController.js';
import { useMachineStack } from '../../support/machineStack.js';
import { TEST_LEASE, claimApi, startController, workflowStarts } from './controllerKit.js';

// Provisioning takes a few seconds, so leadership changes hands while a Machine is still on its way.
const stack = useMachineStack({ hosts: 2, hostAnnotations: { 'sim.metal3-provider/delay-provisioning-ms': '4000' } });
const replicas: NodeClaimController[] = [];
const processes: ChildProcess[] = [];

afterAll(async () => {
  for (const child of processes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(replicas.map((r) => r.stop()));
});

function replica(identity: string, lease: string): NodeClaimController {
  const controller = startController(stack, identity, lease);
  replicas.push(controller);
  return controller;
}

async function leaseHolder(lease: string): Promise<string | undefined> {
  try {
    const read = await stack.env.kubeConfig
      .makeApiClient(CoordinationV1Api)
      .readNamespacedLease({ name: lease, namespace: stack.env.namespace });
    return read.spec?.holderIdentity;
  } catch {
    return undefined;
  }
}

async function waitForLeader(controller: NodeClaimController, timeout = 20_000): Promise<number> {
  const started = Date.now();
  await expect.poll(() => controller.isLeader, { timeout, interval: 50 }).toBe(true);
  return Date.now() - started;
}

describe('two controller replicas', () => {
  it('only the leader acts; when it stops, the other takes over within the lease duration and finishes the job', async () => {
    const claims = claimApi(stack);
    const a = replica('replica-a', 'pair');
    await waitForLeader(a);
    const b = replica('replica-b', 'pair');

    await claims.apply('pair-1');
    await claims.waitForPhase('pair-1', 'Provisioning');
    expect(a.counters.actions.start).toBe(1);
    expect(b.isLeader).toBe(false);
    expect(b.counters.reconciles).toBe(0);
    expect(b.counters.terms).toBe(0);

    await a.stop();
    const aAfterStop = structuredClone(a.counters);
    const takeoverMs = await waitForLeader(b);
    expect(takeoverMs).toBeLessThan(TEST_LEASE.leaseDurationSeconds * 1000);
    expect(await leaseHolder('pair')).toBe('replica-b');

    const ready = await claims.waitForPhase('pair-1', 'Ready');
    expect(ready.status?.bareMetalHost).toBeDefined();
    await claims.delete('pair-1');
    await claims.waitGone('pair-1');

    expect(b.counters.reconciles).toBeGreaterThan(0);
    expect(b.counters.actions.start).toBe(0);
    expect(b.counters.actions.release).toBe(1);
    expect(b.counters.actions.removeFinalizer).toBe(1);
    // The stopped replica did nothing more.
    expect(a.counters).toEqual(aAfterStop);
    expect(await workflowStarts(stack, 'pair-1')).toBe(1);
    const reasons = (await claims.events('pair-1')).map((e) => e.reason);
    expect(reasons.filter((r) => r === 'MachineStarted')).toHaveLength(1);
    expect(reasons.filter((r) => r === 'Ready')).toHaveLength(1);
  });

  it('a leader that dies without handing over (SIGKILL) is replaced once its lease expires', async () => {
    const claims = claimApi(stack);
    const leader = spawn(
      process.execPath,
      [
        join(projectRoot, 'bin', 'metal3-provider.js'),
        'controller',
        '--namespace',
        stack.env.namespace,
        '--task-queue',
        stack.env.taskQueue,
        '--lease-name',
        'crash',
        '--lease-namespace',
        stack.env.namespace,
        '--identity',
        'cli-leader',
        '--lease-duration',
        String(TEST_LEASE.leaseDurationSeconds),
        '--renew-deadline',
        String(TEST_LEASE.renewDeadlineMs / 1000),
        '--retry-period',
        String(TEST_LEASE.retryPeriodMs / 1000),
        '--poll-interval',
        '0.5',
      ],
      {
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: stack.env.temporal.address,
          TEMPORAL_NAMESPACE: stack.env.temporal.namespace,
          KUBECONFIG: stack.env.kubeconfigPath,
        },
        stdio: 'ignore',
      },
    );
    processes.push(leader);
    await expect.poll(() => leaseHolder('crash'), { timeout: 60_000, interval: 200 }).toBe('cli-leader');
    const follower = replica('follower', 'crash');

    await claims.apply('crash-1');
    await claims.waitForPhase('crash-1', 'Provisioning', 30_000);
    expect(follower.counters.reconciles).toBe(0);

    const exited = new Promise((resolve) => leader.once('exit', resolve));
    leader.kill('SIGKILL');
    await exited;
    const takeoverMs = await waitForLeader(follower);
    // It waited for the lease to expire (the dead leader could not hand over) and not much longer.
    expect(takeoverMs).toBeGreaterThan(TEST_LEASE.leaseDurationSeconds * 1000 - 2 * TEST_LEASE.retryPeriodMs);
    expect(takeoverMs).toBeLessThan(TEST_LEASE.leaseDurationSeconds * 1000 + 3 * TEST_LEASE.retryPeriodMs);

    await claims.waitForPhase('crash-1', 'Ready');
    await claims.delete('crash-1');
    await claims.waitGone('crash-1');
    expect(follower.counters.actions.start).toBe(0);
    expect(await workflowStarts(stack, 'crash-1')).toBe(1);
  });
});
