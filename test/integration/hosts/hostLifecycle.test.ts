import { CoreV1Api } from '@kubernetes/client-node';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createHostActivities, type HostProgress } from '../../../activities/hosts/index.js';
import type { BareMetalHostCache } from '../../../k8s/bareMetalHostCache.js';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { compareResourceVersions } from '../../../k8s/resourceVersion.js';
import type { Simulator } from '../../../sim/controller.js';
import { annotateHost } from '../../support/annotateHost.js';
import { useTestEnv } from '../../support/testEnv.js';
import {
  createAvailableHosts,
  failureOf,
  isAvailable,
  hostActivities,
  runActivity,
  startFastSimulator,
  startSyncedHostCache,
  untilCacheShows,
  userVisible,
  waitFor,
} from './hostTestKit.js';
import { kubeConfigThrough, startTcpProxy } from './tcpProxy.js';
import { HostFailureType } from '../../../contracts/hostFailureTypes.js';

// The waits follow the hosts through a cache, as the worker's do.
const env = useTestEnv();
let sim: Simulator;
let cache: BareMetalHostCache;

beforeAll(async () => {
  sim = startFastSimulator(env.kubeConfig, env.namespace);
  cache = await startSyncedHostCache(env.kubeConfig, env.namespace);
});
afterAll(async () => {
  await cache.stop();
  await sim.stop();
});

const image = {
  url: 'http://images.example/ubuntu-noble.qcow2',
  checksum: 'abc123',
  checksumType: 'sha256',
  format: 'qcow2',
};

/** Creates one available host named `<prefix>-001`, claims it for a Machine of the same name and configures it. */
async function claimAndConfigure(prefix: string, annotations: Record<string, string> = {}) {
  const [host = ''] = await createAvailableHosts(env.kubeConfig, env.namespace, {
    count: 1,
    prefix,
    labels: { role: prefix },
    annotations,
  });
  const machine = { namespace: 'team-a', name: prefix };
  const activities = hostActivities(env.kubeConfig, env.namespace, cache);
  await untilCacheShows(cache, host, isAvailable);
  await runActivity(activities.claimHost, { machine, selector: { matchLabels: { role: prefix } } });
  await runActivity(activities.configureHost, { machine, host, image, userData: `${prefix}-user-data` });
  return { host, machine, activities };
}

describe('host lifecycle', () => {
  it('provisions, releases and restores the host exactly as it was claimed', async () => {
    const api = createBareMetalHostApi(env.kubeConfig, env.namespace);
    const [name = ''] = await createAvailableHosts(env.kubeConfig, env.namespace, {
      count: 1,
      prefix: 'life',
      labels: { role: 'life', rack: 'r7' },
      annotations: {
        'ops.example/owner': 'team-x',
        'metal3.vcluster.com/ntp-servers': '10.0.0.9',
        // Long enough that a heartbeat surely sees the host while it provisions, even on a busy machine.
        'sim.metal3-provider/delay-provisioning-ms': '2000',
      },
    });
    const machine = { namespace: 'team-a', name: 'life', uid: 'u-life' };
    const activities = hostActivities(env.kubeConfig, env.namespace, cache);
    const before = await api.get(name);

    await untilCacheShows(cache, name, isAvailable);
    await runActivity(activities.claimHost, { machine, selector: { matchLabels: { role: 'life' } } });
    const configured = await runActivity(activities.configureHost, {
      machine,
      host: name,
      image,
      userData: 'life-user-data',
      networkData: 'life-network-data',
      metaData: 'life-meta-data',
      networkAnnotations: {
        'metal3.vcluster.com/ip-address': '10.0.0.20/24',
        'metal3.vcluster.com/gateway': '10.0.0.1',
      },
    });
    expect(configured.changed).toBe(true);
    const again = await runActivity(activities.configureHost, {
      machine,
      host: name,
      image,
      userData: 'life-user-data',
      networkData: 'life-network-data',
      metaData: 'life-meta-data',
      networkAnnotations: {
        'metal3.vcluster.com/ip-address': '10.0.0.20/24',
        'metal3.vcluster.com/gateway': '10.0.0.1',
      },
    });
    expect(again.changed).toBe(false);

    const heartbeats: HostProgress[] = [];
    const activityEnv = new MockActivityEnvironment();
    activityEnv.on('heartbeat', (d: HostProgress) => heartbeats.push(d));
    const provisioned = await runActivity(activities.awaitProvisioned, { machine, host: name }, activityEnv);
    // BMO reports the power on a pass after provisioned, so either power state may be seen first.
    expect(provisioned).toMatchObject({ host: name, state: 'provisioned' });
    expect(heartbeats.map((h) => h.state)).toContain('provisioning');

    const during = await api.get(name);
    expect(during.spec).toMatchObject({
      online: true,
      image,
      userData: { name: 'life-user-data', namespace: env.namespace },
    });
    expect(during.metadata.annotations?.['metal3.vcluster.com/ip-address']).toBe('10.0.0.20/24');

    const released = await runActivity(activities.releaseHost, { machine, host: name });
    expect(released).toMatchObject({ host: name, outcome: 'released' });
    // The version its write made, newer than any before it, for the wait after it to start from.
    expect(
      compareResourceVersions(released.resourceVersion ?? '', during.metadata.resourceVersion ?? ''),
    ).toBeGreaterThan(0);
    // The restore put back the original annotations, without the lease: freeing the address need not read.
    expect(await runActivity(activities.awaitAvailable, { machine, host: name })).toEqual({
      host: name,
      outcome: 'restored',
      addressLeftOnHost: null,
    });

    const after = await api.get(name);
    expect(userVisible(after)).toEqual(userVisible(before));
    const events = await env.kubeConfig
      .makeApiClient(CoreV1Api)
      .listNamespacedEvent({ namespace: env.namespace, fieldSelector: `involvedObject.name=${name}` });
    expect(events.items.map((e) => e.reason).sort()).toEqual(['Claimed', 'Configured', 'Released', 'Restored']);
    expect(events.items.find((e) => e.reason === 'Configured')?.message).toContain('address 10.0.0.20/24');
    expect(after.status?.provisioning?.state).toBe('available');
    expect(await runActivity(activities.awaitAvailable, { machine, host: name })).toEqual({
      host: name,
      outcome: 'notClaimed',
    });
    expect(await runActivity(activities.releaseHost, { machine, host: name })).toEqual({
      host: name,
      outcome: 'notClaimed',
    });
  });

  it('keeps waiting through a watch dropped mid-provision', async () => {
    const { host, machine } = await claimAndConfigure('drop', { 'sim.metal3-provider/delay-provisioning-ms': '4000' });
    const server = new URL(env.kubeConfig.getCurrentCluster()?.server ?? '');
    const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port) });
    try {
      const proxied = kubeConfigThrough(env.kubeConfig, proxy.port);
      // The cache's watch goes through the proxy too: the dropped connections end it mid-wait.
      const proxiedCache = await startSyncedHostCache(proxied, env.namespace);
      onTestFinished(() => proxiedCache.stop());
      const activities = hostActivities(proxied, env.namespace, proxiedCache);
      const activityEnv = new MockActivityEnvironment();
      let dropped = 0;
      activityEnv.on('heartbeat', (d: HostProgress) => {
        if (d.state === 'provisioning' && dropped === 0) dropped = proxy.dropConnections();
      });
      const result = await runActivity(activities.awaitProvisioned, { machine, host }, activityEnv);
      expect(dropped).toBeGreaterThan(0);
      expect(result.state).toBe('provisioned');
    } finally {
      await proxy.close();
    }
  });

  it('maps each BMO error type to its typed failure', async () => {
    const api = createBareMetalHostApi(env.kubeConfig, env.namespace);
    const expectFailure = async (
      prefix: string,
      annotations: Record<string, string>,
      during?: (host: string) => Promise<void>,
    ) => {
      const { host, machine, activities } = await claimAndConfigure(prefix, annotations);
      const waiting = failureOf(runActivity(activities.awaitProvisioned, { machine, host }));
      await during?.(host);
      return waiting;
    };
    const writeError = (errorType: string) => async (host: string) => {
      const current = await waitFor(api, host, (h) => h.status?.provisioning?.state === 'provisioning');
      await api.replaceStatus({
        ...current,
        status: { ...current.status, errorType, errorMessage: `simulated ${errorType}`, operationalStatus: 'error' },
      });
    };
    const hang = { 'sim.metal3-provider/hang': 'provisioning' };
    const [provisioning, power, registration, inspection, preparation] = await Promise.all([
      expectFailure('err-prov', { 'sim.metal3-provider/fail-provisioning': '1' }),
      expectFailure('err-power', { 'sim.metal3-provider/fail-power': 'true' }),
      expectFailure('err-reg', { 'sim.metal3-provider/delay-provisioning-ms': '60000' }, async (host) => {
        await waitFor(api, host, (h) => h.status?.provisioning?.state === 'provisioning');
        const current = await api.get(host);
        current.metadata.annotations = {
          ...current.metadata.annotations,
          'sim.metal3-provider/fail-registration': 'true',
        };
        await api.replace(current);
      }),
      expectFailure('err-insp', hang, writeError('inspection error')),
      expectFailure('err-prep', hang, writeError('preparation error')),
    ]);
    expect(provisioning).toMatchObject({ type: HostFailureType.ProvisioningError, nonRetryable: true });
    expect(provisioning.message).toContain('Image provisioning failed');
    expect(power.type).toBe(HostFailureType.PowerManagementError);
    expect(registration.type).toBe(HostFailureType.RegistrationError);
    expect(inspection.type).toBe(HostFailureType.InspectionError);
    expect(inspection.message).toContain('simulated inspection error');
    expect(preparation.type).toBe(HostFailureType.PreparationError);
  });

  it('fails with HostDeprovisioned when BMO deprovisions instead of finishing', async () => {
    const api = createBareMetalHostApi(env.kubeConfig, env.namespace);
    const { host, machine, activities } = await claimAndConfigure('deprov', {
      'sim.metal3-provider/hang': 'provisioning',
    });
    const waiting = failureOf(runActivity(activities.awaitProvisioned, { machine, host }));
    const current = await waitFor(api, host, (h) => h.status?.provisioning?.state === 'provisioning');
    await api.replaceStatus({ ...current, status: { ...current.status, provisioning: { state: 'deprovisioning' } } });
    expect((await waiting).type).toBe(HostFailureType.HostDeprovisioned);
  });

  it('stops waiting when the activity is cancelled, not at its next heartbeat', async () => {
    const { host, machine } = await claimAndConfigure('cancel', { 'sim.metal3-provider/hang': 'provisioning' });
    // A heartbeat a minute apart: a wait that only looked at cancellation on its heartbeat would outlast the bound.
    const heartbeatIntervalMs = 60_000;
    const slow = createHostActivities({
      kubeConfig: env.kubeConfig,
      namespace: env.namespace,
      heartbeatIntervalMs,
      cache,
    });
    const activityEnv = new MockActivityEnvironment();
    const waiting = failureOf(runActivity(slow.awaitProvisioned, { machine, host }, activityEnv));
    await new Promise((r) => setTimeout(r, 500));
    const cancelledAt = Date.now();
    activityEnv.cancel();
    expect(await waiting).toBeInstanceOf(CancelledFailure);
    expect(Date.now() - cancelledAt).toBeLessThan(heartbeatIntervalMs / 4);
  });

  it('ends the release cleanly when the host is deleted or detached meanwhile', async () => {
    const api = createBareMetalHostApi(env.kubeConfig, env.namespace);
    const slowClean = { 'sim.metal3-provider/delay-deprovisioning-ms': '60000' };
    const deleted = await claimAndConfigure('gone', slowClean);
    const detached = await claimAndConfigure('detach', slowClean);
    for (const { host, machine, activities } of [deleted, detached]) {
      await runActivity(activities.awaitProvisioned, { machine, host });
      await runActivity(activities.releaseHost, { machine, host });
      await waitFor(api, host, (h) => h.status?.provisioning?.state === 'deprovisioning');
    }
    const deletedWait = runActivity(deleted.activities.awaitAvailable, {
      machine: deleted.machine,
      host: deleted.host,
    });
    const detachedWait = runActivity(detached.activities.awaitAvailable, {
      machine: detached.machine,
      host: detached.host,
    });
    // As BMO, the simulator finishes deprovisioning a deleted host before letting it go: end the slow
    // clean only once the host is deleted, or a simulator that has not yet seen the deletion would
    // finish the clean to available first (BMO, reading from its own cache, could do the same).
    await api.delete(deleted.host);
    await annotateHost(env.kubeConfig, env.namespace, deleted.host, {
      'sim.metal3-provider/delay-deprovisioning-ms': '0',
    });
    const current = await api.get(detached.host);
    current.metadata.annotations = { ...current.metadata.annotations, 'baremetalhost.metal3.io/detached': '' };
    await api.replace(current);
    expect(await deletedWait).toEqual({ host: deleted.host, outcome: 'deleted' });
    expect(await detachedWait).toEqual({ host: detached.host, outcome: 'detached' });
    expect(await runActivity(deleted.activities.releaseHost, { machine: deleted.machine, host: deleted.host })).toEqual(
      {
        host: deleted.host,
        outcome: 'deleted',
      },
    );
  });

  it('refuses to configure a host this Machine does not hold', async () => {
    const [host = ''] = await createAvailableHosts(env.kubeConfig, env.namespace, {
      count: 1,
      prefix: 'foreign',
      labels: { role: 'foreign' },
    });
    const activities = hostActivities(env.kubeConfig, env.namespace, cache);
    const failure = await failureOf(
      runActivity(activities.configureHost, { machine: { namespace: 'x', name: 'y' }, host, image }),
    );
    expect(failure).toMatchObject({ type: HostFailureType.HostNotClaimed, nonRetryable: true });
    const missing = await failureOf(
      runActivity(activities.configureHost, { machine: { namespace: 'x', name: 'y' }, host: 'nope', image }),
    );
    expect(missing.type).toBe(HostFailureType.HostDeleted);
  });
});
