import { CustomObjectsApi, makeInformer, type KubeConfig, type KubernetesObject } from '../k8s/kubernetesClient.js';
import type { Logger } from 'pino';
import { BMH_GROUP, BMH_PLURAL, BMH_VERSION, type BareMetalHost } from '../api/bareMetalHost.js';
import { CONSUMER_KIND } from '../activities/hosts/consumerRef.js';
import { listInPages, type ObjectList } from '../k8s/listInPages.js';
import { runInformer } from '../k8s/runInformer.js';

/** The BareMetalHosts as last seen, for judging whether a Ready Machine still has its host. */
export interface HostCache {
  /** The host, or undefined when it does not exist (the cache is listed before any reconcile). */
  get(namespace: string, name: string): BareMetalHost | undefined;
  /** From now on, a change to this host queues this NodeClaim key (a host's consumer may change). */
  follow(namespace: string, name: string, claimKey: string): void;
  stop(): Promise<void>;
}

/**
 * One informer over every BareMetalHost: a change to a host queues the NodeClaim that consumes it
 * (by consumerRef) and the one known to have been Ready on it, so a lost host is noticed at once
 * rather than at the next settled poll. Resolves once the first list is in the cache.
 */
export async function watchHosts(
  kubeConfig: KubeConfig,
  enqueue: (claimKey: string) => void,
  logger: Logger,
): Promise<HostCache> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const informer = makeInformer<KubernetesObject>(
    kubeConfig,
    `/apis/${BMH_GROUP}/${BMH_VERSION}/${BMH_PLURAL}`,
    async () =>
      (await listInPages((page) =>
        api.listClusterCustomObject({ group: BMH_GROUP, version: BMH_VERSION, plural: BMH_PLURAL, ...page }),
      )) as ObjectList<KubernetesObject>,
  );
  const followers = new Map<string, string>();
  const onHost = (object: KubernetesObject) => {
    const host = object as BareMetalHost;
    const ref = host.spec.consumerRef;
    if (ref?.kind === CONSUMER_KIND && ref.namespace) enqueue(`${ref.namespace}/${ref.name}`);
    const follower = followers.get(`${host.metadata.namespace ?? ''}/${host.metadata.name}`);
    if (follower !== undefined) enqueue(follower);
  };
  const stop = await runInformer(informer, onHost, logger, 'BareMetalHost');
  return {
    get: (namespace, name) => informer.get(name, namespace) as BareMetalHost | undefined,
    follow: (namespace, name, claimKey) => {
      followers.set(`${namespace}/${name}`, claimKey);
    },
    stop,
  };
}
