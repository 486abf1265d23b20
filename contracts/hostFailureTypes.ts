// Names only, free of I/O imports, so that workflow code can match on them.
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
