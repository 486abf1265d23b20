import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '../../k8s/kubernetesClient.js';
import { z } from 'zod';
import { BMH_GROUP, BMH_PLURAL, BMH_VERSION, ObjectReference } from '../../api/bareMetalHost.js';
import { API_GROUP } from '../../api/objectMeta.js';
import { classifyApiError } from '../../k8s/apiErrors.js';
import { IPALLOC_GROUP, IPALLOC_PLURAL, IPALLOC_VERSION, IpAddressAllocation } from '../../k8s/ipAllocations.js';
import type { PageCursor } from '../../contracts/reclaimContract.js';
import { MACHINE_NAME_LABEL } from '../secrets/machineSecrets.js';

/**
 * One page at a time of the objects the reclaim looks at, so a large fleet never sits in one
 * activity result. Kubernetes lists are in name order; when a continue token has expired (the
 * repairs between pages can take long) the list starts over and skips names already seen.
 */
export interface Page<T> {
  items: T[];
  next?: PageCursor;
}

interface RawList {
  items?: unknown[];
  metadata?: { continue?: string; _continue?: string };
}

async function listPage<T>(
  fetch: (token: string | undefined) => Promise<RawList>,
  parse: (item: unknown) => T | undefined,
  nameOf: (item: T) => string,
  cursor: PageCursor,
): Promise<Page<T>> {
  let raw: RawList;
  let skipThrough: string | undefined;
  try {
    raw = await fetch(cursor.token);
  } catch (err) {
    if (cursor.token === undefined || classifyApiError(err).kind !== 'expired') throw err;
    raw = await fetch(undefined);
    skipThrough = cursor.after;
  }
  const parsed = (raw.items ?? []).flatMap((item) => {
    const value = parse(item);
    return value === undefined ? [] : [value];
  });
  const items = skipThrough === undefined ? parsed : parsed.filter((item) => nameOf(item) > skipThrough);
  const token = raw.metadata?.continue ?? raw.metadata?._continue;
  if (!token) return { items };
  const last = parsed.at(-1);
  const after = last ? nameOf(last) : cursor.after;
  return { items, next: after === undefined ? { token } : { token, after } };
}

const HostView = z.looseObject({
  metadata: z.looseObject({ name: z.string() }),
  spec: z.looseObject({ consumerRef: ObjectReference.optional() }).optional(),
});

/** A host as the reclaim needs it: its name and consumer. */
export interface HostEntry {
  name: string;
  consumerRef?: ObjectReference;
}

export async function listHostsPage(
  kubeConfig: KubeConfig,
  namespace: string,
  limit: number,
  cursor: PageCursor,
): Promise<Page<HostEntry>> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  return listPage(
    async (token) =>
      (await api.listNamespacedCustomObject({
        group: BMH_GROUP,
        version: BMH_VERSION,
        namespace,
        plural: BMH_PLURAL,
        limit,
        ...(token && { _continue: token }),
      })) as RawList,
    (item) => {
      const host = HostView.safeParse(item);
      if (!host.success) return undefined;
      const consumerRef = host.data.spec?.consumerRef;
      return { name: host.data.metadata.name, ...(consumerRef && { consumerRef }) };
    },
    (host) => host.name,
    cursor,
  );
}

export async function listAllocationsPage(
  kubeConfig: KubeConfig,
  namespace: string,
  limit: number,
  cursor: PageCursor,
): Promise<Page<IpAddressAllocation>> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  return listPage(
    async (token) =>
      (await api.listNamespacedCustomObject({
        group: IPALLOC_GROUP,
        version: IPALLOC_VERSION,
        namespace,
        plural: IPALLOC_PLURAL,
        limit,
        ...(token && { _continue: token }),
      })) as RawList,
    (item) => {
      const allocation = IpAddressAllocation.safeParse(item);
      return allocation.success ? allocation.data : undefined;
    },
    (allocation) => allocation.metadata.name,
    cursor,
  );
}

/** Names and labels only; the data of the listed Secrets is dropped here and never returned. */
export interface SecretEntry {
  name: string;
  labels: Record<string, string>;
}

export async function listMachineSecretsPage(
  kubeConfig: KubeConfig,
  namespace: string,
  limit: number,
  cursor: PageCursor,
): Promise<Page<SecretEntry>> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  return listPage(
    async (token) => {
      const list = await core.listNamespacedSecret({
        namespace,
        labelSelector: MACHINE_NAME_LABEL,
        limit,
        ...(token && { _continue: token }),
      });
      return {
        items: list.items.map((secret) => ({ name: secret.metadata?.name, labels: secret.metadata?.labels ?? {} })),
        ...(list.metadata?._continue && { metadata: { continue: list.metadata._continue } }),
      };
    },
    (item) => {
      const { name, labels } = item as { name?: string; labels: Record<string, string> };
      return name === undefined ? undefined : { name, labels };
    },
    (secret) => secret.name,
    cursor,
  );
}

const ProviderView = z.looseObject({
  metadata: z.looseObject({ name: z.string() }),
  spec: z.looseObject({
    metal3: z.looseObject({ clusterRef: z.looseObject({ namespace: z.string() }) }),
  }),
});

/** Every NodeProvider with the cluster namespace of its hosts (unreadable providers are left out). */
export async function listProviderNamespaces(kubeConfig: KubeConfig): Promise<Map<string, string>> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const providers = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = (await api.listClusterCustomObject({
      group: API_GROUP,
      version: 'v1',
      plural: 'nodeproviders',
      limit: 500,
      ...(token && { _continue: token }),
    })) as RawList;
    for (const item of page.items ?? []) {
      const provider = ProviderView.safeParse(item);
      if (provider.success) providers.set(provider.data.metadata.name, provider.data.spec.metal3.clusterRef.namespace);
    }
    token = page.metadata?.continue ?? page.metadata?._continue;
  } while (token);
  return providers;
}
