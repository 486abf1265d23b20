import type { IpFamily } from './address.js';
import { parseNetworkCidr } from './cidr.js';
import {
  NETWORK_CIDR_PROPERTY,
  NETWORK_IP_RANGE_PROPERTY,
  PoolConfigError,
  RESERVED_ADDRESSES_PROPERTY,
  type PoolProperty,
} from './errors.js';
import { buildPool, type Pool, type PoolSource } from './pool.js';
import { items, parseRangeItem } from './ranges.js';

/**
 * Dual-stack networks. A node type carries at most one IPv4 and one IPv6 network with the spec's own
 * keys, the way Kubernetes writes dual-stack CIDRs (`--service-cluster-ip-range=10.0.0.0/16,fd00::/108`):
 * `network-cidr` holds one CIDR or a comma-separated IPv4,IPv6 pair; `network-ip-range` and
 * `reserved-addresses`, already comma-separated lists, may hold items of both families, each of which
 * belongs to the network of its family. A value of one family is exactly what it always was, one pool.
 */

const PAIR_EXAMPLE = 'e.g. 10.0.0.1/24,fd00::1/64';

/** The family of each item, checked by the item's own parser so a bad item gets its usual message. */
function cidrFamilies(text: string): Map<IpFamily, string> {
  const cidrs = items(text);
  if (cidrs.length > 2) {
    throw new PoolConfigError(
      NETWORK_CIDR_PROPERTY,
      `"${text}" names ${cidrs.length} networks; write one network, or one IPv4 and one IPv6 network, ${PAIR_EXAMPLE}`,
    );
  }
  const byFamily = new Map<IpFamily, string>();
  for (const cidr of cidrs) {
    const { family } = parseNetworkCidr(cidr);
    if (byFamily.has(family)) {
      throw new PoolConfigError(
        NETWORK_CIDR_PROPERTY,
        `"${text}" names two IPv${family} networks; a node type has at most one network of each family, ${PAIR_EXAMPLE}`,
      );
    }
    byFamily.set(family, cidr);
  }
  return byFamily;
}

function itemsByFamily(property: PoolProperty, text: string | undefined, single: boolean): Map<IpFamily, string[]> {
  const byFamily = new Map<IpFamily, string[]>();
  for (const item of items(text ?? '')) {
    const { family } = parseRangeItem(property, item, single);
    byFamily.set(family, [...(byFamily.get(family) ?? []), item]);
  }
  return byFamily;
}

function requireNetworkOf(
  property: PoolProperty,
  byFamily: Map<IpFamily, string[]>,
  families: ReadonlySet<IpFamily>,
  networks: string,
): void {
  for (const [family, list] of byFamily) {
    if (!families.has(family)) {
      throw new PoolConfigError(
        property,
        `${list.join(',')} ${list.length === 1 ? 'is' : 'are'} IPv${family}, but ${networks} has no IPv${family} ` +
          `network; add one (${PAIR_EXAMPLE}) or remove ${list.length === 1 ? 'it' : 'them'}`,
      );
    }
  }
}

/**
 * The network properties split into one PoolSource per address family, IPv4 first. A source of one
 * family comes back as it is, so its pool (and the pool id its allocations carry) is unchanged.
 * With network-cidr set its networks are the families; else those of network-ip-range. Throws
 * PoolConfigError naming the property at fault.
 */
export function splitByFamily(source: PoolSource): [PoolSource, ...PoolSource[]] {
  const cidrs = cidrFamilies(source.networkCidr ?? '');
  const ranges = itemsByFamily(NETWORK_IP_RANGE_PROPERTY, source.networkIpRange, false);
  const reserved = itemsByFamily(RESERVED_ADDRESSES_PROPERTY, source.reservedAddresses, true);
  const networksFrom = cidrs.size > 0 ? NETWORK_CIDR_PROPERTY : NETWORK_IP_RANGE_PROPERTY;
  const families = new Set<IpFamily>(cidrs.size > 0 ? cidrs.keys() : ranges.keys());
  if (families.size > 0) {
    requireNetworkOf(NETWORK_IP_RANGE_PROPERTY, ranges, families, networksFrom);
    requireNetworkOf(RESERVED_ADDRESSES_PROPERTY, reserved, families, networksFrom);
  }
  if (families.size < 2) return [source];
  const part = (family: IpFamily): PoolSource => {
    const cidr = cidrs.get(family);
    const familyRanges = ranges.get(family);
    const familyReserved = reserved.get(family);
    return {
      ...(cidr !== undefined && { networkCidr: cidr }),
      ...(familyRanges && { networkIpRange: familyRanges.join(',') }),
      ...(familyReserved && { reservedAddresses: familyReserved.join(',') }),
    };
  };
  return [part(4), part(6)];
}

/** One pool per network: one for a single-family node type, IPv4 then IPv6 for a dual-stack one. */
export function buildPools(source: PoolSource): [Pool, ...Pool[]] {
  const [first, ...rest] = splitByFamily(source);
  return [buildPool(first), ...rest.map(buildPool)];
}
