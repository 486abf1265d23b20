import { describe, expect, it } from 'vitest';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { createSimHosts } from '../../../sim/simHosts.js';
import { annotateHost } from '../../support/annotateHost.js';
import { useMachineStack } from '../../support/machineStack.js';
import { recordHistory } from '../../support/recordHistory.js';

/**
 * Claims that have to wait: no fitting host, a pinned host held by another Machine or in error, an
 * exhausted address pool. Each waits (WaitingForHost, or Stuck and tried again by itself) and
 * reaches Ready once the cause goes away, without anyone sending `retry`. The short steps run as
 * local activities here, whose failures reach the workflow unwrapped.
 */
const stack = useMachineStack({ hosts: 1 });
const HOST_1 = 'sim-host-001';
const HOST_2 = 'sim-host-002';
const HOST_3 = 'sim-host-003';

async function addHosts(count: number): Promise<void> {
  await createSimHosts(stack.env.kubeConfig, stack.env.namespace, { count, labels: { role: 'compute' } });
}

/** Releases the Machine and, with METAL3_RECORD_HISTORIES=1, keeps its history as a replay fixture. */
async function release(name: string, scenario?: string): Promise<void> {
  const handle = stack.client.handle({ namespace: stack.env.namespace, name });
  await handle.signal('release');
  expect((await handle.result()).phase).toBe('Released');
  if (scenario) await recordHistory(handle, scenario);
}

describe('a claim that has to wait', () => {
  it('waits for a host when none fits, and takes one added later', async () => {
    const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
    await expect
      .poll(async () => (await hosts.get(HOST_1)).status?.provisioning?.state, { timeout: 30_000 })
      .toBe('available');
    await stack.client.provisionMachine(stack.claim('first'));
    expect((await stack.waitForPhase('first', 'Ready')).host).toBe(HOST_1);

    await stack.client.provisionMachine(stack.claim('second'));
    const waiting = await stack.waitForPhase('second', 'WaitingForHost');
    expect(waiting.details).toContain('No BareMetalHost of node type compute-node available');
    expect(waiting.details).toContain('1 host(s) match the selector: 1 consumed by another Machine');
    expect(waiting.steps.filter((s) => s.step === 'claimHost').every((s) => s.outcome === 'failed')).toBe(true);

    await addHosts(2);
    const ready = await stack.waitForPhase('second', 'Ready', 90_000);
    expect(ready.host).toBe(HOST_2);
  });

  it('waits while its pinned host is held by another Machine, and takes it once released', async () => {
    await stack.client.provisionMachine(stack.claim('pinned', { 'metal3.vcluster.com/server-name': HOST_1 }));
    const waiting = await stack.waitForPhase('pinned', 'WaitingForHost');
    expect(waiting.details).toContain(`the pinned BareMetalHost ${HOST_1} is consumed by NodeClaim`);
    expect(waiting.details).toContain('/first');

    await release('first');
    const ready = await stack.waitForPhase('pinned', 'Ready', 90_000);
    expect(ready.host).toBe(HOST_1);
  });

  it('is Stuck while its pinned host is in error, and goes on by itself once the error clears', async () => {
    await release('second', 'waiting-for-host-then-ready');
    const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
    await expect.poll(async () => (await hosts.get(HOST_2)).spec.consumerRef, { timeout: 30_000 }).toBeUndefined();
    await annotateHost(stack.env.kubeConfig, stack.env.namespace, HOST_2, {
      'sim.metal3-provider/fail-registration': 'true',
    });
    await expect.poll(async () => (await hosts.get(HOST_2)).status?.errorType, { timeout: 30_000 }).toBeDefined();

    await stack.client.provisionMachine(stack.claim('in-error', { 'metal3.vcluster.com/server-name': HOST_2 }));
    const stuck = await stack.waitForPhase('in-error', 'Stuck');
    expect(stuck.details).toContain(`BareMetalHost ${HOST_2}`);
    expect(stuck.details).toContain('registration error');
    expect(stuck.details).toContain('Tried again by itself every 10s');

    await annotateHost(stack.env.kubeConfig, stack.env.namespace, HOST_2, {
      'sim.metal3-provider/fail-registration': null,
    });
    const ready = await stack.waitForPhase('in-error', 'Ready', 90_000);
    expect(ready.host).toBe(HOST_2);
  });

  it('is Stuck on an exhausted address pool, and goes on by itself once an address is freed', async () => {
    await release('pinned', 'pinned-host-held-then-freed');
    await release('in-error', 'pinned-host-in-error-then-fixed');
    await addHosts(3);
    const onePool = {
      'metal3.vcluster.com/network-cidr': '10.60.0.1/24',
      'metal3.vcluster.com/network-ip-range': '10.60.0.10-10.60.0.10',
    };
    await stack.client.provisionMachine(stack.claim('holder', onePool));
    expect((await stack.waitForPhase('holder', 'Ready')).address).toBe('10.60.0.10/24');

    await stack.client.provisionMachine(stack.claim('starved', onePool));
    const stuck = await stack.waitForPhase('starved', 'Stuck');
    expect(stuck.step).toBe('allocateAddress');
    expect(stuck.details).toContain('Allocating an address');
    expect(stuck.details).not.toContain('otherHost');
    expect(stuck.details).toContain('Tried again by itself');

    await release('holder');
    const ready = await stack.waitForPhase('starved', 'Ready', 90_000);
    expect(ready.address).toBe('10.60.0.10/24');
    expect([HOST_1, HOST_2, HOST_3]).toContain(ready.host);
    await release('starved', 'address-pool-exhausted-then-freed');
  });
});
