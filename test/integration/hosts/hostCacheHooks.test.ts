import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBareMetalHostCache } from '../../../k8s/bareMetalHostCache.js';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { createSimHosts } from '../../../sim/simHosts.js';
import { useTestEnv } from '../../support/testEnv.js';
import { pollUntil } from './hostTestKit.js';
import { kubeConfigThrough, startTcpProxy } from './tcpProxy.js';

// What the simulator and the claim index build on: every host's changes by name, a resync after a lost watch, the raw
// error, and the hosts by name, all from the one cache the worker keeps.
const env = useTestEnv();
let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
beforeAll(async () => {
  const server = new URL(env.kubeConfig.getCurrentCluster()?.server ?? '');
  proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port) });
});
afterAll(() => proxy.close());

it('tells every change by name, resyncs after a dropped watch, and reads hosts by name', async () => {
  const changed: string[] = [];
  const errors: unknown[] = [];
  let resyncs = 0;
  const cache = startBareMetalHostCache(
    kubeConfigThrough(env.kubeConfig, proxy.port),
    env.namespace,
    { warn: () => undefined },
    {
      onResync: () => resyncs++,
      onError: (err) => errors.push(err),
    },
  );
  // A follower hears every host by name, and `undefined` whenever the cache gains or loses sync.
  let syncChanges = 0;
  cache.onAnyChange((name) => {
    if (name === undefined) syncChanges++;
    else changed.push(name);
  });
  try {
    await cache.firstListed(30_000);
    // Right after its CRDs are installed the kube-apiserver may refuse the first list or watch (429, while
    // its watch cache starts); the cache starts again by itself, and what this test checks comes after.
    await pollUntil(() => cache.synced(), 'the cache to list');
    expect(syncChanges).toBeGreaterThanOrEqual(1);
    const [name = ''] = await createSimHosts(env.kubeConfig, env.namespace, { count: 1, prefix: 'hooks' });
    await pollUntil(() => changed.includes(name), `the cache to tell of ${name}`);
    expect(cache.host(name)?.metadata.name).toBe(name);
    expect(cache.names()).toContain(name);
    const before = { resyncs, syncChanges, errors: errors.length };

    // A real network drop ends the watch: the raw error is passed on, and once listed again, a resync.
    expect(proxy.dropConnections()).toBeGreaterThan(0);
    await pollUntil(() => resyncs > before.resyncs, 'a resync after the dropped watch');
    expect(errors.length).toBeGreaterThan(before.errors);
    expect(cache.synced()).toBe(true);
    // Lost, then listed again: followers heard both.
    expect(syncChanges).toBeGreaterThanOrEqual(before.syncChanges + 2);

    await createBareMetalHostApi(env.kubeConfig, env.namespace).delete(name);
    await pollUntil(() => cache.host(name) === undefined, `the cache to drop ${name}`);
    expect(changed.filter((n) => n === name).length).toBeGreaterThanOrEqual(2);
  } finally {
    await cache.stop();
  }
});
