import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { loadKubeConfig } from '../../../k8s/kubeClient.js';
import type { Simulator } from '../../../sim/controller.js';
import { startKubeApiProxy, type KubeApiProxy } from '../../support/kubeApiProxy.js';
import { useTestEnv } from '../../support/testEnv.js';
import { createAvailableHosts, startFastSimulator, waitFor } from '../hosts/hostTestKit.js';

// The simulator reaches the API server through the counting proxy; the test's own reads and
// writes go direct, so the proxy counts exactly what the simulator does.
const env = useTestEnv();
let sim: Simulator;
let proxy: KubeApiProxy;

beforeAll(async () => {
  proxy = await startKubeApiProxy(env.kubeconfigPath, await mkdtemp(join(tmpdir(), 'sim-idle-proxy-')));
  sim = startFastSimulator(loadKubeConfig(proxy.kubeconfigPath), env.namespace);
});
afterAll(async () => {
  await sim.stop();
  await proxy.close();
});

describe('the simulator reads hosts from a watch, and looks only at hosts that changed or are due', () => {
  it('brings 200 hosts to available with one LIST of hosts and one of Secrets, then reads nothing while they idle; a changed host still provisions at once', async () => {
    await createAvailableHosts(env.kubeConfig, env.namespace, { count: 200, prefix: 'idle' });
    // A LIST per pass (the loop's old way) would have made hundreds by now.
    expect(proxy.counts().readsByVerb.list.requests).toBe(2);

    proxy.resetCounts();
    await delay(3000); // six of the simulator's longest idle sleeps
    const idle = proxy.counts();
    expect(idle.reads).toBe(0);
    expect(idle.writes).toBe(0);

    const api = createBareMetalHostApi(env.kubeConfig, env.namespace);
    const host = await api.get('idle-117');
    host.spec.image = { url: 'http://images.example/u.qcow2' };
    host.spec.online = true;
    await api.replace(host);
    // Three 50 ms steps (provisioning, then power on); seconds would mean it waited for a periodic sweep.
    await waitFor(
      api,
      'idle-117',
      (h) => h.status?.provisioning?.state === 'provisioned' && h.status.poweredOn === true,
      2000,
    );
    const busy = proxy.counts();
    expect(busy.readsByVerb.list.requests).toBe(0);
    // Only the changed host was written: its status, a step at a time, and nothing for the 199 others.
    expect(Object.keys(busy.writesByResource)).toEqual(['baremetalhosts/status']);
    expect(busy.writesByResource['baremetalhosts/status']).toBeLessThanOrEqual(5);
  }, 120_000);
});
