import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { classifyApiError } from '../../k8s/apiErrors.js';

/**
 * Failure types of the host activities. The workflow matches on these names (`failure.type`);
 * messages say what failed and what the operator can do, and never carry user data or credentials.
 */
export const HostFailureType = {
  /** No host matched and was free. Retryable: a host may be released or added later. */
  NoHostAvailable: 'NoHostAvailable',
  /** The pinned host (`metal3.vcluster.com/server-name`) cannot be taken; `nonRetryable` when waiting will not help. */
  HostNotEligible: 'HostNotEligible',
  /** The host is no longer consumed by this Machine (released or taken over by someone else). */
  HostNotClaimed: 'HostNotClaimed',
  /** The host was deleted while this Machine used it. */
  HostDeleted: 'HostDeleted',
  ProvisioningError: 'ProvisioningError',
  RegistrationError: 'RegistrationError',
  InspectionError: 'InspectionError',
  PreparationError: 'PreparationError',
  PowerManagementError: 'PowerManagementError',
  /** Any other `status.errorType` BMO reports (detach error, servicing error). */
  HostError: 'HostError',
  /** BMO moved the host to `deprovisioning` while we waited for `provisioned`: the attempt failed. */
  HostDeprovisioned: 'HostDeprovisioned',
  /** awaitAvailable found the host still configured: releaseHost has to run first. */
  HostNotReleased: 'HostNotReleased',
  /** The Kubernetes API refused or failed a request; retryable unless the request itself was wrong. */
  KubernetesApiError: 'KubernetesApiError',
} as const;
export type HostFailureType = (typeof HostFailureType)[keyof typeof HostFailureType];

/** BMO `status.errorType` → our failure type. */
export const failureTypeForBmhError: Readonly<Record<string, HostFailureType>> = {
  'provisioning error': HostFailureType.ProvisioningError,
  'registration error': HostFailureType.RegistrationError,
  'provisioned registration error': HostFailureType.RegistrationError,
  'inspection error': HostFailureType.InspectionError,
  'preparation error': HostFailureType.PreparationError,
  'power management error': HostFailureType.PowerManagementError,
};

export function hostFailure(
  type: HostFailureType,
  message: string,
  options: { nonRetryable: boolean; details?: unknown },
): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: options.nonRetryable,
    details: options.details === undefined ? undefined : [options.details],
  });
}

/**
 * Anything an activity throws passes through here: typed failures and cancellation as they are,
 * Kubernetes errors as `KubernetesApiError` with the API server's message only (never a request body).
 */
export function toActivityFailure(err: unknown, doing: string): Error {
  if (err instanceof ApplicationFailure || err instanceof CancelledFailure) return err;
  const classified = classifyApiError(err);
  const permanent = classified.kind === 'invalid' || classified.kind === 'forbidden';
  const hint =
    classified.kind === 'forbidden' ? '; grant the provider access to BareMetalHosts, Secrets and Events' : '';
  return hostFailure(HostFailureType.KubernetesApiError, `${doing} failed: ${classified.message}${hint}`, {
    nonRetryable: permanent,
    details: { kind: classified.kind, status: classified.status },
  });
}
