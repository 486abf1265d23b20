import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createIpamActivities, type IpamActivities } from '../../../activities/ipam/index.js';
import { loadKubeConfig } from '../../../k8s/kubeClient.js';
import { startKubeApiProxy, type KubeApiProxy } from '../../support/kubeApiProxy.js';
import type { TestEnv } from '../../support/testEnv.js';
import { allocationsServed } from './allocationsServed.js';

/**
 * IPAM activities whose every request goes through a counting proxy, for a test file that checks which
 * requests a step makes; started before its tests, closed after them.
 */
export function useCountedIpam(env: TestEnv): { ipam: () => IpamActivities; proxy: () => KubeApiProxy } {
  let started: { ipam: IpamActivities; proxy: KubeApiProxy } | undefined;
  beforeAll(async () => {
    await allocationsServed(env.kubeConfig, env.namespace);
    const proxy = await startKubeApiProxy(env.kubeconfigPath, await mkdtemp(join(tmpdir(), 'ipam-proxy-')));
    const ipam = createIpamActivities({ kubeConfig: loadKubeConfig(proxy.kubeconfigPath), namespace: env.namespace });
    started = { ipam, proxy };
  });
  afterAll(async () => {
    await started?.proxy.close();
  });
  const get = () => {
    if (!started) throw new Error('the counted IPAM activities are used before their beforeAll ran');
    return started;
  };
  return { ipam: () => get().ipam, proxy: () => get().proxy };
}
