import type { BareMetalHostApi } from '../../k8s/bareMetalHosts.js';
import type { IpAllocationApi } from '../../k8s/ipAllocations.js';
import type { PoolUsageCache } from './poolUsage.js';

/** What the IPAM activities work with: allocations and hosts in one namespace, and this process's usage cache. */
export interface IpamDeps {
  allocations: IpAllocationApi;
  hosts: BareMetalHostApi;
  usage: PoolUsageCache;
  /** True in a retried activity attempt, which may have left an allocation its host does not show yet. */
  isRetry(): boolean;
}
