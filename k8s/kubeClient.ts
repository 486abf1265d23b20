import { KubeConfig } from '@kubernetes/client-node';

/**
 * Loads a kubeconfig from the standard places, in the order kubectl uses:
 * an explicit file, `KUBECONFIG`, `~/.kube/config`, then the in-cluster service account.
 */
export function loadKubeConfig(file?: string): KubeConfig {
  const kc = new KubeConfig();
  if (file) {
    kc.loadFromFile(file);
  } else {
    kc.loadFromDefault();
  }
  return kc;
}
