import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { toApplicationFailure } from '../../../activities/applicationFailure.js';
import { claimedHost } from '../../../activities/hosts/originalRecord.js';
import { availabilityVerdict, provisioningVerdict } from '../../../activities/hosts/verdicts.js';
import { availableHost } from './hostFixture.js';
import { ApiException } from '@kubernetes/client-node';
import { HostFailureType } from '../../../contracts/hostFailureTypes.js';

const machine = { namespace: 'team-a', name: 'm1' };

function claimed(state: string, status: Record<string, unknown> = {}, image = true) {
  const host = claimedHost(availableHost('h'), machine);
  if (image) host.spec.image = { url: 'http://i/u.qcow2' };
  host.status = { ...host.status, provisioning: { state, image: { url: 'http://i/u.qcow2' } }, ...status };
  return host;
}

function failureOf(fn: () => unknown): ApplicationFailure {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApplicationFailure) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('provisioningVerdict', () => {
  it.each([
    ['provisioning error', HostFailureType.ProvisioningError],
    ['registration error', HostFailureType.RegistrationError],
    ['provisioned registration error', HostFailureType.RegistrationError],
    ['inspection error', HostFailureType.InspectionError],
    ['preparation error', HostFailureType.PreparationError],
    ['power management error', HostFailureType.PowerManagementError],
    ['servicing error', HostFailureType.HostError],
  ])('maps errorType %s to %s with the message', (errorType, type) => {
    const host = claimed('provisioning', { errorType, errorMessage: 'the BMC said no', errorCount: 2 });
    const failure = failureOf(() => provisioningVerdict('h', host, machine));
    expect(failure.type).toBe(type);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('the BMC said no');
    expect(failure.message).toContain(errorType);
  });

  it('fails when BMO deprovisions instead of finishing', () => {
    expect(failureOf(() => provisioningVerdict('h', claimed('deprovisioning'), machine)).type).toBe(
      HostFailureType.HostDeprovisioned,
    );
  });

  it('fails when the host is gone or no longer ours', () => {
    expect(failureOf(() => provisioningVerdict('h', undefined, machine)).type).toBe(HostFailureType.HostDeleted);
    expect(failureOf(() => provisioningVerdict('h', claimed('provisioning'), { namespace: 'x', name: 'y' })).type).toBe(
      HostFailureType.HostNotClaimed,
    );
  });

  it('waits while provisioning and succeeds once provisioned with our image', () => {
    expect(provisioningVerdict('h', claimed('provisioning'), machine)).toBeUndefined();
    expect(provisioningVerdict('h', claimed('provisioned', { poweredOn: true }), machine)).toEqual({
      host: 'h',
      state: 'provisioned',
      poweredOn: true,
    });
    const stale = claimed('provisioned');
    stale.spec.image = { url: 'http://i/other.qcow2' };
    expect(provisioningVerdict('h', stale, machine)).toBeUndefined();
  });
});

describe('availabilityVerdict', () => {
  it('waits through deprovisioning and stops at available', () => {
    expect(availabilityVerdict('h', claimed('deprovisioning', {}, false), machine)).toBeUndefined();
    expect(availabilityVerdict('h', claimed('available', {}, false), machine)).toBe('available');
  });

  it('ends cleanly for a deleted, detached or already restored host', () => {
    expect(availabilityVerdict('h', undefined, machine)).toBe('deleted');
    const detached = claimed('provisioned', {}, false);
    detached.metadata.annotations = { ...detached.metadata.annotations, 'baremetalhost.metal3.io/detached': '' };
    expect(availabilityVerdict('h', detached, machine)).toBe('detached');
    expect(availabilityVerdict('h', availableHost('h'), machine)).toBe('notClaimed');
  });

  it('refuses to wait on a host that was never released', () => {
    expect(failureOf(() => availabilityVerdict('h', claimed('provisioned'), machine)).type).toBe(
      HostFailureType.HostNotReleased,
    );
  });
});

describe('toApplicationFailure of a host step', () => {
  it('keeps only the API server message and marks bad requests non-retryable', () => {
    const invalid = toApplicationFailure(
      new ApiException(422, 'Unprocessable', JSON.stringify({ message: 'spec.image.url: Required' }), {}),
      'configuring',
      'hosts',
    );
    expect(invalid).toMatchObject({
      type: HostFailureType.KubernetesApiError,
      nonRetryable: true,
      message: 'configuring failed: spec.image.url: Required',
    });
    const busy = toApplicationFailure(new ApiException(503, 'Unavailable', '{}', {}), 'claiming', 'hosts');
    expect(busy).toMatchObject({ type: HostFailureType.KubernetesApiError, nonRetryable: false });
  });
});
