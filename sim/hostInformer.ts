import { makeInformer, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { BMH_GROUP, BMH_PLURAL, BMH_VERSION, BareMetalHost } from '../api/bareMetalHost.js';
import { createBareMetalHostApi } from '../k8s/bareMetalHosts.js';
import { runInformer } from '../k8s/runInformer.js';

/** A host object in the API that does not parse as a BareMetalHost; the simulator leaves it until it changes. */
export class UnparsableHostError extends Error {
  constructor(
    readonly host: string,
    cause: unknown,
  ) {
    super(`BareMetalHost ${host} does not parse: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'UnparsableHostError';
  }
}

/** The simulator's view of the hosts of one namespace: one LIST, then a watch. */
export interface HostInformer {
  /** The host as last seen, or undefined once it is gone. Throws UnparsableHostError. */
  get(name: string): BareMetalHost | undefined;
  /** Every host name as last seen. */
  names(): string[];
  stop(): Promise<void>;
}

export interface HostInformerEvents {
  /** A host was added, changed or deleted. */
  onHost: (name: string) => void;
  /** The watch failed and the informer has listed (or resumed) again: any host may have changed meanwhile. */
  onResync: () => void;
  /** A failed list or watch, as the API client raised it; the informer starts again by itself. */
  onError: (err: unknown) => void;
}

/** Starts the informer; resolves once its first list is in (or has failed and will be retried). */
export async function startHostInformer(
  kubeConfig: KubeConfig,
  namespace: string,
  events: HostInformerEvents,
): Promise<HostInformer> {
  const api = createBareMetalHostApi(kubeConfig, namespace);
  // The informer keeps list items and watch objects as they came; each is parsed once, when first read.
  const parsed = new WeakMap<KubernetesObject, BareMetalHost>();
  const informer = makeInformer<KubernetesObject>(
    kubeConfig,
    `/apis/${BMH_GROUP}/${BMH_VERSION}/namespaces/${namespace}/${BMH_PLURAL}`,
    async () => {
      const list = await api.list();
      // The client's object type has Date timestamps where the JSON and the parsed host have strings;
      // the informer reads only names and resourceVersions from them.
      const items = list.items as unknown as KubernetesObject[];
      items.forEach((object, i) => parsed.set(object, list.items[i] as BareMetalHost));
      return { items, metadata: { resourceVersion: list.resourceVersion } };
    },
  );
  // The error itself, not runInformer's message about it, so that the simulator's user can tell a
  // throttled or unreachable API server (which the restart rides out) from a real fault.
  informer.on('error', events.onError);
  let lostSync = false;
  const stop = await runInformer(
    informer,
    (object) => {
      events.onHost(object.metadata?.name ?? '');
    },
    { warn: () => undefined },
    `simulator BareMetalHost informer (namespace ${namespace})`,
    (synced) => {
      if (!synced) lostSync = true;
      else if (lostSync) {
        lostSync = false;
        events.onResync();
      }
    },
  );
  return {
    get(name) {
      const object = informer.get(name, namespace);
      if (!object) return undefined;
      let host = parsed.get(object);
      if (!host) {
        try {
          host = BareMetalHost.parse(object);
        } catch (err) {
          throw new UnparsableHostError(name, err);
        }
        parsed.set(object, host);
      }
      return host;
    },
    names: () => informer.list(namespace).map((object) => object.metadata?.name ?? ''),
    stop,
  };
}
