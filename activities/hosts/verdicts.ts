import { BMH_DETACHED_ANNOTATION, type BareMetalHost } from '../../api/bareMetalHost.js';
import { hostFailure } from './failures.js';
import { describeMachine, isConsumedBy } from './consumerRef.js';
import type { MachineRef } from '../../contracts/machineRef.js';
import type { ProvisionedResult } from '../../contracts/machineActivityContract.js';
import { HostFailureType, failureTypeForBmhError } from '../../contracts/hostFailureTypes.js';

/**
 * Pure decisions of the waiting activities over one observed host: keep waiting (undefined), done,
 * or a typed failure (thrown), so the watch loop stays free of policy.
 */

/** Throws the failure awaitProvisioned ends with, or returns the result once provisioned. */
export function provisioningVerdict(
  name: string,
  host: BareMetalHost | undefined,
  machine: MachineRef,
): ProvisionedResult | undefined {
  if (!host) {
    throw hostFailure(
      HostFailureType.HostDeleted,
      `BareMetalHost ${name} was deleted while provisioning it for ${describeMachine(machine)}; claim another host`,
      { nonRetryable: true },
    );
  }
  if (!isConsumedBy(host, machine)) throw notClaimed(name, machine);
  const status = host.status ?? {};
  const state = status.provisioning?.state ?? '';
  if (status.errorType) {
    const type = failureTypeForBmhError[status.errorType] ?? HostFailureType.HostError;
    const message =
      `BareMetalHost ${name} reports ${status.errorType} (attempt ${status.errorCount ?? 1}) in state "${state}": ` +
      `${status.errorMessage ?? 'no message'}. Check the BMC and the image, then retry or release the Machine`;
    throw hostFailure(type, message, {
      nonRetryable: true,
      details: { host: name, state, errorType: status.errorType, errorCount: status.errorCount ?? 0 },
    });
  }
  if (state === 'deprovisioning') {
    throw hostFailure(
      HostFailureType.HostDeprovisioned,
      `BareMetalHost ${name} went to deprovisioning instead of provisioned: the provisioning attempt failed. ` +
        `See the host's events; retry or release the Machine`,
      { nonRetryable: true, details: { host: name, state } },
    );
  }
  const imageUrl = host.spec.image?.url;
  if (state === 'provisioned' && imageUrl !== undefined && status.provisioning?.image?.url === imageUrl) {
    return { host: name, state: 'provisioned', poweredOn: status.poweredOn ?? false };
  }
  return undefined;
}

export type AvailableOutcome = 'available' | 'notClaimed' | 'deleted' | 'detached';

/** When awaitAvailable may stop waiting, and why. */
export function availabilityVerdict(
  name: string,
  host: BareMetalHost | undefined,
  machine: MachineRef,
): AvailableOutcome | undefined {
  if (!host) return 'deleted';
  if (!isConsumedBy(host, machine)) return 'notClaimed';
  if (host.metadata.annotations?.[BMH_DETACHED_ANNOTATION] !== undefined) return 'detached';
  if (host.spec.image || host.spec.customDeploy) {
    throw hostFailure(
      HostFailureType.HostNotReleased,
      `BareMetalHost ${name} still has an image for ${describeMachine(machine)}; run releaseHost before awaitAvailable`,
      { nonRetryable: true },
    );
  }
  const state = host.status?.provisioning?.state;
  return state === 'available' || state === 'ready' ? 'available' : undefined;
}

export function notClaimed(name: string, machine: MachineRef) {
  return hostFailure(
    HostFailureType.HostNotClaimed,
    `BareMetalHost ${name} is not consumed by ${describeMachine(machine)} any more (released or taken over); claim a host again`,
    { nonRetryable: true },
  );
}
