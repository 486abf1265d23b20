import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBareMetalHostCache } from '../../../k8s/bareMetalHostCache.js';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { loadKubeConfig } from '../../../k8s/kubeClient.js';
import { LIST_PAGE_SIZE } from '../../../k8s/listInPages.js';
import { simHost } from '../../../sim/simHosts.js';
import { startKubeApiProxy, type KubeApiProxy } from '../../support/kubeApiProxy.js';
import { useTestEnv } from '../../support/testEnv.js';

// More hosts than two pages hold: a fleet's hosts are read in pages, never in one answer.
const HOSTS = 2 * LIST_PAGE_SIZE + 100;
const env = useTestEnv();
let proxy: KubeApiProxy;

beforeAll(async () => {
  proxy = await startKubeApiProxy(env.kubeconfigPath, await mkdtemp(join(tmpdir(), 'list-in-pages-')));
  const hosts = createBareMetalHostApi(env.kubeConfig, env.namespace);
  const indexes = Array.from({ length: HOSTS }, (_, i) => i + 1);
  for (let start = 0; start < HOSTS; start += 50) {
    await Promise.all(
      indexes.slice(start, start + 50).map((i) => hosts.create(simHost(env.namespace, i, { count: HOSTS }))),
    );
  }
}, 180_000);
afterAll(async () => {
  await proxy.close();
});

const listRequests = () => proxy.counts().readsByResource['list baremetalhosts']?.requests ?? 0;

describe('lists of a large fleet', () => {
  it('come in pages of 500 and hold every host once', async () => {
    const hosts = createBareMetalHostApi(loadKubeConfig(proxy.kubeconfigPath), env.namespace);
    proxy.resetCounts();
    const { items, resourceVersion } = await hosts.list();
    expect(listRequests()).toBe(3);
    expect(new Set(items.map((host) => host.metadata.name)).size).toBe(HOSTS);
    expect(resourceVersion).toMatch(/^\d+$/);
  });

  it('fill the host cache in pages, whose watch then misses no change', async () => {
    const kubeConfig = loadKubeConfig(proxy.kubeconfigPath);
    proxy.resetCounts();
    const cache = startBareMetalHostCache(kubeConfig, env.namespace, { warn: () => undefined });
    try {
      await cache.firstListed(30_000);
      expect(listRequests()).toBe(3);
      expect(cache.snapshot()).toHaveLength(HOSTS);
      // A change made after the list arrives through the watch, which resumed from the pages' snapshot.
      const hosts = createBareMetalHostApi(env.kubeConfig, env.namespace);
      const host = await hosts.get('sim-host-777');
      const changed = await hosts.replace({ ...host, metadata: { ...host.metadata, labels: { paged: 'yes' } } });
      await expect
        .poll(() => cache.host('sim-host-777')?.metadata.resourceVersion, { timeout: 10_000 })
        .toBe(changed.metadata.resourceVersion);
      expect(listRequests()).toBe(3);
    } finally {
      await cache.stop();
    }
  });
});
