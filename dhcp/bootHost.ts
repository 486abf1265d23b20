import { Address4 } from 'ip-address';
import type { BareMetalHost } from '../api/bareMetalHost.js';
import {
  DNS_SERVERS_ANNOTATION,
  GATEWAY_ANNOTATION,
  IP_ADDRESS_ANNOTATION,
  NTP_SERVERS_ANNOTATION,
} from '../ipam/lease.js';
import { normalizeMac } from './dhcpPacket.js';

/** The spec's per-BareMetalHost DHCP annotations, as IPAM writes them. */
export const LEASE_ANNOTATIONS = {
  ipAddress: IP_ADDRESS_ANNOTATION,
  gateway: GATEWAY_ANNOTATION,
  dnsServers: DNS_SERVERS_ANNOTATION,
  ntpServers: NTP_SERVERS_ANNOTATION,
} as const;

/** Everything the boot servers need to know about one BareMetalHost, keyed by its boot MAC. */
export interface BootHost {
  /** `namespace/name` of the BareMetalHost, for logs. */
  host: string;
  /** Boot MAC, lower case with colons. */
  mac: string;
  address: string;
  subnetMask: string;
  broadcastAddress: string;
  gateway: string;
  dnsServers: string[];
  ntpServers: string[];
  /** status.provisioning.state; chooses the iPXE script. */
  provisioningState: string;
  /** Sent as option 12 so the booted agent has a name. */
  hostName: string;
}

/** A BareMetalHost that has a boot MAC but cannot be answered, and why. */
export interface UnusableHost {
  host: string;
  mac: string;
  problem: string;
}

export type BootHostResult =
  { kind: 'boot'; bootHost: BootHost } | { kind: 'unusable'; unusable: UnusableHost } | { kind: 'no-boot-mac' };

function prefixToMask(prefix: number): string {
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (mask >>> shift) & 0xff).join('.');
}

function parseAddressList(value: string | undefined, annotation: string, problems: string[]): string[] {
  if (value === undefined || value.trim() === '') return [];
  const addresses = value.split(',').map((part) => part.trim());
  for (const address of addresses) {
    if (!Address4.isValid(address) || address.includes('/'))
      problems.push(`${annotation}: "${address}" is not an IPv4 address`);
  }
  return addresses;
}

/**
 * Builds the lease of a BareMetalHost from its annotations. A host without a boot MAC is not a
 * boot host at all; a host with one but without a usable `ip-address` is unusable, with the reason.
 */
export function bootHostFromBareMetalHost(bmh: BareMetalHost): BootHostResult {
  const host = `${bmh.metadata.namespace ?? ''}/${bmh.metadata.name}`;
  const rawMac = bmh.spec.bootMACAddress;
  if (rawMac === undefined || rawMac === '') return { kind: 'no-boot-mac' };
  const mac = normalizeMac(rawMac);
  if (!mac)
    return {
      kind: 'unusable',
      unusable: { host, mac: rawMac, problem: `spec.bootMACAddress "${rawMac}" is not a MAC address` },
    };

  const annotations = bmh.metadata.annotations ?? {};
  const cidr = annotations[LEASE_ANNOTATIONS.ipAddress];
  const unusable = (problem: string): BootHostResult => ({ kind: 'unusable', unusable: { host, mac, problem } });
  if (cidr === undefined || cidr.trim() === '') {
    return unusable(
      `annotation ${LEASE_ANNOTATIONS.ipAddress} is missing; set it to the address to lease with its prefix, e.g. 10.0.0.20/24`,
    );
  }
  if (!Address4.isValid(cidr.trim()) || !cidr.includes('/')) {
    return unusable(
      `annotation ${LEASE_ANNOTATIONS.ipAddress} is "${cidr}", expected an IPv4 address with prefix such as 10.0.0.20/24`,
    );
  }
  const network = new Address4(cidr.trim());
  const prefix = network.subnetMask;
  if (prefix < 1 || prefix > 30)
    return unusable(`annotation ${LEASE_ANNOTATIONS.ipAddress} "${cidr}" needs a prefix between /1 and /30`);
  const address = network.addressMinusSuffix;
  const problems: string[] = [];
  const gatewayAnnotation = annotations[LEASE_ANNOTATIONS.gateway]?.trim();
  let gateway = Address4.fromBigInt(network.startAddress().bigInt() + 1n).correctForm();
  if (gatewayAnnotation) {
    if (!Address4.isValid(gatewayAnnotation) || gatewayAnnotation.includes('/'))
      problems.push(`${LEASE_ANNOTATIONS.gateway}: "${gatewayAnnotation}" is not an IPv4 address`);
    gateway = gatewayAnnotation;
  } else if (gateway === address) {
    problems.push(
      `the default gateway (first host address of ${cidr}) is the host's own address; set ${LEASE_ANNOTATIONS.gateway}`,
    );
  }
  const dnsServers = parseAddressList(
    annotations[LEASE_ANNOTATIONS.dnsServers],
    LEASE_ANNOTATIONS.dnsServers,
    problems,
  );
  const ntpServers = parseAddressList(
    annotations[LEASE_ANNOTATIONS.ntpServers],
    LEASE_ANNOTATIONS.ntpServers,
    problems,
  );
  if (problems.length > 0) return unusable(problems.join('; '));

  return {
    kind: 'boot',
    bootHost: {
      host,
      mac,
      address,
      subnetMask: prefixToMask(prefix),
      broadcastAddress: network.endAddress().correctForm(),
      gateway,
      dnsServers,
      ntpServers,
      provisioningState: bmh.status?.provisioning?.state ?? '',
      hostName: bmh.metadata.name,
    },
  };
}
