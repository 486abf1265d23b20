import { afterAll, describe, expect, it } from 'vitest';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import type { NodeClaimController } from '../../../controller/nodeClaimController.js';
import { useMachineStack } from '../../support/machineStack.js';
import { awaitAvailableHosts, claimApi, startController, workflowStarts } from './controllerKit.js';

const stack = useMachineStack({ hosts: 3 });
const running: NodeClaimController[] = [];

afterAll(async () => {
  await Promise.all(running.map((c) => c.stop()));
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** A loaded machine (a full test run on two cores) can take a minute to bring a Machine to a phase. */
const SLOW_MACHINE = 150_000;

describe('a restarted controller', () => {
  it('picks up every existing claim from a fresh list without starting a workflow twice or repeating an Event', async () => {
    const claims = claimApi(stack);
    const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
    await awaitAvailableHosts(stack, 3);
    // One host provisions slowly, so one Machine is still on its way when the controller restarts.
    const slowHost = (await hosts.list()).items[0]?.metadata.name ?? '';
    const slow = await hosts.get(slowHost);
    slow.metadata.annotations = { ...slow.metadata.annotations, 'sim.metal3-provider/delay-provisioning-ms': '8000' };
    await hosts.replace(slow);

    const first = startController(stack, 'first', 'restart');
    running.push(first);
    // The pinned claim goes first, so neither of the others takes its host.
    await claims.apply('r-slow', { 'metal3.vcluster.com/server-name': slowHost });
    await claims.waitForPhase('r-slow', 'Provisioning', SLOW_MACHINE);
    await claims.apply('r-1');
    await claims.apply('r-2');
    await claims.waitForPhase('r-1', 'Ready', SLOW_MACHINE);
    await claims.waitForPhase('r-2', 'Ready', SLOW_MACHINE);
    expect((await claims.get('r-slow'))?.status?.phase).toBe('Provisioning');
    await claims.waitForEvent('r-1', 'Ready');
    await claims.waitForEvent('r-2', 'Ready');
    const eventsBefore = {
      'r-1': await claims.events('r-1'),
      'r-2': await claims.events('r-2'),
    };
    await first.stop();

    const second = startController(stack, 'second', 'restart');
    running.push(second);
    await claims.waitForPhase('r-slow', 'Ready', SLOW_MACHINE);
    expect(second.counters.terms).toBe(1);
    // It looked at all three (the informer's first list), but had nothing to start or add.
    expect(second.counters.reconciles).toBeGreaterThanOrEqual(3);
    expect(second.counters.actions.start).toBe(0);
    expect(second.counters.actions.addFinalizer).toBe(0);
    for (const name of ['r-1', 'r-2', 'r-slow']) expect(await workflowStarts(stack, name)).toBe(1);

    await claims.waitForEvent('r-slow', 'Ready');
    // Settled claims got no new Events; every step of every claim was reported exactly once.
    expect(await claims.events('r-1')).toEqual(eventsBefore['r-1']);
    expect(await claims.events('r-2')).toEqual(eventsBefore['r-2']);
    for (const name of ['r-1', 'r-2', 'r-slow']) {
      const counts = countBy((await claims.events(name)).map((e) => e.reason));
      expect(
        Object.values(counts).every((n) => n === 1),
        `${name}: ${JSON.stringify(counts)}`,
      ).toBe(true);
      expect(Object.keys(counts)).toEqual(
        expect.arrayContaining(['MachineStarted', 'HostClaimed', 'ConfigureHost', 'AwaitProvisioned', 'Ready']),
      );
    }

    for (const name of ['r-1', 'r-2', 'r-slow']) await claims.delete(name);
    for (const name of ['r-1', 'r-2', 'r-slow']) await claims.waitGone(name);
    expect((await hosts.list()).items.filter((h) => h.spec.consumerRef !== undefined)).toEqual([]);
  }, 600_000);
});
