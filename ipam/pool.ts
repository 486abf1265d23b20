import { createHash } from 'node:crypto';
import { ADDRESS_BITS, formatAddress, type IpFamily } from './address.js';
import { formatSubnet, hostAddresses, parseNetworkCidr, subnetOf } from './cidr.js';
import {
  NETWORK_CIDR_PROPERTY,
  NETWORK_IP_RANGE_PROPERTY,
  PoolConfigError,
  RESERVED_ADDRESSES_PROPERTY,
} from './errors.js';
import { clip, contains, subtract, totalSize, type Interval } from './intervals.js';
import { formatRange, parseAddressesAndRanges, parseIpRanges, type IpRange } from './ranges.js';

/** The properties a pool is built from, as the user wrote them. */
export interface PoolSource {
  networkCidr?: string | undefined;
  networkIpRange?: string | undefined;
  reservedAddresses?: string | undefined;
}

export interface Pool {
  /** Short stable name derived from the network definition (CIDR and ranges, not reservations). */
  id: string;
  /** Human-readable definition, e.g. `10.0.0.1/24 range 10.0.0.20-10.0.0.30`. */
  description: string;
  family: IpFamily;
  /** Prefix length of the subnet leased addresses belong to. */
  prefix: number;
  gateway: bigint;
  /** Allocatable addresses: sorted, disjoint, without gateway, network, broadcast and reserved addresses. */
  intervals: Interval[];
  /** Number of allocatable addresses. */
  size: bigint;
}

/**
 * When only ranges are given, leased addresses still need a prefix and the DHCP server a gateway.
 * The subnet is the smallest one holding every range, but never narrower than a /24 (IPv4) or /64
 * (IPv6), the sizes such networks have in practice; its gateway is its first host address, which is
 * what the DHCP server assumes for a lease without a gateway annotation, so it is never handed out.
 */
const RANGES_ONLY_MAX_PREFIX: Record<IpFamily, number> = { 4: 24, 6: 64 };

function commonPrefixLength(family: IpFamily, a: bigint, b: bigint): number {
  const differing = a ^ b;
  return ADDRESS_BITS[family] - (differing === 0n ? 0 : differing.toString(2).length);
}

interface Network {
  family: IpFamily;
  prefix: number;
  gateway: bigint;
  subnet: Interval;
  hosts: Interval;
}

function networkFromRanges(ranges: readonly IpRange[]): Network {
  const [first] = ranges;
  const last = ranges[ranges.length - 1];
  if (!first || !last) throw new PoolConfigError(NETWORK_IP_RANGE_PROPERTY, 'is empty');
  const family = first.family;
  const prefix = Math.min(commonPrefixLength(family, first.first, last.last), RANGES_ONLY_MAX_PREFIX[family]);
  const subnet = subnetOf(family, first.first, prefix);
  const hosts = hostAddresses(family, subnet);
  return { family, prefix, gateway: hosts.first, subnet, hosts };
}

function requireInside(network: Network, ranges: readonly IpRange[], cidrText: string): void {
  for (const range of ranges) {
    if (
      range.family !== network.family ||
      !contains(network.subnet, range.first) ||
      !contains(network.subnet, range.last)
    ) {
      throw new PoolConfigError(
        NETWORK_IP_RANGE_PROPERTY,
        `${formatRange(range)} is outside ${formatSubnet(network.family, network.subnet, network.prefix)} ` +
          `(from network-cidr ${cidrText}); every range must lie inside the network`,
      );
    }
  }
}

function poolId(network: Network, ranges: readonly IpRange[] | undefined): string {
  const definition = [
    `${formatAddress({ family: network.family, value: network.gateway })}/${network.prefix}`,
    ...(ranges ?? []).map(formatRange),
  ].join(',');
  return `pool-${createHash('sha256').update(definition).digest('hex').slice(0, 10)}`;
}

function describe(network: Network, cidrGiven: boolean, ranges: readonly IpRange[] | undefined): string {
  const cidr = `${formatAddress({ family: network.family, value: network.gateway })}/${network.prefix}`;
  const rangeText = ranges ? `range ${ranges.map(formatRange).join(',')}` : '';
  return cidrGiven ? [cidr, rangeText].filter(Boolean).join(' ') : `${rangeText} (network ${cidr})`;
}

/**
 * Builds the pool a Machine's address comes from. `network-cidr` alone: the subnet's hosts without the
 * gateway. `network-ip-range` alone: the ranges, in the subnet described at RANGES_ONLY_MAX_PREFIX.
 * Both: the ranges, which must lie inside the CIDR, whose host part is the gateway. Reserved addresses
 * are left out in every case. Throws PoolConfigError naming the property at fault.
 */
export function buildPool(source: PoolSource): Pool {
  const cidrText = source.networkCidr?.trim() || undefined;
  const rangeText = source.networkIpRange?.trim() || undefined;
  if (!cidrText && !rangeText) {
    throw new PoolConfigError(
      NETWORK_CIDR_PROPERTY,
      'neither metal3.vcluster.com/network-cidr nor metal3.vcluster.com/network-ip-range is set; set one of them',
    );
  }
  const ranges = rangeText ? parseIpRanges(rangeText) : undefined;
  const network = cidrText ? parseNetworkCidr(cidrText) : networkFromRanges(ranges ?? []);
  if (cidrText && ranges) requireInside(network, ranges, cidrText);

  const reserved = source.reservedAddresses?.trim()
    ? parseAddressesAndRanges(RESERVED_ADDRESSES_PROPERTY, source.reservedAddresses)
    : [];
  const subnetText = formatSubnet(network.family, network.subnet, network.prefix);
  for (const range of reserved) {
    if (
      range.family !== network.family ||
      !contains(network.subnet, range.first) ||
      !contains(network.subnet, range.last)
    ) {
      throw new PoolConfigError(
        RESERVED_ADDRESSES_PROPERTY,
        `${formatRange(range)} is outside the pool's network ${subnetText}`,
      );
    }
  }

  const candidates = clip(ranges ?? [network.hosts], network.hosts);
  const intervals = subtract(candidates, [{ first: network.gateway, last: network.gateway }, ...reserved]);
  const size = totalSize(intervals);
  const description = describe(network, cidrText !== undefined, ranges);
  if (size === 0n) {
    throw new PoolConfigError(
      ranges ? NETWORK_IP_RANGE_PROPERTY : NETWORK_CIDR_PROPERTY,
      `${description} leaves no address to allocate once the gateway, network, broadcast and reserved addresses are left out`,
    );
  }
  return {
    id: poolId(network, ranges),
    description,
    family: network.family,
    prefix: network.prefix,
    gateway: network.gateway,
    intervals,
    size,
  };
}
