import type { KubeConfig } from '@kubernetes/client-node';
import { classifyApiError } from '../../k8s/apiErrors.js';
import { createBareMetalHostApi } from '../../k8s/bareMetalHosts.js';

/**
 * Sets (string) or removes (null) annotations on a host as an operator would with `kubectl
 * annotate`: read, change, write, again on a conflict with the provider's own writes.
 */
export async function annotateHost(
  kubeConfig: KubeConfig,
  namespace: string,
  name: string,
  annotations: Record<string, string | null>,
): Promise<void> {
  const hosts = createBareMetalHostApi(kubeConfig, namespace);
  for (;;) {
    const host = await hosts.get(name);
    const merged = { ...host.metadata.annotations, ...annotations };
    const next = Object.fromEntries(
      Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== null),
    );
    try {
      await hosts.replace({ ...host, metadata: { ...host.metadata, annotations: next } });
      return;
    } catch (err) {
      if (classifyApiError(err).kind !== 'conflict') throw err;
    }
  }
}
