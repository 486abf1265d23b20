import type { BareMetalHost } from '../../api/bareMetalHost.js';
import { readHostLease } from '../../api/bareMetalHostLease.js';
import {
  DNS_SERVERS_ANNOTATION,
  GATEWAY_ANNOTATION,
  IP_ADDRESS_ANNOTATION,
  NTP_SERVERS_ANNOTATION,
} from '../../ipam/lease.js';
import { normalizeMac } from '../dhcpv4/dhcpPacket.js';

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
  const unusable = (problem: string): BootHostResult => ({ kind: 'unusable', unusable: { host, mac, problem } });
  const result = readHostLease(annotations);
  if (result.kind === 'no-address' || !annotations[LEASE_ANNOTATIONS.ipAddress]?.trim()) {
    return unusable(
      `annotation ${LEASE_ANNOTATIONS.ipAddress} is missing; set it to the address to lease with its prefix, e.g. 10.0.0.20/24`,
    );
  }
  if (result.kind === 'invalid') {
    return unusable(result.problems.map(({ annotation, message }) => `${annotation}: ${message}`).join('; '));
  }
  const { address, subnetMask, broadcastAddress, gateway, dnsServers, ntpServers } = result.lease;
  return {
    kind: 'boot',
    bootHost: {
      host,
      mac,
      address,
      subnetMask,
      broadcastAddress,
      gateway,
      dnsServers,
      ntpServers,
      provisioningState: bmh.status?.provisioning?.state ?? '',
      hostName: bmh.metadata.name,
    },
  };
}
