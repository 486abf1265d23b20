import { CustomObjectsApi, type KubeConfig, type KubernetesObject } from './kubernetesClient.js';
import { BMH_API_VERSION, BMH_GROUP, BMH_PLURAL, BMH_VERSION, BareMetalHost } from '../api/bareMetalHost.js';
import { listInPages, type ObjectList } from './listInPages.js';

/**
 * Typed access to BareMetalHosts in one namespace. Writes are whole-object PUTs, so the
 * `metadata.resourceVersion` of the object passed in is the precondition: a host changed since it
 * was read fails with 409 (classified `conflict` by k8s/apiErrors.ts) and is never overwritten.
 */
export interface BareMetalHostList {
  items: BareMetalHost[];
  resourceVersion: string;
}

export interface BareMetalHostApi {
  readonly namespace: string;
  get(name: string): Promise<BareMetalHost>;
  list(options?: { labelSelector?: string }): Promise<BareMetalHostList>;
  create(host: BareMetalHost): Promise<BareMetalHost>;
  /** PUT of spec and metadata, guarded by `host.metadata.resourceVersion`. */
  replace(host: BareMetalHost): Promise<BareMetalHost>;
  /** PUT of the status subresource, guarded by `host.metadata.resourceVersion`. */
  replaceStatus(host: BareMetalHost): Promise<BareMetalHost>;
  delete(name: string): Promise<void>;
}

export function createBareMetalHostApi(kubeConfig: KubeConfig, namespace: string): BareMetalHostApi {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const where = { group: BMH_GROUP, version: BMH_VERSION, namespace, plural: BMH_PLURAL };

  return {
    namespace,
    async get(name) {
      return BareMetalHost.parse(await api.getNamespacedCustomObject({ ...where, name }));
    },
    async list(options = {}) {
      const raw = await listHostObjects(api, namespace, options);
      return {
        items: raw.items.map((item) => BareMetalHost.parse(item)),
        resourceVersion: raw.metadata.resourceVersion ?? '',
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
  };
}

/**
 * The hosts of a namespace as the API holds them, read in pages, each with its apiVersion and kind: the
 * list the host caches and the boot proxy's informer start from, and what `list` parses.
 */
export async function listHostObjects(
  api: CustomObjectsApi,
  namespace: string,
  options: { labelSelector?: string } = {},
): Promise<ObjectList<KubernetesObject>> {
  const list = await listInPages((page) =>
    api.listNamespacedCustomObject({
      group: BMH_GROUP,
      version: BMH_VERSION,
      namespace,
      plural: BMH_PLURAL,
      ...options,
      ...page,
    }),
  );
  return { ...list, items: list.items.map(withTypeMeta) as KubernetesObject[] };
}

/** Items of a list response omit apiVersion/kind (watch events carry them); restore them so every host parses alike. */
export function withTypeMeta(item: unknown): unknown {
  return typeof item === 'object' && item !== null
    ? { apiVersion: BMH_API_VERSION, kind: 'BareMetalHost', ...item }
    : item;
}
