import { CustomObjectsApi, type KubeConfig } from './kubernetesClient.js';
import { z } from 'zod';
import { MachineRef } from '../contracts/machineRef.js';
import { classifyApiError } from './apiErrors.js';
import { listInPages } from './listInPages.js';

/**
 * IPAddressAllocation objects (crds/ipaddressallocation.yaml): one per allocated address, named after
 * the pool and the address. Creating one is the allocation; the API server's name uniqueness is the lock.
 */
export const IPALLOC_GROUP = 'metal3-provider.io';
export const IPALLOC_VERSION = 'v1alpha1';
export const IPALLOC_PLURAL = 'ipaddressallocations';
export const IPALLOC_KIND = 'IPAddressAllocation';

/** Labels for server-side selection: every allocation of a pool, or of a Machine. */
export const POOL_LABEL = 'metal3-provider.io/pool';
export const MACHINE_LABEL = 'metal3-provider.io/machine';

export const IpAddressAllocationSpec = z.object({
  pool: z.string(),
  poolSource: z.object({
    networkCidr: z.string().optional(),
    networkIpRange: z.string().optional(),
    reservedAddresses: z.string().optional(),
  }),
  address: z.string(),
  prefix: z.number().int(),
  gateway: z.string(),
  machine: MachineRef,
  host: z.string().optional(),
});
export type IpAddressAllocationSpec = z.infer<typeof IpAddressAllocationSpec>;

export const IpAddressAllocation = z.looseObject({
  metadata: z.looseObject({
    name: z.string(),
    labels: z.record(z.string(), z.string()).optional(),
    creationTimestamp: z.union([z.string(), z.date()]).optional(),
  }),
  spec: IpAddressAllocationSpec,
});
export type IpAddressAllocation = z.infer<typeof IpAddressAllocation>;

export interface NewAllocation {
  name: string;
  labels: Record<string, string>;
  spec: IpAddressAllocationSpec;
}

export interface IpAllocationApi {
  readonly namespace: string;
  /** Create-if-absent: `alreadyExists` means another allocation holds the name (read it to see whose). */
  create(allocation: NewAllocation): Promise<'created' | 'alreadyExists'>;
  /** undefined when absent. */
  get(name: string): Promise<IpAddressAllocation | undefined>;
  /** Every allocation whose labels match, across all pages. */
  list(labels?: Record<string, string>): Promise<IpAddressAllocation[]>;
  /** Deleting an absent allocation is success, so releases are idempotent. */
  delete(name: string): Promise<void>;
}

function labelSelector(labels: Record<string, string>): string | undefined {
  const terms = Object.entries(labels).map(([key, value]) => `${key}=${value}`);
  return terms.length > 0 ? terms.join(',') : undefined;
}

export function createIpAllocationApi(kubeConfig: KubeConfig, namespace: string): IpAllocationApi {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const where = { group: IPALLOC_GROUP, version: IPALLOC_VERSION, namespace, plural: IPALLOC_PLURAL };

  return {
    namespace,
    async create(allocation) {
      const body = {
        apiVersion: `${IPALLOC_GROUP}/${IPALLOC_VERSION}`,
        kind: IPALLOC_KIND,
        metadata: { name: allocation.name, namespace, labels: allocation.labels },
        spec: allocation.spec,
      };
      try {
        await api.createNamespacedCustomObject({ ...where, body });
        return 'created';
      } catch (err) {
        if (classifyApiError(err).kind === 'alreadyExists') return 'alreadyExists';
        throw err;
      }
    },
    async get(name) {
      try {
        return IpAddressAllocation.parse(await api.getNamespacedCustomObject({ ...where, name }));
      } catch (err) {
        if (classifyApiError(err).kind === 'notFound') return undefined;
        throw err;
      }
    },
    async list(labels = {}) {
      const selector = labelSelector(labels);
      const { items } = await listInPages((page) =>
        api.listNamespacedCustomObject({ ...where, ...(selector ? { labelSelector: selector } : {}), ...page }),
      );
      return items.map((item) => IpAddressAllocation.parse(item));
    },
    async delete(name) {
      try {
        await api.deleteNamespacedCustomObject({ ...where, name });
      } catch (err) {
        if (classifyApiError(err).kind !== 'notFound') throw err;
      }
    },
  };
}
