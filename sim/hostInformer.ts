import type { KubeConfig } from '@kubernetes/client-node';
import type { BareMetalHost } from '../api/bareMetalHost.js';
import { startBareMetalHostCache } from '../k8s/bareMetalHostCache.js';

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

/** The simulator's view of the hosts of one namespace: the product's host cache, one LIST then a watch. */
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

/** How long the simulator waits for the first list before it starts stepping (hosts then show up as they are listed). */
const FIRST_LIST_WAIT_MS = 60_000;

/** Starts the informer; resolves once its first list is in (or has failed and will be retried). */
export async function startHostInformer(
  kubeConfig: KubeConfig,
  namespace: string,
  events: HostInformerEvents,
): Promise<HostInformer> {
  // The error itself reaches the simulator's user, not a message about it, so that a throttled or
  // unreachable API server (which the restart rides out) can be told from a real fault.
  const cache = startBareMetalHostCache(
    kubeConfig,
    namespace,
    { warn: () => undefined },
    { onResync: events.onResync, onError: events.onError },
  );
  cache.onAnyChange((name) => {
    if (name !== undefined) events.onHost(name);
  });
  await cache.firstListed(FIRST_LIST_WAIT_MS);
  return {
    get(name) {
      try {
        return cache.host(name);
      } catch (err) {
        throw new UnparsableHostError(name, err);
      }
    },
    names: () => cache.names(),
    stop: () => cache.stop(),
  };
}
