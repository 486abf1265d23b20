/**
 * A pool definition (network CIDR, IP ranges, reserved addresses) that cannot be used.
 * `property` names the configuration key the bad value came from, so callers can point the user at it.
 */
export class PoolConfigError extends Error {
  override readonly name = 'PoolConfigError';

  constructor(
    readonly property: PoolProperty,
    /** What is wrong, without the property's name. */
    readonly reason: string,
  ) {
    super(`${property}: ${reason}`);
  }
}

export type PoolProperty =
  | 'metal3.vcluster.com/network-cidr'
  | 'metal3.vcluster.com/network-ip-range'
  | 'metal3-provider.io/reserved-addresses'
  | 'metal3.vcluster.com/dns-servers'
  | 'metal3-provider.io/ntp-servers';

export const NETWORK_CIDR_PROPERTY = 'metal3.vcluster.com/network-cidr' satisfies PoolProperty;
export const NETWORK_IP_RANGE_PROPERTY = 'metal3.vcluster.com/network-ip-range' satisfies PoolProperty;
export const RESERVED_ADDRESSES_PROPERTY = 'metal3-provider.io/reserved-addresses' satisfies PoolProperty;
export const DNS_SERVERS_PROPERTY = 'metal3.vcluster.com/dns-servers' satisfies PoolProperty;
export const NTP_SERVERS_PROPERTY = 'metal3-provider.io/ntp-servers' satisfies PoolProperty;
