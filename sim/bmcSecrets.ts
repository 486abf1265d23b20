import { CoreV1Api, Watch, type KubeConfig, type V1Secret } from '@kubernetes/client-node';
import { classifyApiError } from '../k8s/apiErrors.js';
import { SECRET_ENVIRONMENT_LABEL, SECRET_ENVIRONMENT_VALUE } from './bmcCredentials.js';

/**
 * The BMC Secrets of one namespace as BMO sees them: a cache of every Secret carrying BMO's label,
 * kept by a watch, and a read from the API for a Secret BMO has not labelled yet. A watch, not a
 * list per pass: the simulator's passes come at every host change, and a fleet has many.
 */
export interface BmcSecretCache {
  /** The Secret, or undefined when it does not exist. */
  get(name: string): Promise<V1Secret | undefined>;
  /** PUT of the Secret, guarded by its resourceVersion; the answer goes into the cache. */
  replace(secret: V1Secret): Promise<void>;
  stop(): void;
}

const SELECTOR = `${SECRET_ENVIRONMENT_LABEL}=${SECRET_ENVIRONMENT_VALUE}`;

export async function startBmcSecretCache(
  kubeConfig: KubeConfig,
  namespace: string,
  /** `onChange` hears the name of each Secret that changed, appeared or went, as the watch or a re-list shows it. */
  options: { onChange: (name: string) => void; onError: (err: unknown) => void },
): Promise<BmcSecretCache> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const cached = new Map<string, V1Secret>();
  let stopped = false;
  let watch: AbortController | undefined;

  const store = (secret: V1Secret) => {
    const name = secret.metadata?.name ?? '';
    if (isOlder(secret, cached.get(name))) return;
    if (secret.metadata?.labels?.[SECRET_ENVIRONMENT_LABEL] === undefined) cached.delete(name);
    else cached.set(name, secret);
  };
  let listed = false;
  const sync = async (): Promise<void> => {
    const list = await core.listNamespacedSecret({ namespace, labelSelector: SELECTOR });
    const before = new Map(cached);
    cached.clear();
    for (const secret of list.items) store(secret);
    // After the first list: whatever changed while the watch was down counts as changed now.
    if (listed) {
      for (const name of new Set([...before.keys(), ...cached.keys()])) {
        const [was, is] = [before.get(name), cached.get(name)];
        if (was?.metadata?.resourceVersion !== is?.metadata?.resourceVersion) options.onChange(name);
      }
    }
    listed = true;
    watch = await new Watch(kubeConfig).watch(
      `/api/v1/namespaces/${namespace}/secrets`,
      { labelSelector: SELECTOR, resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
      (type: string, secret: V1Secret) => {
        const name = secret.metadata?.name ?? '';
        if (type === 'DELETED') cached.delete(name);
        else if (type === 'ADDED' || type === 'MODIFIED') store(secret);
        else return;
        options.onChange(name);
      },
      (err: unknown) => {
        if (stopped) return;
        if (err) options.onError(err);
        // Listed again from the start: what changed while the watch was down is in the new list.
        setTimeout(() => void sync().catch(restartLater), err ? 1000 : 0);
      },
    );
  };
  const restartLater = (err: unknown) => {
    options.onError(err);
    if (!stopped) setTimeout(() => void sync().catch(restartLater), 1000);
  };
  await sync();

  return {
    async get(name) {
      const found = cached.get(name);
      if (found) return found;
      try {
        return await core.readNamespacedSecret({ namespace, name });
      } catch (err) {
        if (classifyApiError(err).kind === 'notFound') return undefined;
        throw err;
      }
    },
    async replace(secret) {
      store(await core.replaceNamespacedSecret({ namespace, name: secret.metadata?.name ?? '', body: secret }));
    },
    stop() {
      stopped = true;
      watch?.abort();
    },
  };
}

/** Whether `secret` is an older version than `current`; resourceVersions compared as numbers when they are. */
function isOlder(secret: V1Secret, current: V1Secret | undefined): boolean {
  const [a, b] = [secret.metadata?.resourceVersion, current?.metadata?.resourceVersion];
  if (!a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return BigInt(a) < BigInt(b);
}
