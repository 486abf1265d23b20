import { CustomObjectsApi, makeInformer, type KubeConfig, type KubernetesObject } from './kubernetesClient.js';
import { BMH_GROUP, BMH_PLURAL, BMH_VERSION, BareMetalHost } from '../api/bareMetalHost.js';
import { listHostObjects } from './bareMetalHosts.js';
import { runInformer, type InformerLogger } from './runInformer.js';

/** The BareMetalHosts of one namespace as last seen, for reads that must not cost a LIST each. */
export interface BareMetalHostSnapshots {
  /**
   * Every host of the namespace as last seen, or undefined while the cache cannot be used: before
   * its first list, and from a failed watch until it has listed again. The hosts may be stale.
   */
  snapshot(): readonly BareMetalHost[] | undefined;
  /**
   * Resolves once the cache's first list has ended, well or not, or after `timeoutMs`: a reader
   * that finds no snapshot while the cache is starting waits for it rather than LIST every host itself.
   */
  firstListed(timeoutMs: number): Promise<void>;
}

/** One version of a host as the cache saw it go by: changed (or added), or deleted. */
export interface HostEvent {
  type: 'changed' | 'deleted';
  host: BareMetalHost;
}

/** Every version of single hosts the cache sees, in order, so a wait follows its host without a watch of its own. */
export interface BareMetalHostChanges {
  /** True while changes are being followed; while false a waiter must look for itself. */
  synced(): boolean;
  /**
   * Calls `listener` with each version of the named host the cache sees, in order, and with
   * `undefined` when the waiter must look for itself: at every change of `synced()` (versions may
   * have gone by unseen) and for a version that does not parse. Returns the function that stops the calls.
   */
  onChange(name: string, listener: (event: HostEvent | undefined) => void): () => void;
  /**
   * Calls `listener` with the name of each host the cache sees added, changed or deleted, and with
   * `undefined` at every change of sync (hosts may have changed unseen): for a reader that keeps what it
   * worked out from the snapshot up to date. Returns the function that stops the calls.
   */
  onAnyChange(listener: (name: string | undefined) => void): () => void;
  /**
   * The named host as last seen while changes are followed; undefined while not synced, and for a
   * host not seen, gone or not parsable. It may be older than the server's: a start for a guarded write.
   */
  latest(name: string): BareMetalHost | undefined;
}

/** What the host activities read from the worker's cache of one namespace. */
export type BareMetalHostView = BareMetalHostSnapshots & BareMetalHostChanges;

export interface BareMetalHostCache extends BareMetalHostView {
  readonly namespace: string;
  /** The named host as last seen, or undefined (not seen, or gone); throws the parse error of a host that does not parse. */
  host(name: string): BareMetalHost | undefined;
  /** The name of every host as last seen. */
  names(): string[];
  stop(): Promise<void>;
}

/** For a reader that follows the cache's list and watch themselves (the simulator). */
export interface BareMetalHostCacheHooks {
  /** The watch had failed and the cache has listed again: any host may have changed unseen. */
  onResync?: () => void;
  /** A failed list or watch as the API client raised it (the cache starts again by itself). */
  onError?: (err: unknown) => void;
}

/**
 * A watch-backed cache of every BareMetalHost in one namespace. It starts at once and answers
 * `undefined` until the first list is in; objects are parsed once per resourceVersion seen.
 */
export function startBareMetalHostCache(
  kubeConfig: KubeConfig,
  namespace: string,
  logger: InformerLogger,
  hooks: BareMetalHostCacheHooks = {},
): BareMetalHostCache {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const informer = makeInformer<KubernetesObject>(
    kubeConfig,
    `/apis/${BMH_GROUP}/${BMH_VERSION}/namespaces/${namespace}/${BMH_PLURAL}`,
    () => listHostObjects(api, namespace),
  );
  // Each version is checked once (the informer replaces an object on every change), and the informer's own
  // object is handed out: the schema only checks (loose objects, nothing defaulted or transformed), so its copy
  // would equal the object, and keeping both held every host of the namespace twice.
  const checked = new WeakSet<KubernetesObject>();
  const parse = (object: KubernetesObject): BareMetalHost => {
    if (!checked.has(object)) {
      BareMetalHost.parse(object);
      checked.add(object);
    }
    return object as BareMetalHost;
  };
  const listeners = new Map<string, Set<(event: HostEvent | undefined) => void>>();
  const tell = (name: string, event: () => HostEvent | undefined) => {
    const set = listeners.get(name);
    if (!set) return;
    let told: HostEvent | undefined;
    try {
      told = event();
    } catch {
      // A version that does not parse: the waiter reads the host itself and meets the error there.
    }
    for (const listener of [...set]) listener(told);
  };
  const followers = new Set<(name: string | undefined) => void>();
  const tellFollowers = (name: string | undefined) => {
    for (const follower of [...followers]) follower(name);
  };
  const tellEveryone = () => {
    for (const name of [...listeners.keys()]) tell(name, () => undefined);
    tellFollowers(undefined);
  };
  if (hooks.onError) informer.on('error', hooks.onError);
  let synced = false;
  let lostSync = false;
  let stopped = false;
  let listedOnce: () => void = () => undefined;
  const firstList = new Promise<void>((resolve) => {
    listedOnce = resolve;
  });
  const stopping = runInformer(
    informer,
    (object, event) => {
      const name = object.metadata?.name ?? '';
      tell(name, () => ({ type: event === 'delete' ? 'deleted' : 'changed', host: parse(object) }));
      tellFollowers(name);
    },
    logger,
    `BareMetalHost cache (namespace ${namespace})`,
    (value) => {
      synced = value && !stopped;
      listedOnce();
      // Versions may have gone by unseen around a change of sync: every waiter reads its host again.
      tellEveryone();
      if (!value) lostSync = true;
      else if (lostSync && !stopped) {
        lostSync = false;
        hooks.onResync?.();
      }
    },
  );
  const host = (name: string): BareMetalHost | undefined => {
    const object = informer.get(name, namespace);
    return object && parse(object);
  };
  return {
    namespace,
    synced: () => synced,
    firstListed: (timeoutMs) => within(firstList, timeoutMs),
    onChange: (name, listener) => {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(name) === set) listeners.delete(name);
      };
    },
    onAnyChange: (follower) => {
      followers.add(follower);
      return () => {
        followers.delete(follower);
      };
    },
    host,
    names: () => informer.list(namespace).map((object) => object.metadata?.name ?? ''),
    latest: (name) => {
      if (!synced) return undefined;
      try {
        return host(name);
      } catch {
        return undefined;
      }
    },
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
      listedOnce();
      await (
        await stopping
      )();
    },
  };
}

/** Resolves when `promise` does or after `timeoutMs`, whichever is first, without holding the process open. */
function within(promise: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

/** One cache per namespace, started on first use and shared by every caller; stopped all at once. */
export interface BareMetalHostCaches {
  in(namespace: string): BareMetalHostCache;
  stop(): Promise<void>;
}

/** The view of one namespace's cache that starts the cache only when first read, so a namespace used only for Secrets never watches hosts. */
export function lazyHostView(caches: BareMetalHostCaches, namespace: string): BareMetalHostView {
  return {
    snapshot: () => caches.in(namespace).snapshot(),
    firstListed: (timeoutMs) => caches.in(namespace).firstListed(timeoutMs),
    synced: () => caches.in(namespace).synced(),
    onChange: (name, listener) => caches.in(namespace).onChange(name, listener),
    onAnyChange: (listener) => caches.in(namespace).onAnyChange(listener),
    latest: (name) => caches.in(namespace).latest(name),
  };
}

export function createBareMetalHostCaches(kubeConfig: KubeConfig, logger: InformerLogger): BareMetalHostCaches {
  const caches = new Map<string, BareMetalHostCache>();
  let stopped = false;
  return {
    in(namespace) {
      let cache = caches.get(namespace);
      if (!cache) {
        // Activities still running while the worker shuts down LIST and poll rather than start a watch.
        if (stopped)
          return {
            namespace,
            host: () => undefined,
            names: () => [],
            synced: () => false,
            snapshot: () => undefined,
            firstListed: () => Promise.resolve(),
            onChange: () => () => undefined,
            onAnyChange: () => () => undefined,
            latest: () => undefined,
            stop: () => Promise.resolve(),
          };
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
