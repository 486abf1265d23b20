import { formatAddress, hostMask, tryParseAddress, ADDRESS_BITS } from '../ipam/address.js';
import { formatSubnet, subnetOf } from '../ipam/cidr.js';
import type { AddressLease, Lease } from '../ipam/lease.js';

/** ID of the one link the generated document describes; its networks are `<id>-ipv4` and `<id>-ipv6`. */
export const BOOT_LINK_ID = 'boot-nic';

/** One static network on the boot link, with the default route of its family. */
function staticNetwork(lease: AddressLease): Record<string, unknown> {
  const address = tryParseAddress(lease.address);
  if (address === undefined) throw new Error(`the lease address "${lease.address}" is not an IP address`);
  const { family } = address;
  const allOnes = (1n << BigInt(ADDRESS_BITS[family])) - 1n;
  const netmask = formatAddress({ family, value: allOnes ^ hostMask(family, lease.prefix) });
  const anyAddress = formatAddress({ family, value: 0n });
  return {
    id: `${BOOT_LINK_ID}-ipv${family}`,
    type: `ipv${family}`,
    link: BOOT_LINK_ID,
    ip_address: formatAddress(address),
    netmask,
    routes: [{ network: anyAddress, netmask: anyAddress, gateway: lease.gateway }],
    network_id: formatSubnet(family, subnetOf(family, address.value, lease.prefix), lease.prefix),
  };
}

/**
 * OpenStack network_data.json for a leased address, the document BMO hands to Ironic's config drive
 * and cloud-init (or glean) reads: the boot NIC as a physical link found by its MAC address, a
 * static network on it for each leased address (IPv4, then IPv6 for a dual-stack lease), each with the
 * default route of its family, and the DNS servers of both families as services. Netmasks are in
 * address form for both families (`255.255.255.0`, `ffff:ffff:ffff:ffff::`), as Nova and CAPM3 write
 * them. Keys are in a fixed order so the same lease always gives the same text.
 */
export function generateNetworkData(lease: Lease, macAddress: string): string {
  const document = {
    links: [{ id: BOOT_LINK_ID, type: 'phy', ethernet_mac_address: macAddress.toLowerCase() }],
    networks: [lease, ...(lease.ipv6 ? [lease.ipv6] : [])].map(staticNetwork),
    services: lease.dnsServers.map((server) => ({ type: 'dns', address: server })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
