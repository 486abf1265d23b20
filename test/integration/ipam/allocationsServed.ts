import type { KubeConfig } from '@kubernetes/client-node';
import { createIpAllocationApi } from '../../../k8s/ipAllocations.js';

/** A CRD installed moments ago may still answer "storage is (re)initializing"; waits until it serves lists. */
export async function allocationsServed(kubeConfig: KubeConfig, namespace: string): Promise<void> {
  const allocations = createIpAllocationApi(kubeConfig, namespace);
  for (let attempt = 1; ; attempt++) {
    try {
      await allocations.list();
      return;
    } catch (err) {
      if (attempt >= 60) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
