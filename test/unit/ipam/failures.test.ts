import { ApiException } from '@kubernetes/client-node';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { toApplicationFailure } from '../../../activities/applicationFailure.js';
import { poolExhausted } from '../../../activities/ipam/failures.js';
import { PoolConfigError } from '../../../ipam/errors.js';
import { buildPool } from '../../../ipam/pool.js';
import { IpamFailureType } from '../../../contracts/ipamFailureTypes.js';

function failure(err: unknown): ApplicationFailure {
  const result = toApplicationFailure(err, 'allocating an address for Machine t/m', 'addresses');
  if (!(result instanceof ApplicationFailure)) throw new Error('expected an ApplicationFailure');
  return result;
}

describe('IPAM failures', () => {
  it('an exhausted pool is retryable and names the pool and its size', () => {
    const pool = buildPool({ networkCidr: '10.0.0.1/24', reservedAddresses: '10.0.0.100-10.0.0.254' });
    const exhausted = poolExhausted(pool);
    expect(exhausted.type).toBe(IpamFailureType.AddressPoolExhausted);
    expect(exhausted.nonRetryable).toBe(false);
    expect(exhausted.message).toContain(
      `address pool ${pool.id} (10.0.0.1/24) is exhausted: all 98 allocatable addresses`,
    );
    expect(exhausted.details).toEqual([{ pool: pool.id, size: '98' }]);
  });

  it('a bad network property is not retryable and names the property', () => {
    const result = failure(new PoolConfigError('metal3.vcluster.com/network-cidr', '"x" is not a CIDR'));
    expect(result).toMatchObject({ type: IpamFailureType.InvalidNetworkConfig, nonRetryable: true });
    expect(result.message).toBe(
      'allocating an address for Machine t/m failed: metal3.vcluster.com/network-cidr: "x" is not a CIDR',
    );
  });

  it.each([
    [503, false],
    [429, false],
    [403, true],
    [422, true],
  ])('an API error %i is a KubernetesApiError, nonRetryable=%s', (status, nonRetryable) => {
    const err = new ApiException(status, 'failed', JSON.stringify({ message: `status ${status}` }), {});
    expect(failure(err)).toMatchObject({ type: IpamFailureType.KubernetesApiError, nonRetryable });
  });

  it('passes typed failures through unchanged', () => {
    const typed = ApplicationFailure.create({ type: IpamFailureType.HostNotFound, nonRetryable: true });
    expect(toApplicationFailure(typed, 'x', 'addresses')).toBe(typed);
  });
});
