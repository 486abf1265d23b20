import { afterAll, describe, expect, it } from 'vitest';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import type { NodeClaimController } from '../../../controller/nodeClaimController.js';
import { checkFleetInvariants } from '../../../invariants/readFleet.js';
import { useMachineStack } from '../../support/machineStack.js';
import { recordHistory } from '../../support/recordHistory.js';
import { awaitAvailableHosts, claimApi, startController } from './controllerKit.js';

/**
 * A Ready Machine whose host goes away: the NodeClaim controller sees it through its host watch,
 * the Machine goes HostLost, `check` reports it, and the operator's `retry` brings it back. The
 * controller's own polls are set far apart (10 min), so everything a claim shows here within
 * seconds came from the host watch and the phase-change feed.
 */
const stack = useMachineStack({ hosts: 3 });
let controller: NodeClaimController | undefined;
const FOLLOW_MS = 15_000;

afterAll(async () => {
  await controller?.stop();
});

function readyCondition(claim: Awaited<ReturnType<ReturnType<typeof claimApi>['waitForPhase']>>) {
  return claim.status?.conditions?.find((c) => c.type === 'Ready');
}

describe('a Ready Machine whose host is lost', () => {
  it('goes HostLost when its host is deleted, is reported by check, and moves to another host on retry --other-host', async () => {
    const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
    await awaitAvailableHosts(stack, 3);
    controller = startController(stack, 'only', 'host-lost', { settledIntervalMs: 600_000 });
    const claims = claimApi(stack);
    await claims.apply('lost-1');
    const ready = await claims.waitForPhase('lost-1', 'Ready');
    const first = ready.status?.bareMetalHost ?? '';

    await hosts.delete(first);
    const lost = await claims.waitForPhase('lost-1', 'HostLost', FOLLOW_MS);
    expect(readyCondition(lost)).toMatchObject({ status: 'False', reason: 'HostLost' });
    expect(readyCondition(lost)?.message).toMatch(new RegExp(`BareMetalHost ${first} (was|is being) deleted`));
    expect(readyCondition(lost)?.message).toContain('{"otherHost": true}');
    await claims.waitForEvent('lost-1', 'HostLost');

    const report = await checkFleetInvariants(stack.env.kubeConfig, stack.env.temporal.client, [stack.env.namespace]);
    expect(report.violations).toContainEqual(
      expect.objectContaining({ invariant: 'ready-machine-host', object: `NodeClaim/${stack.env.namespace}/lost-1` }),
    );

    const machine = { namespace: stack.env.namespace, name: 'lost-1' };
    expect(await stack.client.retryMachine(machine, { otherHost: true })).toContain('on another host');
    const moved = await claims.waitForPhase('lost-1', 'Ready', FOLLOW_MS + 30_000);
    expect(moved.status?.bareMetalHost).not.toBe(first);
    expect((await hosts.get(moved.status?.bareMetalHost ?? '')).spec.consumerRef?.name).toBe('lost-1');
    const healthy = await checkFleetInvariants(stack.env.kubeConfig, stack.env.temporal.client, [stack.env.namespace]);
    expect(healthy.violations).toEqual([]);

    await claims.delete('lost-1');
    await claims.waitGone('lost-1');
    await recordHistory(stack.client.handle(machine), 'host-lost-other-host');
  });

  it('goes HostLost when its host is switched off, and a plain retry powers the same host back on', async () => {
    const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
    const claims = claimApi(stack);
    await claims.apply('lost-2');
    const ready = await claims.waitForPhase('lost-2', 'Ready');
    const name = ready.status?.bareMetalHost ?? '';
    const host = await hosts.get(name);
    await hosts.replace({ ...host, spec: { ...host.spec, online: false } });

    const lost = await claims.waitForPhase('lost-2', 'HostLost', FOLLOW_MS);
    expect(readyCondition(lost)?.message).toContain(`BareMetalHost ${name} was switched off (spec.online is false)`);

    // The retry comes from outside the controller; the claim follows within seconds, not at the 10 min poll.
    await stack.client.retryMachine({ namespace: stack.env.namespace, name: 'lost-2' });
    const back = await claims.waitForPhase('lost-2', 'Ready', FOLLOW_MS);
    expect(back.status?.bareMetalHost).toBe(name);
    expect((await hosts.get(name)).spec.online).toBe(true);

    // A release from outside (the CLI, the Web UI) shows on the claim within seconds too.
    await stack.client.releaseMachine({ namespace: stack.env.namespace, name: 'lost-2' });
    await claims.waitForPhase('lost-2', 'Released', FOLLOW_MS + 30_000);
  });
});
