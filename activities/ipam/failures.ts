import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { classifyApiError } from '../../k8s/apiErrors.js';
import { PoolConfigError } from '../../ipam/errors.js';
import { IpamFailureType } from '../../contracts/ipamFailureTypes.js';

export { IpamFailureType } from '../../contracts/ipamFailureTypes.js';

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

/** Everything the IPAM activities throw passes through here. */
export function toIpamFailure(err: unknown, doing: string): Error {
  if (err instanceof ApplicationFailure || err instanceof CancelledFailure) return err;
  if (err instanceof PoolConfigError) {
    return ApplicationFailure.create({
      type: IpamFailureType.InvalidNetworkConfig,
      message: `${doing} failed: ${err.message}`,
      nonRetryable: true,
      details: [{ property: err.property }],
    });
  }
  const classified = classifyApiError(err);
  const permanent = classified.kind === 'invalid' || classified.kind === 'forbidden';
  const hint =
    classified.kind === 'forbidden' ? '; grant the provider access to IPAddressAllocations and BareMetalHosts' : '';
  return ApplicationFailure.create({
    type: IpamFailureType.KubernetesApiError,
    message: `${doing} failed: ${classified.message}${hint}`,
    nonRetryable: permanent,
    details: [{ kind: classified.kind, status: classified.status }],
  });
}
