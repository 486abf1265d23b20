import { expect, it } from 'vitest';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { createSimHosts } from '../../../sim/simHosts.js';
import { useTestEnv } from '../../support/testEnv.js';
import { pollUntil, startSyncedHostCache } from './hostTestKit.js';

const env = useTestEnv();

const managers = (fields: unknown): string[] =>
  Array.isArray(fields) ? fields.map((entry) => String((entry as { manager?: unknown }).manager)) : [];

it('keeps hosts without their managedFields, and a write from a kept host leaves the server its own', async () => {
  const hosts = createBareMetalHostApi(env.kubeConfig, env.namespace);
  const [listed = ''] = await createSimHosts(env.kubeConfig, env.namespace, { count: 1, prefix: 'mf-listed' });
  expect(managers((await hosts.get(listed)).metadata.managedFields).length).toBeGreaterThan(0);
  const cache = await startSyncedHostCache(env.kubeConfig, env.namespace);
  try {
    // From the cache's list, and from its watch.
    expect(cache.host(listed)?.metadata.name).toBe(listed);
    expect(cache.host(listed)?.metadata).not.toHaveProperty('managedFields');
    const [watched = ''] = await createSimHosts(env.kubeConfig, env.namespace, { count: 1, prefix: 'mf-watched' });
    await pollUntil(() => cache.host(watched) !== undefined, `the cache to show ${watched}`);
    expect(cache.host(watched)?.metadata).not.toHaveProperty('managedFields');

    // A write that starts from the kept version, as configure and release do.
    const kept = cache.host(watched);
    if (!kept) throw new Error(`the cache lost ${watched}`);
    const before = managers((await hosts.get(watched)).metadata.managedFields);
    await hosts.replace({ ...kept, metadata: { ...kept.metadata, labels: { ...kept.metadata.labels, kept: 'yes' } } });
    const written = await hosts.get(watched);
    expect(written.metadata.labels?.kept).toBe('yes');
    expect(managers(written.metadata.managedFields)).toEqual(expect.arrayContaining(before));
    await pollUntil(() => cache.host(watched)?.metadata.labels?.kept === 'yes', 'the cache to show the write');
    expect(cache.host(watched)?.metadata).not.toHaveProperty('managedFields');
  } finally {
    await cache.stop();
  }
});
