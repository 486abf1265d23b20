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

/** One address of a Machine with its network: prefix length and gateway. */
export interface AddressLease {
  /** The address, e.g. `10.0.0.5` or `fd00::5`. */
  address: string;
  prefix: number;
  gateway: string;
}

/**
 * What a Machine was leased. A dual-stack Machine's lease is its IPv4 address, with the IPv6 one in
 * `ipv6`; a single-family lease has no `ipv6`, whatever its family. The servers are those of the
 * node type, of either family.
 */
export interface Lease extends AddressLease {
  dnsServers: string[];
  ntpServers: string[];
  /** The IPv6 address of a dual-stack Machine (absent in leases recorded before dual-stack existed). */
  ipv6?: AddressLease | undefined;
}

export function addressLeaseFor(pool: Pool, address: bigint): AddressLease {
  return {
    address: formatAddress({ family: pool.family, value: address }),
    prefix: pool.prefix,
    gateway: formatAddress({ family: pool.family, value: pool.gateway }),
  };
}

export function leaseFor(pool: Pool, address: bigint, dnsServers: string[], ntpServers: string[]): Lease {
  return { ...addressLeaseFor(pool, address), dnsServers, ntpServers };
}

/** The servers of the lease address's family: a DHCPv4 lease can only hand out IPv4 servers. */
function sameFamily(lease: Lease, servers: string[]): string[] {
  const family = tryParseAddress(lease.address)?.family;
  return servers.filter((server) => tryParseAddress(server)?.family === family);
}

/**
 * The lease as annotation values, which the DHCP server reads: the primary (for dual-stack, the IPv4)
 * address, and only the servers of its family. Empty server lists map to null (remove the
 * annotation), so that a host never keeps servers from an earlier lease next to a new address.
 */
export function leaseAnnotations(lease: Lease): Record<(typeof LEASE_ANNOTATIONS)[number], string | null> {
  const dnsServers = sameFamily(lease, lease.dnsServers);
  const ntpServers = sameFamily(lease, lease.ntpServers);
  return {
    [IP_ADDRESS_ANNOTATION]: `${lease.address}/${lease.prefix}`,
    [GATEWAY_ANNOTATION]: lease.gateway,
    [DNS_SERVERS_ANNOTATION]: dnsServers.length > 0 ? dnsServers.join(',') : null,
    [NTP_SERVERS_ANNOTATION]: ntpServers.length > 0 ? ntpServers.join(',') : null,
  };
}

/** The address in an `ip-address` annotation (`10.0.0.5/24` or a bare address); undefined if unreadable. */
export function annotatedAddress(value: string | undefined): IpAddress | undefined {
  if (value === undefined) return undefined;
  const [address = ''] = value.trim().split('/');
  return tryParseAddress(address);
}
