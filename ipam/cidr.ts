import { ADDRESS_BITS, formatAddress, hostMask, tryParseAddress, type IpFamily } from './address.js';
import { NETWORK_CIDR_PROPERTY, PoolConfigError } from './errors.js';
import type { Interval } from './intervals.js';

/** `metal3.vcluster.com/network-cidr`: the host part of the CIDR is the gateway (`10.0.0.1/24`). */
export interface NetworkCidr {
  family: IpFamily;
  prefix: number;
  gateway: bigint;
  /** Every address of the subnet, network and broadcast included. */
  subnet: Interval;
  /** Addresses a host may use: the subnet without its network and broadcast addresses. */
  hosts: Interval;
}

/**
 * The subnet's usable host addresses:
 * - IPv4 up to /30: without the network and broadcast addresses;
 * - IPv4 /31 (RFC 3021) and IPv6 /127 (RFC 6164): point-to-point, both addresses are hosts;
 * - IPv6 up to /126: without the Subnet-Router anycast address (all-zero host part, RFC 4291); IPv6
 *   has no broadcast.
 * /32 and /128 hold a single address and are rejected by the caller before this is reached.
 */
export function hostAddresses(family: IpFamily, subnet: Interval): Interval {
  const pointToPoint = subnet.last - subnet.first === 1n;
  if (pointToPoint) return subnet;
  return { first: subnet.first + 1n, last: family === 4 ? subnet.last - 1n : subnet.last };
}

export function subnetOf(family: IpFamily, value: bigint, prefix: number): Interval {
  const mask = hostMask(family, prefix);
  const first = value & ~mask;
  return { first, last: first | mask };
}

export function formatSubnet(family: IpFamily, subnet: Interval, prefix: number): string {
  return `${formatAddress({ family, value: subnet.first })}/${prefix}`;
}

export function parseNetworkCidr(text: string): NetworkCidr {
  const trimmed = text.trim();
  const [addressText = '', prefixText, ...rest] = trimmed.split('/');
  const example = 'write the gateway address with the prefix length, e.g. 10.0.0.1/24';
  const address = tryParseAddress(addressText);
  if (!address || rest.length > 0) {
    throw new PoolConfigError(NETWORK_CIDR_PROPERTY, `"${text}" is not a CIDR; ${example}`);
  }
  if (prefixText === undefined) {
    throw new PoolConfigError(NETWORK_CIDR_PROPERTY, `"${text}" has no prefix length; ${example}`);
  }
  const bits = ADDRESS_BITS[address.family];
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= bits)) {
    throw new PoolConfigError(
      NETWORK_CIDR_PROPERTY,
      `"${text}" has an invalid prefix length; IPv${address.family} prefixes are 0 to ${bits}`,
    );
  }
  if (prefix === bits) {
    throw new PoolConfigError(
      NETWORK_CIDR_PROPERTY,
      `"${text}" leaves no address to allocate: a /${bits} holds only the gateway itself; use a wider prefix ` +
        `(a /${bits - 1} is a point-to-point link with one address besides the gateway)`,
    );
  }
  const subnet = subnetOf(address.family, address.value, prefix);
  const hosts = hostAddresses(address.family, subnet);
  const subnetText = formatSubnet(address.family, subnet, prefix);
  if (address.value < hosts.first) {
    throw new PoolConfigError(
      NETWORK_CIDR_PROPERTY,
      `"${text}" names the network address of ${subnetText} as the gateway; the host part must be the gateway, ` +
        `e.g. ${formatAddress({ family: address.family, value: hosts.first })}/${prefix}`,
    );
  }
  if (address.value > hosts.last) {
    throw new PoolConfigError(
      NETWORK_CIDR_PROPERTY,
      `"${text}" names the broadcast address of ${subnetText} as the gateway; the host part must be the gateway, ` +
        `e.g. ${formatAddress({ family: address.family, value: hosts.first })}/${prefix}`,
    );
  }
  return { family: address.family, prefix, gateway: address.value, subnet, hosts };
}
