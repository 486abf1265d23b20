// Names only, free of I/O imports, so that workflow code can match on them.
/**
 * Failure types of the IPAM activities; the workflow matches on `failure.type`. Messages say what
 * failed and what to do.
 */
export const IpamFailureType = {
  /** Every address of the pool is allocated, reserved or on a host. Retryable: addresses get released. */
  AddressPoolExhausted: 'AddressPoolExhausted',
  /** network-cidr / network-ip-range / reserved / DNS / NTP properties are unusable. Not retryable. */
  InvalidNetworkConfig: 'InvalidNetworkConfig',
  /** The BareMetalHost to carry the lease does not exist. Not retryable. */
  HostNotFound: 'HostNotFound',
  /** The Kubernetes API refused or failed a request; retryable unless the request itself was wrong. */
  KubernetesApiError: 'KubernetesApiError',
} as const;
export type IpamFailureType = (typeof IpamFailureType)[keyof typeof IpamFailureType];
