import { PropertyKeys } from '../api/properties/keys.js';
import { parseIpList } from '../api/properties/values.js';
import type { EffectiveProperties } from '../api/resolve/origin.js';
import { ADDRESS_BITS, formatAddress, tryParseAddress } from '../ipam/address.js';
import { parseNetworkCidr, subnetOf } from '../ipam/cidr.js';
import { addressLeaseFor, leaseFor, type Lease } from '../ipam/lease.js';
import { buildPools } from '../ipam/networks.js';
import { items } from '../ipam/ranges.js';
import { freeAddresses } from '../ipam/select.js';

/**
 * Leases for previewing a Machine's data before IPAM has allocated anything (the render command).
 * Throws LeaseInputError for an address or gateway that cannot be used, PoolConfigError for network
 * properties that describe no pool.
 */
export class LeaseInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LeaseInputError';
  }
}

function servers(effective: EffectiveProperties, key: string): string[] {
  const property = effective[key];
  return property ? parseIpList(property.value) : [];
}

/**
 * A lease of `cidr` (`10.0.0.5/24`). The gateway defaults to the host part of the network of the same
 * family in metal3.vcluster.com/network-cidr, else to the subnet's first host address (the DHCP server's default).
 */
export function leaseFromAddress(cidr: string, gateway: string | undefined, effective: EffectiveProperties): Lease {
  const [addressText = '', prefixText = '', ...rest] = cidr.trim().split('/');
  const address = tryParseAddress(addressText);
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (address === undefined || rest.length > 0 || !(prefix >= 0 && prefix < ADDRESS_BITS[address.family])) {
    throw new LeaseInputError(`"${cidr}" is not an address with its prefix length, e.g. 10.0.0.5/24`);
  }
  const lease = {
    address: formatAddress(address),
    prefix,
    dnsServers: servers(effective, PropertyKeys.dnsServers),
    ntpServers: servers(effective, PropertyKeys.ntpServers),
  };
  if (gateway !== undefined) {
    const parsed = tryParseAddress(gateway.trim());
    if (parsed?.family !== address.family) {
      throw new LeaseInputError(`gateway "${gateway}" is not an IPv${address.family} address like ${lease.address}`);
    }
    return { ...lease, gateway: formatAddress(parsed) };
  }
  const networkCidr = effective[PropertyKeys.networkCidr]?.value;
  // A dual-stack network-cidr holds a network of each family: the gateway is the one of the address's.
  const network = items(networkCidr ?? '')
    .map(parseNetworkCidr)
    .find((candidate) => candidate.family === address.family);
  const firstHost = subnetOf(address.family, address.value, prefix).first + 1n;
  const value = network ? network.gateway : firstHost;
  return { ...lease, gateway: formatAddress({ family: address.family, value }) };
}

/**
 * The lease a Machine would get from empty pools: the first address of each (IPv4 and IPv6 for a
 * dual-stack node type). Undefined when neither
 * metal3.vcluster.com/network-cidr nor metal3.vcluster.com/network-ip-range is set (DHCP only).
 */
export function firstPoolLease(effective: EffectiveProperties): Lease | undefined {
  const networkCidr = effective[PropertyKeys.networkCidr]?.value;
  const networkIpRange = effective[PropertyKeys.networkIpRange]?.value;
  if (networkCidr === undefined && networkIpRange === undefined) return undefined;
  const [pool, ipv6Pool] = buildPools({
    networkCidr,
    networkIpRange,
    reservedAddresses: effective[PropertyKeys.reservedAddresses]?.value,
  });
  const [first] = freeAddresses(pool, () => false);
  if (first === undefined) return undefined;
  const lease = leaseFor(
    pool,
    first,
    servers(effective, PropertyKeys.dnsServers),
    servers(effective, PropertyKeys.ntpServers),
  );
  const [firstIpv6] = ipv6Pool ? freeAddresses(ipv6Pool, () => false) : [];
  return ipv6Pool && firstIpv6 !== undefined ? { ...lease, ipv6: addressLeaseFor(ipv6Pool, firstIpv6) } : lease;
}
