import type { KubeConfig } from '../../k8s/kubernetesClient.js';
import { asyncLocalStorage } from '@temporalio/activity';
import type { BareMetalHostSnapshots } from '../../k8s/bareMetalHostCache.js';
import { createBareMetalHostApi } from '../../k8s/bareMetalHosts.js';
import { createIpAllocationApi } from '../../k8s/ipAllocations.js';
import { allocateAddress, type AllocateAddressInput } from './allocateAddress.js';
import { toApplicationFailure } from '../applicationFailure.js';
import { PoolUsageCache } from './poolUsage.js';
import { releaseAddress } from './releaseAddress.js';
import type {
  AllocateAddressResult,
  ReleaseAddressInput,
  ReleaseAddressResult,
} from '../../contracts/machineActivityContract.js';

export type { AllocateAddressInput } from './allocateAddress.js';

export interface IpamActivityOptions {
  kubeConfig: KubeConfig;
  /** Namespace of the BareMetalHosts, where the allocation objects live too. */
  namespace: string;
  /**
   * How long this process trusts its list of a pool's used addresses before listing again (default 30 s).
   * Staleness never causes a double allocation, only extra create attempts.
   */
  usageMaxAgeMs?: number;
  /** The worker's cache of the namespace's hosts, read for their annotated addresses instead of a LIST. */
  hostCache?: BareMetalHostSnapshots;
}

export interface IpamActivities {
  allocateAddress(input: AllocateAddressInput): Promise<AllocateAddressResult>;
  releaseAddress(input: ReleaseAddressInput): Promise<ReleaseAddressResult>;
}

const DEFAULT_USAGE_MAX_AGE_MS = 30_000;

/** Called outside an activity (the CLI, a benchmark), a call is its own first attempt. */
function isRetriedAttempt(): boolean {
  return (asyncLocalStorage.getStore()?.info.attempt ?? 1) > 1;
}

/** The IPAM activities for a worker; one object per process, so that its usage cache is shared. */
export function createIpamActivities(options: IpamActivityOptions): IpamActivities {
  const allocations = createIpAllocationApi(options.kubeConfig, options.namespace);
  const hosts = createBareMetalHostApi(options.kubeConfig, options.namespace);
  const usage = new PoolUsageCache(
    { allocations, hosts, ...(options.hostCache && { hostCache: options.hostCache }) },
    options.usageMaxAgeMs ?? DEFAULT_USAGE_MAX_AGE_MS,
  );
  const deps = { allocations, hosts, usage, isRetry: isRetriedAttempt };
  return {
    async allocateAddress(input) {
      try {
        return await allocateAddress(deps, input);
      } catch (err) {
        throw toApplicationFailure(
          err,
          `allocating an address for Machine ${input.machine.namespace}/${input.machine.name}`,
          'addresses',
        );
      }
    },
    async releaseAddress(input) {
      try {
        return await releaseAddress(deps, input);
      } catch (err) {
        throw toApplicationFailure(
          err,
          `releasing the address of Machine ${input.machine.namespace}/${input.machine.name}`,
          'addresses',
        );
      }
    },
  };
}
