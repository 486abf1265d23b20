import { CustomObjectsApi, makeInformer, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { BMH_GROUP, BMH_PLURAL, BMH_VERSION, BareMetalHost } from '../api/bareMetalHost.js';
import { withTypeMeta } from './bareMetalHosts.js';
import { runInformer, type InformerLogger } from './runInformer.js';

/** The BareMetalHosts of one namespace as last seen, for reads that must not cost a LIST each. */
export interface BareMetalHostSnapshots {
  /**
   * Every host of the namespace as last seen, or undefined while the cache cannot be used: before
   * its first list, and from a failed watch until it has listed again. The hosts may be stale.
   */
  snapshot(): readonly BareMetalHost[] | undefined;
}

export interface BareMetalHostCache extends BareMetalHostSnapshots {
  readonly namespace: string;
  synced(): boolean;
  stop(): Promise<void>;
}

/**
 * A watch-backed cache of every BareMetalHost in one namespace. It starts at once and answers
 * `undefined` until the first list is in; objects are parsed once per resourceVersion seen.
 */
export function startBareMetalHostCache(
  kubeConfig: KubeConfig,
  namespace: string,
  logger: InformerLogger,
): BareMetalHostCache {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const informer = makeInformer<KubernetesObject>(
    kubeConfig,
    `/apis/${BMH_GROUP}/${BMH_VERSION}/namespaces/${namespace}/${BMH_PLURAL}`,
    async () => {
      const list = (await api.listNamespacedCustomObject({
        group: BMH_GROUP,
        version: BMH_VERSION,
        namespace,
        plural: BMH_PLURAL,
      })) as { items?: unknown[]; metadata: { resourceVersion?: string } };
      // List items omit apiVersion/kind; watch events carry them. Give both the same shape.
      return { ...list, items: (list.items ?? []).map(withTypeMeta) as KubernetesObject[] };
    },
  );
  // The informer replaces an object on every change, so parsing keyed by the object parses each version once.
  const parsed = new WeakMap<KubernetesObject, BareMetalHost>();
  const parse = (object: KubernetesObject) => {
    let host = parsed.get(object);
    if (!host) {
      host = BareMetalHost.parse(object);
      parsed.set(object, host);
    }
    return host;
  };
  let synced = false;
  let stopped = false;
  const stopping = runInformer(
    informer,
    () => undefined,
    logger,
    `BareMetalHost cache (namespace ${namespace})`,
    (value) => {
      synced = value && !stopped;
    },
  );
  return {
    namespace,
    synced: () => synced,
    snapshot: () => {
      if (!synced) return undefined;
      const hosts: BareMetalHost[] = [];
      for (const object of informer.list(namespace)) {
        try {
          hosts.push(parse(object));
        } catch {
          // A host that does not parse cannot be claimed; a LIST would have failed on it, the cache skips it.
        }
      }
      return hosts;
    },
    stop: async () => {
      stopped = true;
      synced = false;
      await (
        await stopping
      )();
    },
  };
}

/** One cache per namespace, started on first use and shared by every caller; stopped all at once. */
export interface BareMetalHostCaches {
  in(namespace: string): BareMetalHostCache;
  stop(): Promise<void>;
}

export function createBareMetalHostCaches(kubeConfig: KubeConfig, logger: InformerLogger): BareMetalHostCaches {
  const caches = new Map<string, BareMetalHostCache>();
  let stopped = false;
  return {
    in(namespace) {
      let cache = caches.get(namespace);
      if (!cache) {
        // Activities still running while the worker shuts down read by LIST rather than start a watch.
        if (stopped)
          return { namespace, synced: () => false, snapshot: () => undefined, stop: () => Promise.resolve() };
        cache = startBareMetalHostCache(kubeConfig, namespace, logger);
        caches.set(namespace, cache);
      }
      return cache;
    },
    async stop() {
      stopped = true;
      await Promise.all([...caches.values()].map((cache) => cache.stop()));
    },
  };
}
