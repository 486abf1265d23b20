import { afterAll, describe, expect, it } from 'vitest';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import type { NodeClaimController } from '../../../controller/nodeClaimController.js';
import { useMachineStack } from '../../support/machineStack.js';
import {
  awaitAvailableHosts,
  NODECLAIM_FINALIZER,
  claimApi,
  startController,
  workflowStarts,
} from './controllerKit.js';

const stack = useMachineStack({ hosts: 2 });
let controller: NodeClaimController | undefined;

afterAll(async () => {
  await controller?.stop();
});

describe('NodeClaim controller', () => {
  it('provisions an applied NodeClaim to Ready and, when it is deleted, releases the host before letting it go', async () => {
    const claims = claimApi(stack);
    const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
    await awaitAvailableHosts(stack, 2);
    controller = startController(stack, 'only', 'lifecycle');

    await claims.apply('web-1', { 'metal3.vcluster.com/network-cidr': '10.60.0.1/24' });
    const ready = await claims.waitForPhase('web-1', 'Ready');
    expect(ready.metadata.finalizers).toContain(NODECLAIM_FINALIZER);
    const host = ready.status?.bareMetalHost ?? '';
    expect(host).not.toBe('');
    expect(ready.status?.address).toMatch(/^10\.60\.0\.\d+\/24$/);
    expect(ready.status?.workflowId).toBe(`machine/${stack.env.namespace}/web-1`);
    expect(ready.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'True',
      reason: 'Provisioned',
    });
    const consumed = await hosts.get(host);
    expect(consumed.spec.consumerRef).toMatchObject({ kind: 'NodeClaim', name: 'web-1', uid: ready.metadata.uid });
    expect(consumed.status?.provisioning?.state).toBe('provisioned');

    // `kubectl get nodeclaims` shows the status through the CRD's printer columns.
    const table = await claims.table();
    expect(table.columns).toEqual(['Name', 'Provider', 'Type', 'Phase', 'Host', 'Address', 'Ready', 'Age', 'Reason']);
    expect(table.rows[0]).toMatchObject({
      Name: 'web-1',
      Type: 'compute-node',
      Phase: 'Ready',
      Host: host,
      Address: ready.status?.address,
      Ready: 'True',
      Reason: 'Provisioned',
    });

    await claims.waitForEvent('web-1', 'Ready');
    const provisioned = await claims.events('web-1');
    expect(provisioned.map((e) => e.reason)).toEqual(
      expect.arrayContaining([
        'MachineStarted',
        'ClaimHost',
        'AllocateAddress',
        'ConfigureHost',
        'AwaitProvisioned',
        'Ready',
      ]),
    );
    expect(provisioned.find((e) => e.reason === 'HostClaimed')?.message).toBe(`claimed BareMetalHost ${host}`);
    expect(provisioned.find((e) => e.reason === 'ConfigureHost')?.message).toContain(`on BareMetalHost ${host}`);

    await claims.delete('web-1');
    // The finalizer holds the claim while the Machine releases; the controller reports it meanwhile.
    const releasing = await claims.get('web-1');
    expect(releasing?.metadata.deletionTimestamp).toBeDefined();
    await claims.waitGone('web-1');
    const released = await hosts.get(host);
    expect(released.spec.consumerRef).toBeUndefined();
    expect(released.spec.image).toBeUndefined();
    expect(released.status?.provisioning?.state).toBe('available');
    const status = await stack.client.getMachineStatus({ namespace: stack.env.namespace, name: 'web-1' });
    expect(status?.phase).toBe('Released');
    await claims.waitForEvent('web-1', 'Released');
    const all = (await claims.events('web-1')).map((e) => e.reason);
    expect(all).toEqual(
      expect.arrayContaining(['ReleaseRequested', 'ReleaseHost', 'AwaitAvailable', 'ReleaseAddress']),
    );
    expect(await workflowStarts(stack, 'web-1')).toBe(1);
    expect(controller.counters.actions.start).toBe(1);
    expect(controller.counters.actions.release).toBe(1);
    expect(controller.counters.actions.removeFinalizer).toBe(1);
  });

  it('reports a spec the CRD accepts but the provider cannot use, and starts nothing', async () => {
    const claims = claimApi(stack);
    controller ??= startController(stack, 'only', 'lifecycle');
    const api = stack.env.kubeConfig;
    const { CustomObjectsApi } = await import('@kubernetes/client-node');
    const claim = stack.claim('bad-1');
    claim.spec = { providerRef: claim.spec.providerRef };
    await api.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
      group: 'management.loft.sh',
      version: 'v1',
      namespace: stack.env.namespace,
      plural: 'nodeclaims',
      body: claim,
    });
    await expect
      .poll(async () => (await claims.get('bad-1'))?.status?.conditions?.find((c) => c.type === 'Ready')?.reason, {
        timeout: 20_000,
      })
      .toBe('InvalidSpec');
    const stored = await claims.get('bad-1');
    expect(stored?.status?.conditions?.[0]?.message).toContain('names no node type');
    expect(await workflowStarts(stack, 'bad-1')).toBe(0);
    // Deleting it needs no release: nothing was started.
    await claims.delete('bad-1');
    await claims.waitGone('bad-1', 20_000);
  });

  it('shows a Stuck Machine as Ready=False with what to do, and releases it when the claim is deleted', async () => {
    const claims = claimApi(stack);
    controller ??= startController(stack, 'only', 'lifecycle');
    const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
    const target = (await hosts.list()).items.find((h) => !h.spec.consumerRef)?.metadata.name ?? '';
    const flaky = await hosts.get(target);
    flaky.metadata.annotations = { ...flaky.metadata.annotations, 'sim.metal3-provider/fail-provisioning': '5' };
    await hosts.replace(flaky);

    await claims.apply('stuck-1', { 'metal3.vcluster.com/server-name': target });
    const stuck = await claims.waitForPhase('stuck-1', 'Stuck');
    const ready = stuck.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'Stuck' });
    expect(ready?.message).toContain('send the signal `retry`');
    expect(stuck.status?.bareMetalHost).toBe(target);
    await claims.waitForEvent('stuck-1', 'Stuck');
    const warnings = (await claims.events('stuck-1')).filter((e) => e.type === 'Warning').map((e) => e.reason);
    expect(warnings).toContain('Stuck');
    expect(warnings).toContain('AwaitProvisioned');

    await claims.delete('stuck-1');
    await claims.waitGone('stuck-1');
    const returned = await hosts.get(target);
    expect(returned.spec.consumerRef).toBeUndefined();
    // The host works again for the next test.
    delete returned.metadata.annotations?.['sim.metal3-provider/fail-provisioning'];
    await hosts.replace(returned);
  });

  it('does not provision again a Machine released from outside while its claim still exists', async () => {
    const claims = claimApi(stack);
    controller ??= startController(stack, 'only', 'lifecycle');
    await claims.apply('cli-released');
    await claims.waitForPhase('cli-released', 'Ready');
    await stack.client.releaseMachine({ namespace: stack.env.namespace, name: 'cli-released' });
    const released = await claims.waitForPhase('cli-released', 'Released');
    expect(released.status?.bareMetalHost).toBeUndefined();
    expect(released.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'Released',
    });
    // Later looks at the claim (a touch of its labels wakes the controller) start nothing either.
    await claims.label('cli-released', { touched: 'yes' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await workflowStarts(stack, 'cli-released')).toBe(1);
    await claims.delete('cli-released');
    await claims.waitGone('cli-released');
    expect(await workflowStarts(stack, 'cli-released')).toBe(1);
  });
});
