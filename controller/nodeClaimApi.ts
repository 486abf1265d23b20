import { CustomObjectsApi, type KubeConfig } from '../k8s/kubernetesClient.js';
import { API_GROUP } from '../api/objectMeta.js';
import { classifyApiError } from '../k8s/apiErrors.js';
import { listInPages, type ObjectList } from '../k8s/listInPages.js';

/** Holds a NodeClaim until its Machine has released everything. */
export const NODECLAIM_FINALIZER = 'metal3-provider.io/release-machine';

export const NODECLAIM_PLURAL = 'nodeclaims';
const VERSION = 'v1';

/** A NodeClaim as the apiserver returns it; spec and status are parsed by the reconciler. */
export interface StoredNodeClaim {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    deletionTimestamp?: string;
    finalizers?: string[];
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  spec?: unknown;
  status?: unknown;
}

export interface NodeClaimApi {
  /** The claim as stored now, or undefined once it is gone. */
  get(namespace: string, name: string): Promise<StoredNodeClaim | undefined>;
  /** Writes metadata and spec (finalizers) with the read resourceVersion; a conflict throws. */
  replace(claim: StoredNodeClaim): Promise<StoredNodeClaim>;
  /** Writes the status subresource with the read resourceVersion; a conflict throws. */
  replaceStatus(claim: StoredNodeClaim): Promise<StoredNodeClaim>;
  /** The informer's list: one namespace, or every namespace when `namespace` is undefined. */
  list(namespace: string | undefined): Promise<ObjectList<StoredNodeClaim>>;
  /** The watch path of the same. */
  watchPath(namespace: string | undefined): string;
}

export function createNodeClaimApi(kubeConfig: KubeConfig): NodeClaimApi {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const where = { group: API_GROUP, version: VERSION, plural: NODECLAIM_PLURAL };
  return {
    async get(namespace, name) {
      try {
        return (await api.getNamespacedCustomObject({ ...where, namespace, name })) as StoredNodeClaim;
      } catch (err) {
        if (classifyApiError(err).kind === 'notFound') return undefined;
        throw err;
      }
    },
    async replace(claim) {
      const { namespace, name } = claim.metadata;
      return (await api.replaceNamespacedCustomObject({ ...where, namespace, name, body: claim })) as StoredNodeClaim;
    },
    async replaceStatus(claim) {
      const { namespace, name } = claim.metadata;
      return (await api.replaceNamespacedCustomObjectStatus({
        ...where,
        namespace,
        name,
        body: claim,
      })) as StoredNodeClaim;
    },
    async list(namespace) {
      const list = await listInPages((page) =>
        namespace
          ? api.listNamespacedCustomObject({ ...where, namespace, ...page })
          : api.listClusterCustomObject({ ...where, ...page }),
      );
      return list as ObjectList<StoredNodeClaim>;
    },
    watchPath(namespace) {
      return namespace
        ? `/apis/${API_GROUP}/${VERSION}/namespaces/${namespace}/${NODECLAIM_PLURAL}`
        : `/apis/${API_GROUP}/${VERSION}/${NODECLAIM_PLURAL}`;
    },
  };
}

export function hasFinalizer(claim: StoredNodeClaim): boolean {
  return claim.metadata.finalizers?.includes(NODECLAIM_FINALIZER) ?? false;
}

export function withFinalizer(claim: StoredNodeClaim): StoredNodeClaim {
  if (hasFinalizer(claim)) return claim;
  return {
    ...claim,
    metadata: { ...claim.metadata, finalizers: [...(claim.metadata.finalizers ?? []), NODECLAIM_FINALIZER] },
  };
}

export function withoutFinalizer(claim: StoredNodeClaim): StoredNodeClaim {
  return {
    ...claim,
    metadata: {
      ...claim.metadata,
      finalizers: (claim.metadata.finalizers ?? []).filter((f) => f !== NODECLAIM_FINALIZER),
    },
  };
}
