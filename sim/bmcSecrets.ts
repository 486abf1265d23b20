import { CoreV1Api, type KubeConfig, type V1Secret } from '@kubernetes/client-node';
import { classifyApiError } from '../k8s/apiErrors.js';
import { SECRET_ENVIRONMENT_LABEL, SECRET_ENVIRONMENT_VALUE } from './bmcCredentials.js';

/** The BMC Secrets of one namespace as the simulator reads and writes them. */
export interface BmcSecretReader {
  /**
   * A lookup for one pass, as BMO's cache holds them: every Secret carrying BMO's label, and any other
   * Secret by name on request (BMO reads a Secret it has not labelled yet straight from the API).
   */
  snapshot(): (name: string) => Promise<V1Secret | undefined>;
  /** PUT of the Secret, guarded by its resourceVersion. */
  replace(secret: V1Secret): Promise<void>;
}

export function createBmcSecretReader(kubeConfig: KubeConfig, namespace: string): BmcSecretReader {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  return {
    snapshot() {
      // Listed on the first lookup of a pass only: passes over hosts that need no credentials read none.
      let listed: Promise<Map<string, V1Secret>> | undefined;
      const list = async () => {
        const labelled = await core.listNamespacedSecret({
          namespace,
          labelSelector: `${SECRET_ENVIRONMENT_LABEL}=${SECRET_ENVIRONMENT_VALUE}`,
        });
        return new Map(labelled.items.map((s) => [s.metadata?.name ?? '', s]));
      };
      return async (name: string) => {
        const byName = await (listed ??= list());
        const found = byName.get(name);
        if (found) return found;
        try {
          const secret = await core.readNamespacedSecret({ namespace, name });
          byName.set(name, secret);
          return secret;
        } catch (err) {
          if (classifyApiError(err).kind === 'notFound') return undefined;
          throw err;
        }
      };
    },
    async replace(secret) {
      await core.replaceNamespacedSecret({ namespace, name: secret.metadata?.name ?? '', body: secret });
    },
  };
}
