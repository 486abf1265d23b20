import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostActivities } from '../../../activities/hosts/index.js';
import type { BareMetalHost } from '../../../api/bareMetalHost.js';
import type { BareMetalHostCache, BareMetalHostView } from '../../../k8s/bareMetalHostCache.js';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { loadKubeConfig } from '../../../k8s/kubeClient.js';
import { compareResourceVersions } from '../../../k8s/resourceVersion.js';
import type { Simulator } from '../../../sim/controller.js';
import { startKubeApiProxy, type KubeApiProxy } from '../../support/kubeApiProxy.js';
import { useTestEnv } from '../../support/testEnv.js';
import {
  createAvailableHosts,
  isAvailable,
  runActivity,
  startFastSimulator,
  startSyncedHostCache,
  untilCacheShows,
} from './hostTestKit.js';

// The activities go through the counting proxy; the cache watches the API server directly, so the
// proxy counts exactly the reads the waits make.
const env = useTestEnv();
let sim: Simulator;
let proxy: KubeApiProxy;
let viaProxy: KubeConfig;
let cache: BareMetalHostCache;

beforeAll(async () => {
  sim = startFastSimulator(env.kubeConfig, env.namespace);
  proxy = await startKubeApiProxy(env.kubeconfigPath, await mkdtemp(join(tmpdir(), 'wait-cache-proxy-')));
  viaProxy = loadKubeConfig(proxy.kubeconfigPath);
  cache = await startSyncedHostCache(env.kubeConfig, env.namespace);
});
afterAll(async () => {
  await cache.stop();
  await sim.stop();
  await proxy.close();
});

const image = { url: 'http://images.example/noble.qcow2', checksum: 'abc123', checksumType: 'sha256', format: 'qcow2' };

async function availableHost(prefix: string): Promise<string> {
  const [host = ''] = await createAvailableHosts(env.kubeConfig, env.namespace, {
    count: 1,
    prefix,
    labels: { role: prefix },
  });
  return host;
}

/** Claims and configures the host for a Machine of the prefix's name, with activities reading `view`. */
async function claimAndConfigure(prefix: string, host: string, view: BareMetalHostView, heartbeatIntervalMs = 200) {
  const machine = { namespace: 'team-a', name: prefix, uid: `uid-${prefix}` };
  const activities = createHostActivities({
    kubeConfig: viaProxy,
    namespace: env.namespace,
    cache: view,
    heartbeatIntervalMs,
  });
  await untilCacheShows(view, host, isAvailable);
  await runActivity(activities.claimHost, { machine, selector: { matchLabels: { role: prefix } } });
  const configured = await runActivity(activities.configureHost, {
    machine,
    host,
    image,
    userData: `${prefix}-user-data`,
  });
  return { machine, activities, configured };
}

/** Whether the host's version is at least the given resourceVersion. */
const atOrAfter = (since: string | undefined) => (h: BareMetalHost) =>
  since !== undefined && (compareResourceVersions(h.metadata.resourceVersion ?? '', since) ?? -1) >= 0;

describe('waits on provisioning and release wake on the shared cache', () => {
  it('follow the versions the cache sees, with no LIST or watch of their own and fewer GETs than versions; release writes from the cache', async () => {
    const host = await availableHost('woken');
    const { machine, activities } = await claimAndConfigure('woken', host, cache);
    let changes = 0;
    const stopCounting = cache.onChange(host, () => changes++);
    proxy.resetCounts();
    const provisioned = await runActivity(activities.awaitProvisioned, { machine, host });
    const waited = proxy.counts();
    proxy.resetCounts();
    await runActivity(activities.releaseHost, { machine, host });
    const release = proxy.counts();
    proxy.resetCounts();
    const released = await runActivity(activities.awaitAvailable, { machine, host });
    stopCounting();
    const restore = proxy.counts();

    expect(provisioned).toMatchObject({ host, state: 'provisioned' });
    expect(released).toEqual({ host, outcome: 'restored', addressLeftOnHost: null });
    for (const { readsByVerb } of [waited, release, restore]) {
      expect(readsByVerb.list.requests).toBe(0);
      expect(readsByVerb.watch.requests).toBe(0);
    }
    // The release writes from the cache's version of the host: it reads the host only after a 409.
    expect(release.readsByVerb.get.requests).toBe(release.conflictsByResource.baremetalhosts ?? 0);
    // Each wait reads its host once when it starts, then follows the versions the cache saw: fewer
    // reads than versions, where a read per change would be more. The restore writes from the version
    // found available.
    const gets = waited.readsByVerb.get.requests + restore.readsByVerb.get.requests;
    expect(gets).toBeGreaterThanOrEqual(2);
    expect(gets).toBeLessThan(changes);
  });

  it("start from the cache's version when it is at least as new as their step's write: no read at all", async () => {
    const host = await availableHost('since');
    // Heartbeats far apart, so the wait's safety-net read every sixth heartbeat does not come into it.
    const { machine, activities, configured } = await claimAndConfigure('since', host, cache, 10_000);
    expect(configured.resourceVersion).toMatch(/^[1-9][0-9]*$/);
    await untilCacheShows(cache, host, atOrAfter(configured.resourceVersion));
    proxy.resetCounts();
    const provisioned = await runActivity(activities.awaitProvisioned, {
      machine,
      host,
      since: configured.resourceVersion,
    });
    const waited = proxy.counts();
    const released = await runActivity(activities.releaseHost, { machine, host });
    expect(released).toMatchObject({ host, outcome: 'released' });
    expect(released.resourceVersion).toMatch(/^[1-9][0-9]*$/);
    await untilCacheShows(cache, host, atOrAfter(released.resourceVersion));
    proxy.resetCounts();
    const restored = await runActivity(activities.awaitAvailable, { machine, host, since: released.resourceVersion });
    const restore = proxy.counts();

    expect(provisioned).toMatchObject({ host, state: 'provisioned' });
    expect(restored).toEqual({ host, outcome: 'restored', addressLeftOnHost: null });
    expect(waited.readsByVerb).toMatchObject({ get: { requests: 0 }, list: { requests: 0 }, watch: { requests: 0 } });
    // The restore writes from the version found available: it reads the host only after a 409.
    expect(restore.readsByVerb.get.requests).toBe(restore.conflictsByResource.baremetalhosts ?? 0);
    expect(restore.readsByVerb.list.requests + restore.readsByVerb.watch.requests).toBe(0);
  });

  it('never act on a version older than their own read: a cache lagging behind the claim still ends each wait right', async () => {
    // A cache that says it is synced but lags: to every wait it tells, late, of the host as it was
    // before the claim, and of nothing after. Acting on that version, awaitProvisioned would find
    // the host not this Machine's and fail, and awaitAvailable would too.
    const host = await availableHost('lagging');
    const { items } = await createBareMetalHostApi(env.kubeConfig, env.namespace).list({
      labelSelector: 'role=lagging',
    });
    const before: readonly BareMetalHost[] = items;
    let told = 0;
    const lagging: BareMetalHostView = {
      snapshot: () => before,
      synced: () => true,
      firstListed: () => Promise.resolve(),
      onAnyChange: () => () => undefined,
      // Writes that start from the cache's version start from the unclaimed host: they must read again.
      latest: (name) => before.find((h) => h.metadata.name === name),
      onChange: (name, listener) => {
        const timer = setTimeout(() => {
          for (const old of before.filter((h) => h.metadata.name === name)) {
            told++;
            listener({ type: 'changed', host: old });
          }
        }, 0);
        return () => {
          clearTimeout(timer);
        };
      },
    };
    const { machine, activities, configured } = await claimAndConfigure('lagging', host, lagging);

    // Told the version their step wrote, the waits still read past a cache that is older than it.
    const since = configured.resourceVersion;
    expect(await runActivity(activities.awaitProvisioned, { machine, host, since })).toMatchObject({
      host,
      state: 'provisioned',
    });
    const released = await runActivity(activities.releaseHost, { machine, host });
    expect(await runActivity(activities.awaitAvailable, { machine, host, since: released.resourceVersion })).toEqual({
      host,
      outcome: 'restored',
      addressLeftOnHost: null,
    });
    const restored = await createBareMetalHostApi(env.kubeConfig, env.namespace).get(host);
    expect(restored.spec.consumerRef).toBeUndefined();
    // Both waits were told of the old version, and passed it by.
    expect(told).toBeGreaterThanOrEqual(2);
  });
});
