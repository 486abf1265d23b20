import { setTimeout as delay } from 'node:timers/promises';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import type { Simulator } from '../../../sim/controller.js';
import { createSimHosts } from '../../../sim/simHosts.js';
import { useTestEnv } from '../../support/testEnv.js';
import { isAvailable, startFastSimulator, waitFor } from '../hosts/hostTestKit.js';

const env = useTestEnv();
let sim: Simulator;

beforeAll(() => {
  sim = startFastSimulator(env.kubeConfig, env.namespace);
});
afterAll(async () => {
  await sim.stop();
});

describe('simulator against the API server', () => {
  it('creates hosts with BMC Secrets and brings them to available with an inventory', async () => {
    const names = await createSimHosts(env.kubeConfig, env.namespace, { count: 3, labels: { role: 'compute' } });
    expect(names).toEqual(['sim-host-001', 'sim-host-002', 'sim-host-003']);
    const api = createBareMetalHostApi(env.kubeConfig, env.namespace);
    const host = await waitFor(api, 'sim-host-002', isAvailable);
    expect(host.spec.bootMACAddress).toBe('02:00:00:00:00:02');
    expect(host.status?.hardware).toMatchObject({
      cpu: { count: 32 },
      ramMebibytes: 131072,
      nics: [{ mac: '02:00:00:00:00:02' }],
    });
    const secret = await env.kubeConfig
      .makeApiClient(CoreV1Api)
      .readNamespacedSecret({ namespace: env.namespace, name: 'sim-host-002-bmc' });
    expect(Object.keys(secret.data ?? {}).sort()).toEqual(['password', 'username']);
  });

  it('ignores an image while online is false, and provisions once online', async () => {
    const api = createBareMetalHostApi(env.kubeConfig, env.namespace);
    const host = await waitFor(api, 'sim-host-001', isAvailable);
    host.spec.image = { url: 'http://images.example/u.qcow2' };
    host.spec.online = false;
    await api.replace(host);
    await delay(1000); // twenty simulated step durations
    const idle = await api.get('sim-host-001');
    expect(idle.status?.provisioning?.state).toBe('available');
    expect(idle.status?.poweredOn).toBe(false);

    idle.spec.online = true;
    await api.replace(idle);
    const provisioned = await waitFor(
      api,
      'sim-host-001',
      (h) => h.status?.provisioning?.state === 'provisioned' && h.status.poweredOn === true,
    );
    expect(provisioned.status).toMatchObject({
      poweredOn: true,
      provisioning: { image: { url: 'http://images.example/u.qcow2' } },
    });

    delete provisioned.spec.image;
    provisioned.spec.online = false;
    await api.replace(provisioned);
    const back = await waitFor(api, 'sim-host-001', (h) => isAvailable(h) && h.status?.poweredOn === false);
    // As BMO: the written image is cleared to an empty URL, not removed.
    expect(back.status?.provisioning?.image).toEqual({ url: '' });
  });
});
