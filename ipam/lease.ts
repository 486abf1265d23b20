import { formatAddress, tryParseAddress, type IpAddress } from './address.js';
import type { Pool } from './pool.js';

/** BareMetalHost annotations the DHCP server reads to build a host's lease (the spec's names). */
export const IP_ADDRESS_ANNOTATION = 'metal3.vcluster.com/ip-address';
export const GATEWAY_ANNOTATION = 'metal3.vcluster.com/gateway';
export const DNS_SERVERS_ANNOTATION = 'metal3.vcluster.com/dns-servers';
export const NTP_SERVERS_ANNOTATION = 'metal3.vcluster.com/ntp-servers';

export const LEASE_ANNOTATIONS = [
  IP_ADDRESS_ANNOTATION,
  GATEWAY_ANNOTATION,
  DNS_SERVERS_ANNOTATION,
  NTP_SERVERS_ANNOTATION,
] as const;

export interface Lease {
  /** The address, e.g. `10.0.0.5`. */
  address: string;
  prefix: number;
  gateway: string;
  dnsServers: string[];
  ntpServers: string[];
}

export function leaseFor(pool: Pool, address: bigint, dnsServers: string[], ntpServers: string[]): Lease {
  return {
    address: formatAddress({ family: pool.family, value: address }),
    prefix: pool.prefix,
    gateway: formatAddress({ family: pool.family, value: pool.gateway }),
    dnsServers,
    ntpServers,
  };
}

/**
 * The lease as annotation values. Empty server lists map to null (remove the annotation), so that a
 * host never keeps servers from an earlier lease next to a new address.
 */
export function leaseAnnotations(lease: Lease): Record<(typeof LEASE_ANNOTATIONS)[number], string | null> {
  return {
    [IP_ADDRESS_ANNOTATION]: `${lease.address}/${lease.prefix}`,
    [GATEWAY_ANNOTATION]: lease.gateway,
    [DNS_SERVERS_ANNOTATION]: lease.dnsServers.length > 0 ? lease.dnsServers.join(',') : null,
    [NTP_SERVERS_ANNOTATION]: lease.ntpServers.length > 0 ? lease.ntpServers.join(',') : null,
  };
}

/** The address in an `ip-address` annotation (`10.0.0.5/24` or a bare address); undefined if unreadable. */
export function annotatedAddress(value: string | undefined): IpAddress | undefined {
  if (value === undefined) return undefined;
  const [address = ''] = value.trim().split('/');
  return tryParseAddress(address);
}
