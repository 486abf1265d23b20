import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { BareMetalHost } from '../../../api/bareMetalHost.js';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { annotateHost } from '../../support/annotateHost.js';
import { useMachineStack } from '../../support/machineStack.js';
import { recordHistory } from '../../support/recordHistory.js';

const stack = useMachineStack({ hosts: 4 });

/** A host as a user sees it: everything but status and server-managed metadata. */
function userView(host: BareMetalHost) {
  const {
    resourceVersion: _rv,
    managedFields: _mf,
    generation: _g,
    ...metadata
  } = host.metadata as Record<string, unknown>;
  return { metadata, spec: host.spec };
}

async function machineSecrets(name: string): Promise<string[]> {
  const { items } = await stack.env.kubeConfig
    .makeApiClient(CoreV1Api)
    .listNamespacedSecret({ namespace: stack.env.namespace, labelSelector: `metal3-provider.io/machine-name=${name}` });
  return items.map((s) => s.metadata?.name ?? '');
}

async function allocations(): Promise<{ spec?: { machine?: { name?: string } } }[]> {
  const list = (await stack.env.kubeConfig.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
    group: 'metal3-provider.io',
    version: 'v1alpha1',
    namespace: stack.env.namespace,
    plural: 'ipaddressallocations',
  })) as { items: { spec?: { machine?: { name?: string } } }[] };
  return list.items;
}

describe('machineLifecycle', () => {
  it('provisions a Machine to Ready and releases it, restoring the host exactly and leaving nothing behind', async () => {
    const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
    await expect
      .poll(
        async () => (await hosts.list()).items.filter((h) => h.status?.provisioning?.state === 'available').length,
        { timeout: 30_000 },
      )
      .toBe(4);
    const before = new Map((await hosts.list()).items.map((h) => [h.metadata.name, userView(h)]));
    await stack.secret('m1-join', {
      joinCommand: 'curl -sfL https://join.example.test/m1 | sh -s -- --token JOIN-MARKER-m1',
    });

    const claim = stack.claim('m1', {
      'metal3.vcluster.com/network-cidr': '10.50.0.1/24',
      'metal3.vcluster.com/dns-servers': '10.50.0.53',
      'metal3-provider.io/join-secret': `${stack.env.namespace}/m1-join`,
    });
    const first = await stack.client.provisionMachine(claim);
    const second = await stack.client.provisionMachine(claim);
    expect(second.firstExecutionRunId).toBe(first.firstExecutionRunId);

    const ready = await stack.waitForPhase('m1', 'Ready');
    expect(ready.host).toBeDefined();
    expect(ready.address).toMatch(/^10\.50\.0\.\d+\/24$/);
    expect(ready.properties['vcluster.com/os-image']?.origin).toBe('node type "compute-node" properties');
    const host = await hosts.get(ready.host ?? '');
    expect(host.status?.provisioning?.state).toBe('provisioned');
    expect(host.spec.consumerRef).toMatchObject({ kind: 'NodeClaim', name: 'm1', namespace: stack.env.namespace });
    expect(host.metadata.annotations?.['metal3.vcluster.com/ip-address']).toBe(ready.address);
    const userDataSecret = await stack.env.kubeConfig
      .makeApiClient(CoreV1Api)
      .readNamespacedSecret({ name: host.spec.userData?.name ?? '', namespace: stack.env.namespace });
    const userData = Buffer.from(userDataSecret.data?.userData ?? '', 'base64').toString();
    expect(userData.startsWith('#cloud-config')).toBe(true);
    expect(userData).toContain('JOIN-MARKER-m1');
    expect(userData).toContain('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5');
    expect((await allocations()).map((a) => a.spec?.machine?.name)).toEqual(['m1']);

    expect(await stack.client.releaseMachine({ namespace: stack.env.namespace, name: 'm1' })).toContain(
      'release requested',
    );
    const released = await first.result();
    expect(released.phase).toBe('Released');
    await recordHistory(first, 'provision-and-release');
    await recordHistory(first, 'provision-folded-writes', first.firstExecutionRunId);
    await recordHistory(first, 'ready-run-folded-writes');
    expect(userView(await hosts.get(ready.host ?? ''))).toEqual(before.get(ready.host ?? ''));
    expect(await machineSecrets('m1')).toEqual([]);
    expect(await allocations()).toEqual([]);
  });

  it('is Stuck after the attempt budget, found by MachinePhase="Stuck", and a retry signal then succeeds', async () => {
    const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
    const target = (await hosts.list()).items.find((h) => !h.spec.consumerRef)?.metadata.name ?? '';
    await annotateHost(stack.env.kubeConfig, stack.env.namespace, target, {
      'sim.metal3-provider/fail-provisioning': '3',
    });

    const handle = await stack.client.provisionMachine(
      stack.claim('m2', { 'metal3.vcluster.com/server-name': target }),
    );
    const stuck = await stack.waitForPhase('m2', 'Stuck');
    expect(stuck.host).toBe(target);
    expect(stuck.provisionAttempts).toBe(2);
    expect(stuck.details).toContain('send the signal `retry`');
    await expect
      .poll(async () => (await stack.client.listMachines({ phase: 'Stuck' })).map((m) => m.machine), {
        timeout: 20_000,
      })
      .toContain(`${stack.env.namespace}/m2`);

    await handle.signal('retry');
    await stack.waitForPhase('m2', 'Ready');
    await handle.signal('release');
    expect((await handle.result()).phase).toBe('Released');
    await recordHistory(handle, 'stuck-then-retry');
    await recordHistory(handle, 'stuck-then-retry.folded-writes', handle.firstExecutionRunId);
  });

  it('cancelling mid-provision leaves no claimed host, allocation or Secret', async () => {
    const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
    const target = (await hosts.list()).items.find((h) => !h.spec.consumerRef)?.metadata.name ?? '';
    await annotateHost(stack.env.kubeConfig, stack.env.namespace, target, {
      'sim.metal3-provider/delay-provisioning-ms': '600000',
    });

    const handle = await stack.client.provisionMachine(
      stack.claim('m3', {
        'metal3.vcluster.com/server-name': target,
        'metal3.vcluster.com/network-cidr': '10.51.0.1/24',
      }),
    );
    await stack.waitForPhase('m3', 'Provisioning');
    await expect
      .poll(async () => (await hosts.get(target)).status?.provisioning?.state, { timeout: 20_000 })
      .toBe('provisioning');
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    await recordHistory(handle, 'cancel-mid-provision');
    const after = await hosts.get(target);
    expect(after.spec.consumerRef).toBeUndefined();
    expect(after.spec.image).toBeUndefined();
    expect(await machineSecrets('m3')).toEqual([]);
    expect((await allocations()).filter((a) => a.spec?.machine?.name === 'm3')).toEqual([]);
  });
  it('is Stuck when its template passes the step budget, renders again on retry, and release cleans up', async () => {
    const template = '#cloud-config\nruncmd:\n- echo {{ range until 100000000 }}x{{ end }}\n';
    const handle = await stack.client.provisionMachine(
      stack.claim('m4', { 'vcluster.com/user-data-template': template }),
    );
    const stuck = await stack.waitForPhase('m4', 'Stuck');
    expect(stuck.details).toMatch(/^Rendering the Machine data on BareMetalHost \S+: .*step/);
    // Rendering again runs on the same host: another host is not offered where it would not be taken.
    expect(stuck.details).not.toContain('otherHost');
    expect(stuck.details).toContain('send the signal `retry`, or `release`');
    expect(stuck.steps.filter((s) => s.step === 'writeMachineData').map((s) => s.outcome)).toEqual(['failed']);

    expect(await stack.client.retryMachine({ namespace: stack.env.namespace, name: 'm4' })).toContain(
      'retry requested',
    );
    const renders = async () =>
      ((await stack.client.getMachineStatus({ namespace: stack.env.namespace, name: 'm4' }))?.steps ?? []).filter(
        (s) => s.step === 'writeMachineData',
      ).length;
    await expect.poll(renders, { timeout: 30_000 }).toBe(2);
    expect((await stack.waitForPhase('m4', 'Stuck')).host).toBe(stuck.host);

    await handle.signal('release');
    expect((await handle.result()).phase).toBe('Released');
    await recordHistory(handle, 'render-limit-stuck-then-released');
    expect(await machineSecrets('m4')).toEqual([]);
    const host = await createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace).get(stuck.host ?? '');
    expect(host.spec.consumerRef).toBeUndefined();
  });
});
