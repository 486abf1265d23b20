import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BareMetalHost } from '../../../api/bareMetalHost.js';
import { createHostActivities } from '../../../activities/hosts/index.js';
import { startBareMetalHostCache, type BareMetalHostCache } from '../../../k8s/bareMetalHostCache.js';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { loadKubeConfig } from '../../../k8s/kubeClient.js';
import type { BareMetalHostView } from '../../../k8s/bareMetalHostCache.js';
import type { Simulator } from '../../../sim/controller.js';
import { startKubeApiProxy, type KubeApiProxy } from '../../support/kubeApiProxy.js';
import { useTestEnv } from '../../support/testEnv.js';
import { createAvailableHosts, runActivity, startFastSimulator, startSyncedHostCache } from './hostTestKit.js';
import { HostFailureType } from '../../../contracts/hostFailureTypes.js';

// Claims go through the counting proxy; the caches watch the API server directly, so the proxy
// counts exactly the reads and writes the claims make.
const env = useTestEnv();
let sim: Simulator;
let proxy: KubeApiProxy;
let viaProxy: KubeConfig;
const caches: BareMetalHostCache[] = [];
const warnings: string[] = [];
const logger = { warn: (_details: object, message: string) => warnings.push(message) };

beforeAll(async () => {
  sim = startFastSimulator(env.kubeConfig, env.namespace);
  proxy = await startKubeApiProxy(env.kubeconfigPath, await mkdtemp(join(tmpdir(), 'claim-cache-proxy-')));
  viaProxy = loadKubeConfig(proxy.kubeconfigPath);
});
afterAll(async () => {
  await Promise.all(caches.map((cache) => cache.stop()));
  await sim.stop();
  await proxy.close();
});

const machine = (name: string) => ({ namespace: 'team-a', name, uid: `uid-${name}` });

async function syncedCache(): Promise<BareMetalHostCache> {
  const cache = await startSyncedHostCache(env.kubeConfig, env.namespace, logger);
  caches.push(cache);
  return cache;
}

function claimer(cache: BareMetalHostView) {
  const activities = createHostActivities({ kubeConfig: viaProxy, namespace: env.namespace, cache });
  return (name: string, role: string) =>
    runActivity(activities.claimHost, { machine: machine(name), selector: { matchLabels: { role } } });
}

const bmhConflicts = () => proxy.counts().conflictsByResource.baremetalhosts ?? 0;

async function consumersOf(role: string): Promise<Map<string, string | undefined>> {
  const { items } = await createBareMetalHostApi(env.kubeConfig, env.namespace).list({ labelSelector: `role=${role}` });
  return new Map(items.map((h) => [h.metadata.name, h.spec.consumerRef?.name]));
}

describe('claims choose from the shared BareMetalHost cache', () => {
  it('40 claims in a namespace of 120 hosts make no LIST once the cache has synced: every read is the re-read after a 409', async () => {
    await createAvailableHosts(env.kubeConfig, env.namespace, { count: 100, prefix: 'many', labels: { role: 'many' } });
    await createAvailableHosts(env.kubeConfig, env.namespace, { count: 20, prefix: 'else', labels: { role: 'else' } });
    const claim = claimer(await syncedCache());
    proxy.resetCounts();
    const hosts: string[] = [];
    for (let i = 0; i < 40; i++) hosts.push((await claim(`many-${i}`, 'many')).host);

    const counts = proxy.counts();
    expect(new Set(hosts).size).toBe(40);
    expect(hosts.every((h) => h.startsWith('many-'))).toBe(true);
    // A LIST per claim (today's way, and the fallback) would add at least 40 reads.
    expect(counts.reads).toBe(bmhConflicts());
    expect(counts.reads).toBeLessThan(40);
    expect(counts.writesByResource.baremetalhosts).toBe(40 + bmhConflicts());
    const consumers = await consumersOf('many');
    for (let i = 0; i < 40; i++) expect(consumers.get(hosts[i] ?? '')).toBe(`many-${i}`);
  });

  it('two workers with their own caches racing for 30 hosts claim each host once', async () => {
    await createAvailableHosts(env.kubeConfig, env.namespace, { count: 30, prefix: 'race', labels: { role: 'race' } });
    const [a, b] = [claimer(await syncedCache()), claimer(await syncedCache())];
    const results = await Promise.allSettled(
      Array.from({ length: 46 }, (_, i) => (i % 2 === 0 ? a : b)(`race-${i}`, 'race')),
    );
    const claimed = results.flatMap((r, i) => (r.status === 'fulfilled' ? [[r.value.host, `race-${i}`] as const] : []));
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as { type?: string }] : []));
    expect(claimed).toHaveLength(30);
    expect(new Set(claimed.map(([host]) => host)).size).toBe(30);
    expect(failed).toHaveLength(16);
    for (const failure of failed) expect(failure.type).toBe(HostFailureType.NoHostAvailable);
    // What each winner was told is what the server holds: no claim was overwritten by another.
    const consumers = await consumersOf('race');
    for (const [host, name] of claimed) expect(consumers.get(host)).toBe(name);
  });

  it('a stale cache still claims correctly: its taken candidates are 409s and the claims go to the free hosts', async () => {
    await createAvailableHosts(env.kubeConfig, env.namespace, {
      count: 30,
      prefix: 'stale',
      labels: { role: 'stale' },
    });
    const { items } = await createBareMetalHostApi(env.kubeConfig, env.namespace).list({ labelSelector: 'role=stale' });
    // A cache that stopped following the server when all 30 hosts were free.
    const frozen: readonly BareMetalHost[] = items;
    const fresh = claimer(await syncedCache());
    const early: [string, string][] = [];
    for (let i = 0; i < 20; i++) early.push([(await fresh(`early-${i}`, 'stale')).host, `early-${i}`]);

    proxy.resetCounts();
    const stale = claimer({
      snapshot: () => frozen,
      synced: () => true,
      firstListed: () => Promise.resolve(),
      onChange: () => () => undefined,
      onAnyChange: () => () => undefined,
      latest: (name) => frozen.find((h) => h.metadata.name === name),
    });
    const results = await Promise.allSettled(Array.from({ length: 14 }, (_, i) => stale(`late-${i}`, 'stale')));
    const late = results.flatMap((r, i) => (r.status === 'fulfilled' ? [[r.value.host, `late-${i}`] as const] : []));
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as { type?: string }] : []));
    expect(late).toHaveLength(10);
    expect(failed.map((f) => f.type)).toEqual(Array(4).fill(HostFailureType.NoHostAvailable));
    expect(bmhConflicts()).toBeGreaterThanOrEqual(20);

    const consumers = await consumersOf('stale');
    for (const [host, name] of [...early, ...late]) expect(consumers.get(host)).toBe(name);
    expect(new Set([...early, ...late].map(([host]) => host)).size).toBe(30);
  });

  it("a worker's first claims, made while its cache is still listing, wait for that one list instead of each LISTing every host", async () => {
    await createAvailableHosts(env.kubeConfig, env.namespace, {
      count: 20,
      prefix: 'early',
      labels: { role: 'first' },
    });
    // Just started: its first list is still in flight when the claims begin.
    const cache = startBareMetalHostCache(env.kubeConfig, env.namespace, logger);
    caches.push(cache);
    expect(cache.synced()).toBe(false);
    const claim = claimer(cache);
    proxy.resetCounts();
    const hosts = await Promise.all(Array.from({ length: 12 }, (_, i) => claim(`first-${i}`, 'first')));

    expect(new Set(hosts.map((h) => h.host)).size).toBe(12);
    expect(proxy.counts().readsByVerb.list.requests).toBe(0);
  });

  it('falls back to a LIST per claim while the cache has not synced (here: it cannot reach the API server)', async () => {
    await createAvailableHosts(env.kubeConfig, env.namespace, {
      count: 10,
      prefix: 'nosync',
      labels: { role: 'nosync' },
    });
    const unreachable = new KubeConfig();
    unreachable.loadFromOptions({
      clusters: [{ name: 'gone', server: 'http://127.0.0.1:1', skipTLSVerify: true }],
      users: [{ name: 'nobody' }],
      contexts: [{ name: 'gone', cluster: 'gone', user: 'nobody' }],
      currentContext: 'gone',
    });
    const cache = startBareMetalHostCache(unreachable, env.namespace, logger);
    caches.push(cache);
    const claim = claimer(cache);
    proxy.resetCounts();
    const hosts: string[] = [];
    for (let i = 0; i < 6; i++) hosts.push((await claim(`nosync-${i}`, 'nosync')).host);

    expect(cache.synced()).toBe(false);
    expect(new Set(hosts).size).toBe(6);
    expect(proxy.counts().reads).toBeGreaterThanOrEqual(6);
    await expect
      .poll(() => warnings.some((w) => w.includes(`namespace ${env.namespace}`)), { timeout: 10_000 })
      .toBe(true);
  });
});
