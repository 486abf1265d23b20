import { ApplicationFailure } from '@temporalio/common';
import { IpamFailureType } from '../../contracts/ipamFailureTypes.js';

export function poolExhausted(pool: { id: string; description: string; size: bigint }): ApplicationFailure {
  return ApplicationFailure.create({
    type: IpamFailureType.AddressPoolExhausted,
    message:
      `address pool ${pool.id} (${pool.description}) is exhausted: all ${pool.size} allocatable addresses are ` +
      'allocated or in use on a BareMetalHost; release Machines, widen network-ip-range, or see `metal3-provider ipam list`',
    nonRetryable: false,
    details: [{ pool: pool.id, size: pool.size.toString() }],
  });
}

export function hostNotFound(host: string, namespace: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: IpamFailureType.HostNotFound,
    message: `BareMetalHost ${namespace}/${host} does not exist, so it cannot carry the address lease; claim a host first`,
    nonRetryable: true,
  });
}
