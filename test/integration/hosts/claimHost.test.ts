import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { HOST_FINALIZER } from '../../../sim/bmcCredentials.js';
import type { Simulator } from '../../../sim/controller.js';
import { createSimHosts } from '../../../sim/simHosts.js';
import { useTestEnv } from '../../support/testEnv.js';
import {
  createAvailableHosts,
  failureOf,
  hostActivities,
  runActivity,
  startFastSimulator,
  waitFor,
} from './hostTestKit.js';
import { HostFailureType } from '../../../contracts/hostFailureTypes.js';

const env = useTestEnv();
let sim: Simulator;

beforeAll(() => {
  sim = startFastSimulator(env.kubeConfig, env.namespace);
});
afterAll(async () => {
  await sim.stop();
});

const machine = (name: string) => ({ namespace: 'team-a', name, uid: `uid-${name}` });

describe('claimHost', () => {
  it('50 concurrent claims on 30 matching hosts: 30 distinct claims, 20 NoHostAvailable, one consumer per host', async () => {
    await createAvailableHosts(env.kubeConfig, env.namespace, { count: 30, prefix: 'pool', labels: { role: 'pool' } });
    await createAvailableHosts(env.kubeConfig, env.namespace, { count: 5, prefix: 'other', labels: { role: 'other' } });
    const activities = hostActivities(env.kubeConfig, env.namespace);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        runActivity(activities.claimHost, { machine: machine(`c${i}`), selector: { matchLabels: { role: 'pool' } } }),
      ),
    );
    const claimed = results.flatMap((r, i) =>
      r.status === 'fulfilled' ? [{ machine: `c${i}`, host: r.value.host }] : [],
    );
    const failed = results.flatMap((r) =>
      r.status === 'rejected' ? [r.reason as { type?: string; nonRetryable?: boolean }] : [],
    );
    expect(claimed).toHaveLength(30);
    expect(new Set(claimed.map((c) => c.host)).size).toBe(30);
    expect(failed).toHaveLength(20);
    for (const failure of failed)
      expect(failure).toMatchObject({ type: HostFailureType.NoHostAvailable, nonRetryable: false });

    const api = createBareMetalHostApi(env.kubeConfig, env.namespace);
    const { items } = await api.list({ labelSelector: 'role=pool' });
    for (const { machine: name, host } of claimed) {
      expect(items.find((h) => h.metadata.name === host)?.spec.consumerRef).toMatchObject({ name, kind: 'NodeClaim' });
    }
    const { items: others } = await api.list({ labelSelector: 'role=other' });
    expect(others.every((h) => h.spec.consumerRef === undefined)).toBe(true);
  });

  it('names how many hosts matched and why each was excluded', async () => {
    const activities = hostActivities(env.kubeConfig, env.namespace);
    const failure = await failureOf(
      runActivity(activities.claimHost, {
        machine: machine('late'),
        selector: { matchLabels: { role: 'pool' } },
        nodeType: 'pool-node',
      }),
    );
    expect(failure.type).toBe(HostFailureType.NoHostAvailable);
    expect(failure.message).toContain('node type pool-node');
    expect(failure.message).toContain('30 host(s) match the selector: 30 consumed by another Machine');
    expect(failure.details?.[0]).toEqual({ matched: 30, excluded: { consumed: 30 } });
  });

  it('is idempotent: a retried claim returns the host this Machine already holds', async () => {
    const activities = hostActivities(env.kubeConfig, env.namespace);
    // other-004 and other-005 stay free for the pinning test below.
    const request = { selector: { matchLabels: { role: 'other' } }, excludedHosts: ['other-004', 'other-005'] };
    const first = await runActivity(activities.claimHost, { machine: machine('again'), ...request });
    const second = await runActivity(activities.claimHost, { machine: machine('again'), ...request });
    expect(first.alreadyClaimed).toBe(false);
    expect(second).toEqual({ ...first, alreadyClaimed: true });
  });

  it('pins with metal3.vcluster.com/server-name, waits while the pinned host is held, or says why it is not eligible', async () => {
    const activities = hostActivities(env.kubeConfig, env.namespace);
    const selector = { matchLabels: { role: 'other' } };
    const pinned = await runActivity(activities.claimHost, {
      machine: machine('pin'),
      selector,
      serverName: 'other-005',
    });
    expect(pinned.host).toBe('other-005');

    const taken = await failureOf(
      runActivity(activities.claimHost, { machine: machine('pin2'), selector, serverName: 'other-005' }),
    );
    // Held by another Machine: it frees up by itself, so the claim waits for a host like an unpinned one.
    expect(taken).toMatchObject({ type: HostFailureType.NoHostAvailable, nonRetryable: false });
    expect(taken.message).toContain('the pinned BareMetalHost other-005 is consumed by NodeClaim team-a/pin');

    const missing = await failureOf(
      runActivity(activities.claimHost, { machine: machine('pin3'), selector, serverName: 'nope' }),
    );
    expect(missing).toMatchObject({ type: HostFailureType.HostNotEligible, nonRetryable: true });
    expect(missing.message).toContain('there is no BareMetalHost nope');

    const wrongType = await failureOf(
      runActivity(activities.claimHost, {
        machine: machine('pin4'),
        selector: { matchLabels: { role: 'gpu' } },
        serverName: 'other-004',
      }),
    );
    expect(wrongType).toMatchObject({ type: HostFailureType.HostNotEligible, nonRetryable: true });
    expect(wrongType.message).toContain("not matching the node type's selector");
  });
});

describe('claimHost resource fit and exclusions', () => {
  it('takes the smallest host that fits the requested resources', async () => {
    const sizes = { small: '8', medium: '32', large: '64' };
    for (const [size, cpus] of Object.entries(sizes)) {
      await createAvailableHosts(env.kubeConfig, env.namespace, {
        count: 1,
        prefix: `fit-${size}`,
        labels: { role: 'fit' },
        annotations: {
          'sim.metal3-provider/cpu-count': cpus,
          'sim.metal3-provider/ram-mebibytes': String(Number(cpus) * 4096),
        },
      });
    }
    await createAvailableHosts(env.kubeConfig, env.namespace, {
      count: 1,
      prefix: 'fit-gpu',
      labels: { role: 'fit', 'capacity.metal3-provider.io/nvidia.com_gpu': '4' },
      annotations: { 'sim.metal3-provider/cpu-count': '16' },
    });
    const activities = hostActivities(env.kubeConfig, env.namespace);
    const claim = (name: string, resources: Record<string, string>) =>
      runActivity(activities.claimHost, {
        machine: machine(name),
        selector: { matchLabels: { role: 'fit' } },
        resources,
      });

    expect((await claim('gpu', { cpu: '8', 'nvidia.com/gpu': '2' })).host).toBe('fit-gpu-001');
    expect((await claim('mid', { cpu: '20', memory: '100Gi' })).host).toBe('fit-medium-001');
    expect((await claim('any', { cpu: '4' })).host).toBe('fit-small-001');
    const tooBig = await failureOf(claim('huge', { cpu: '128' }));
    expect(tooBig.type).toBe(HostFailureType.NoHostAvailable);
    expect(tooBig.details?.[0]).toEqual({ matched: 4, excluded: { consumed: 3, insufficientResources: 1 } });
  });

  it('excludes hosts for every reason and counts them', async () => {
    const api = createBareMetalHostApi(env.kubeConfig, env.namespace);
    const labels = { role: 'excl' };
    await createAvailableHosts(env.kubeConfig, env.namespace, { count: 1, prefix: 'ex-consumed', labels });
    await createAvailableHosts(env.kubeConfig, env.namespace, { count: 1, prefix: 'ex-excluded', labels });
    await createAvailableHosts(env.kubeConfig, env.namespace, {
      count: 1,
      prefix: 'ex-small',
      labels,
      annotations: { 'sim.metal3-provider/cpu-count': '2' },
    });
    await createAvailableHosts(env.kubeConfig, env.namespace, { count: 1, prefix: 'ex-paused', labels });
    await createAvailableHosts(env.kubeConfig, env.namespace, { count: 1, prefix: 'ex-detached', labels });
    await createAvailableHosts(env.kubeConfig, env.namespace, { count: 1, prefix: 'ex-error', labels });
    await createAvailableHosts(env.kubeConfig, env.namespace, { count: 1, prefix: 'ex-deleting', labels });
    await createSimHosts(env.kubeConfig, env.namespace, {
      count: 1,
      prefix: 'ex-inspecting',
      labels,
      annotations: { 'sim.metal3-provider/hang': 'inspecting' },
    });
    await waitFor(api, 'ex-inspecting-001', (h) => h.status?.provisioning?.state === 'inspecting');

    const activities = hostActivities(env.kubeConfig, env.namespace);
    await runActivity(activities.claimHost, {
      machine: machine('holder'),
      selector: { matchLabels: labels },
      serverName: 'ex-consumed-001',
    });
    const annotate = async (name: string, annotations: Record<string, string>) => {
      const host = await api.get(name);
      host.metadata.annotations = { ...host.metadata.annotations, ...annotations };
      await api.replace(host);
    };
    await annotate('ex-paused-001', { 'baremetalhost.metal3.io/paused': '' });
    await annotate('ex-detached-001', { 'baremetalhost.metal3.io/detached': '' });
    await annotate('ex-error-001', { 'sim.metal3-provider/fail-registration': 'true' });
    await waitFor(api, 'ex-error-001', (h) => h.status?.errorType === 'registration error');
    const deleting = await api.get('ex-deleting-001');
    deleting.metadata.finalizers = ['test.metal3-provider/hold'];
    await api.replace(deleting);
    await api.delete('ex-deleting-001');

    const failure = await failureOf(
      runActivity(activities.claimHost, {
        machine: machine('picky'),
        selector: { matchLabels: labels },
        resources: { cpu: '8' },
        excludedHosts: ['ex-excluded-001'],
      }),
    );
    expect(failure.type).toBe(HostFailureType.NoHostAvailable);
    expect(failure.details?.[0]).toEqual({
      matched: 8,
      excluded: {
        consumed: 1,
        excluded: 1,
        insufficientResources: 1,
        paused: 1,
        detached: 1,
        inError: 1,
        deleting: 1,
        notAvailable: 1,
      },
    });

    // The simulator may still be taking the deleted host through BMO's deletion steps; once its
    // finalizer is gone it no longer writes the host, and only the test's own finalizer is left.
    const held = await waitFor(
      api,
      'ex-deleting-001',
      (h) => !((h.metadata.finalizers as string[] | undefined) ?? []).includes(HOST_FINALIZER),
    );
    held.metadata.finalizers = [];
    await api.replace(held);
  });
});
