import { CustomObjectsApi, Watch, type KubeConfig } from '@kubernetes/client-node';
import { BMH_API_VERSION, BMH_GROUP, BMH_PLURAL, BMH_VERSION, BareMetalHost } from '../api/bareMetalHost.js';

/**
 * Typed access to BareMetalHosts in one namespace. Writes are whole-object PUTs, so the
 * `metadata.resourceVersion` of the object passed in is the precondition: a host changed since it
 * was read fails with 409 (classified `conflict` by k8s/apiErrors.ts) and is never overwritten.
 */
export interface BareMetalHostList {
  items: BareMetalHost[];
  /** The list's resourceVersion, where a watch resumes without missing an event. */
  resourceVersion: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface BareMetalHostWatchHandlers {
  onEvent: (type: WatchEventType, object: unknown) => void;
  /** Called once when the watch ends: `null` for a clean close by the server, else the error. */
  onDone: (err: unknown) => void;
}

export interface BareMetalHostApi {
  readonly namespace: string;
  get(name: string): Promise<BareMetalHost>;
  list(options?: { labelSelector?: string; fieldSelector?: string }): Promise<BareMetalHostList>;
  create(host: BareMetalHost): Promise<BareMetalHost>;
  /** PUT of spec and metadata, guarded by `host.metadata.resourceVersion`. */
  replace(host: BareMetalHost): Promise<BareMetalHost>;
  /** PUT of the status subresource, guarded by `host.metadata.resourceVersion`. */
  replaceStatus(host: BareMetalHost): Promise<BareMetalHost>;
  delete(name: string): Promise<void>;
  /** Watches from `resourceVersion`; abort the returned controller to stop. */
  watch(
    options: { resourceVersion: string; fieldSelector?: string },
    handlers: BareMetalHostWatchHandlers,
  ): Promise<AbortController>;
}

export function createBareMetalHostApi(kubeConfig: KubeConfig, namespace: string): BareMetalHostApi {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const watcher = new Watch(kubeConfig);
  const where = { group: BMH_GROUP, version: BMH_VERSION, namespace, plural: BMH_PLURAL };

  return {
    namespace,
    async get(name) {
      return BareMetalHost.parse(await api.getNamespacedCustomObject({ ...where, name }));
    },
    async list(options = {}) {
      const raw = (await api.listNamespacedCustomObject({ ...where, ...options })) as {
        items?: unknown[];
        metadata?: { resourceVersion?: string };
      };
      return {
        items: (raw.items ?? []).map((item) => BareMetalHost.parse(withTypeMeta(item))),
        resourceVersion: raw.metadata?.resourceVersion ?? '',
      };
    },
    async create(host) {
      return BareMetalHost.parse(await api.createNamespacedCustomObject({ ...where, body: host }));
    },
    async replace(host) {
      const name = host.metadata.name;
      return BareMetalHost.parse(await api.replaceNamespacedCustomObject({ ...where, name, body: host }));
    },
    async replaceStatus(host) {
      const name = host.metadata.name;
      return BareMetalHost.parse(await api.replaceNamespacedCustomObjectStatus({ ...where, name, body: host }));
    },
    async delete(name) {
      await api.deleteNamespacedCustomObject({ ...where, name });
    },
    watch(options, handlers) {
      const path = `/apis/${BMH_GROUP}/${BMH_VERSION}/namespaces/${namespace}/${BMH_PLURAL}`;
      return watcher.watch(
        path,
        { resourceVersion: options.resourceVersion, fieldSelector: options.fieldSelector, allowWatchBookmarks: true },
        (type, object) => {
          handlers.onEvent(type as WatchEventType, object);
        },
        handlers.onDone,
      );
    },
  };
}

/** Items of a list response omit apiVersion/kind; restore them so every host parses alike. */
export function withTypeMeta(item: unknown): unknown {
  return typeof item === 'object' && item !== null
    ? { apiVersion: BMH_API_VERSION, kind: 'BareMetalHost', ...item }
    : item;
}
