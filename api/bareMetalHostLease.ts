import { Address4 } from 'ip-address';
import {
  DNS_SERVERS_ANNOTATION,
  GATEWAY_ANNOTATION,
  IP_ADDRESS_ANNOTATION,
  NTP_SERVERS_ANNOTATION,
} from '../ipam/lease.js';

/**
 * The spec's per-BareMetalHost DHCP annotations, read by one set of rules for both the DHCP server
 * (which answers a host only when they hold) and `validate` (which refuses a host document whose
 * annotations the DHCP server could not use).
 */

/** The lease the DHCP server hands a host, from its annotations. */
export interface HostLease {
  readonly address: string;
  readonly prefix: number;
  readonly subnetMask: string;
  readonly broadcastAddress: string;
  readonly gateway: string;
  readonly dnsServers: string[];
  readonly ntpServers: string[];
}

/** What is wrong with one annotation, in words that name neither the host nor the annotation. */
export interface AnnotationProblem {
  readonly annotation: string;
  readonly message: string;
}

export type HostLeaseResult =
  | { readonly kind: 'lease'; readonly lease: HostLease }
  | { readonly kind: 'no-address' }
  | { readonly kind: 'invalid'; readonly problems: readonly AnnotationProblem[] };

const isIPv4 = (text: string): boolean => Address4.isValid(text) && !text.includes('/');

function prefixToMask(prefix: number): string {
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (mask >>> shift) & 0xff).join('.');
}

/** A comma-separated list of IPv4 addresses: a DHCPv4 answer carries no other kind. */
function addressList(annotation: string, value: string | undefined, problems: AnnotationProblem[]): string[] {
  if (value === undefined || value.trim() === '') return [];
  const addresses = value.split(',').map((part) => part.trim());
  addresses.forEach((address, index) => {
    const message =
      address === ''
        ? `item ${index + 1} of "${value}" is empty`
        : isIPv4(address)
          ? undefined
          : `"${address}" is not an IPv4 address; write comma-separated IPv4 addresses, e.g. 10.0.0.53,10.0.0.54`;
    if (message !== undefined) problems.push({ annotation, message });
  });
  return addresses;
}

/**
 * Reads the lease annotations. `no-address` when `ip-address` is not set (the other annotations are
 * still checked: a host may be given them before its address); `invalid` names each annotation at fault.
 */
export function readHostLease(annotations: Readonly<Record<string, string>> = {}): HostLeaseResult {
  const problems: AnnotationProblem[] = [];
  const dnsServers = addressList(DNS_SERVERS_ANNOTATION, annotations[DNS_SERVERS_ANNOTATION], problems);
  const ntpServers = addressList(NTP_SERVERS_ANNOTATION, annotations[NTP_SERVERS_ANNOTATION], problems);
  const gatewayText = annotations[GATEWAY_ANNOTATION]?.trim() || undefined;
  if (gatewayText !== undefined && !isIPv4(gatewayText)) {
    problems.push({ annotation: GATEWAY_ANNOTATION, message: `"${gatewayText}" is not an IPv4 address` });
  }
  const cidr = annotations[IP_ADDRESS_ANNOTATION]?.trim() ?? '';
  if (cidr === '') return problems.length > 0 ? { kind: 'invalid', problems } : { kind: 'no-address' };

  const invalid = (message: string): HostLeaseResult => ({
    kind: 'invalid',
    problems: [...problems, { annotation: IP_ADDRESS_ANNOTATION, message }],
  });
  if (!cidr.includes('/') || !Address4.isValid(cidr)) {
    return invalid(`"${cidr}" is not an IPv4 address with prefix; write e.g. 10.0.0.20/24`);
  }
  const network = new Address4(cidr);
  const prefix = network.subnetMask;
  if (prefix < 1 || prefix > 30) return invalid(`"${cidr}" needs a prefix length from 1 to 30`);
  const address = network.addressMinusSuffix;
  const [first, last] = [network.startAddress(), network.endAddress()];
  if (address === first.correctForm() || address === last.correctForm()) {
    const which = address === first.correctForm() ? 'network' : 'broadcast';
    return invalid(`"${cidr}" is the ${which} address of its subnet, not a host address`);
  }
  const defaultGateway = Address4.fromBigInt(first.bigInt() + 1n).correctForm();
  const gateway = gatewayText ?? defaultGateway;
  if (gatewayText !== undefined && isIPv4(gatewayText)) {
    const value = new Address4(gatewayText).bigInt();
    if (value <= first.bigInt() || value >= last.bigInt()) {
      problems.push({
        annotation: GATEWAY_ANNOTATION,
        message: `"${gatewayText}" is not a host address of the subnet of ${IP_ADDRESS_ANNOTATION} "${cidr}"`,
      });
    } else if (gatewayText === address) {
      problems.push({ annotation: GATEWAY_ANNOTATION, message: `"${gatewayText}" is the host's own address` });
    }
  } else if (gatewayText === undefined && gateway === address) {
    problems.push({
      annotation: GATEWAY_ANNOTATION,
      message: `is not set, and its default (the first host address of ${cidr}) is the host's own address; set it`,
    });
  }
  if (problems.length > 0) return { kind: 'invalid', problems };
  return {
    kind: 'lease',
    lease: {
      address,
      prefix,
      subnetMask: prefixToMask(prefix),
      broadcastAddress: last.correctForm(),
      gateway,
      dnsServers,
      ntpServers,
    },
  };
}
