import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BareMetalHost } from '../../../api/bareMetalHost.js';
import { createBareMetalHostApi, type BareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { loadKubeConfig } from '../../../k8s/kubeClient.js';
import { updateHost } from '../../../k8s/updateHost.js';
import { createSimHosts } from '../../../sim/simHosts.js';
import { startKubeApiProxy, type KubeApiProxy } from '../../support/kubeApiProxy.js';
import { useTestEnv } from '../../support/testEnv.js';

// Writes go through the counting proxy, so each case sees the reads and writes it cost; the other
// writer of these cases goes to the API server directly.
const env = useTestEnv();
let proxy: KubeApiProxy;
let viaProxy: BareMetalHostApi;
let direct: BareMetalHostApi;

beforeAll(async () => {
  proxy = await startKubeApiProxy(env.kubeconfigPath, await mkdtemp(join(tmpdir(), 'update-seen-proxy-')));
  viaProxy = createBareMetalHostApi(loadKubeConfig(proxy.kubeconfigPath), env.namespace);
  direct = createBareMetalHostApi(env.kubeConfig, env.namespace);
});
afterAll(async () => {
  await proxy.close();
});

async function hostNamed(prefix: string): Promise<BareMetalHost> {
  const [name = ''] = await createSimHosts(env.kubeConfig, env.namespace, {
    count: 1,
    prefix,
    labels: { role: prefix },
  });
  return direct.get(name);
}

const annotated = (host: BareMetalHost, key: string, value: string): BareMetalHost => ({
  ...host,
  metadata: { ...host.metadata, annotations: { ...host.metadata.annotations, [key]: value } },
});
/** Sets `team=a` unless the host says so already. */
const setTeam = (host: BareMetalHost) =>
  host.metadata.annotations?.team === 'a' ? undefined : annotated(host, 'team', 'a');
const requests = () => {
  const counts = proxy.counts();
  return { gets: counts.readsByVerb.get.requests, writes: counts.writes, conflicts: counts.conflictsByResource };
};

describe('updateHost from a version already at hand', () => {
  it('writes the current version without reading the host', async () => {
    const host = await hostNamed('seen-current');
    proxy.resetCounts();
    const { changed } = await updateHost(viaProxy, host.metadata.name, setTeam, { seen: host });
    expect(changed).toBe(true);
    expect(requests()).toEqual({ gets: 0, writes: 1, conflicts: {} });
    expect((await direct.get(host.metadata.name)).metadata.annotations?.team).toBe('a');
  });

  it('reads again after a stale version is refused, and keeps what the other writer wrote', async () => {
    const stale = await hostNamed('seen-stale');
    await direct.replace(annotated(stale, 'owner', 'someone else'));
    proxy.resetCounts();
    const { changed } = await updateHost(viaProxy, stale.metadata.name, setTeam, { seen: stale });
    expect(changed).toBe(true);
    expect(requests()).toEqual({ gets: 1, writes: 2, conflicts: { baremetalhosts: 1 } });
    const written = await direct.get(stale.metadata.name);
    expect(written.metadata.annotations).toMatchObject({ team: 'a', owner: 'someone else' });
  });

  it('reads the host when the version at hand has no resourceVersion to guard the write with', async () => {
    const host = await hostNamed('seen-unversioned');
    const { resourceVersion: _unversioned, ...metadata } = host.metadata;
    proxy.resetCounts();
    const { changed } = await updateHost(viaProxy, host.metadata.name, setTeam, { seen: { ...host, metadata } });
    expect(changed).toBe(true);
    expect(requests()).toEqual({ gets: 1, writes: 1, conflicts: {} });
  });

  it('decides to change nothing only on a fresh read', async () => {
    const host = await hostNamed('seen-nothing');
    // The version at hand says the change is made; the server's says it is not.
    const seen = annotated(host, 'team', 'a');
    proxy.resetCounts();
    const { changed } = await updateHost(viaProxy, host.metadata.name, setTeam, { seen });
    expect(changed).toBe(true);
    expect(requests()).toEqual({ gets: 1, writes: 1, conflicts: {} });
    expect((await direct.get(host.metadata.name)).metadata.annotations?.team).toBe('a');
  });

  it('gives up only on a fresh read', async () => {
    const host = await hostNamed('seen-give-up');
    const claimed = await direct.replace(annotated(host, 'claimed', 'yes'));
    // On the version at hand (before the claim) the change gives up; on the server's it writes.
    const claimedOnly = (current: BareMetalHost) => {
      if (current.metadata.annotations?.claimed !== 'yes') throw new Error('not claimed');
      return setTeam(current);
    };
    proxy.resetCounts();
    const { host: written, changed } = await updateHost(viaProxy, host.metadata.name, claimedOnly, { seen: host });
    expect(changed).toBe(true);
    expect(requests()).toEqual({ gets: 1, writes: 1, conflicts: {} });
    expect(written.metadata.annotations).toMatchObject({ claimed: 'yes', team: 'a' });
    expect(written.metadata.resourceVersion).not.toBe(claimed.metadata.resourceVersion);
    // And gives up when the server's version says so too.
    await expect(
      updateHost(viaProxy, host.metadata.name, () => {
        throw new Error('not claimed');
      }),
    ).rejects.toThrow('not claimed');
  });
});
