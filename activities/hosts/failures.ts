import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { classifyApiError } from '../../k8s/apiErrors.js';
import { HostFailureType } from '../../contracts/hostFailureTypes.js';

export { HostFailureType, failureTypeForBmhError } from '../../contracts/hostFailureTypes.js';

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
