import type { KubeConfig } from '@kubernetes/client-node';
import { capacityKey } from '../../activities/hosts/resourceFit.js';
import { createSimHosts } from '../../sim/simHosts.js';

export const DEMO_NAMESPACE = 'metal3-system';

/** The demo's servers: two hardware classes matching the example NodeProvider's node types. */
export async function createDemoHosts(kubeConfig: KubeConfig): Promise<{ compute: string[]; gpu: string[] }> {
  const compute = await createSimHosts(kubeConfig, DEMO_NAMESPACE, {
    count: 5,
    prefix: 'compute',
    labels: { role: 'compute' },
  });
  const gpu = await createSimHosts(kubeConfig, DEMO_NAMESPACE, {
    count: 3,
    prefix: 'gpu',
    labels: { role: 'gpu', datacenter: 'us-east' },
    annotations: {
      'sim.metal3-provider/cpu-count': '64',
      'sim.metal3-provider/ram-mebibytes': String(256 * 1024),
      [capacityKey('nvidia.com/gpu')]: '4',
    },
  });
  return { compute, gpu };
}
