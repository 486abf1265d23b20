import { Address6 } from 'ip-address';
import { formatAddress, tryParseAddress, type IpFamily } from '../../ipam/address.js';
import { parseNetworkCidr as parseIpamNetworkCidr } from '../../ipam/cidr.js';
import { PoolConfigError } from '../../ipam/errors.js';

/**
 * Parsers for the typed property values of the catalogue. Each returns the parsed value or throws a
 * PropertyValueError whose message says what is wrong with the text and how a valid one looks; the
 * same parsers serve validation (at `validate` time) and use (IPAM, rendering, deadlines).
 */

export class PropertyValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PropertyValueError';
  }
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** An IPv4 address as an unsigned 32-bit integer. */
export function parseIPv4(text: string): number {
  const octets = IPV4.exec(text)?.slice(1).map(Number);
  if (!octets || octets.some((o) => o > 255)) {
    throw new PropertyValueError(`${JSON.stringify(text)} is not an IPv4 address`);
  }
  return octets.reduce((acc, o) => acc * 256 + o, 0);
}

export function formatIPv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** An IPv4 or IPv6 address, returned in the form it was written. */
export function parseIpAddress(text: string): string {
  if (IPV4.test(text)) return formatIPv4(parseIPv4(text));
  if (!text.includes('/') && Address6.isValid(text)) return text;
  throw new PropertyValueError(`${JSON.stringify(text)} is not an IP address`);
}

function splitList(text: string): string[] {
  return text.split(',').map((item) => item.trim());
}

/** `8.8.8.8,8.8.4.4` → the addresses; an empty item (`a,,b`) is an error. */
export function parseIpList(text: string): string[] {
  return splitList(text).map((item, index) => {
    if (item === '') throw new PropertyValueError(`item ${index + 1} of ${JSON.stringify(text)} is empty`);
    return parseIpAddress(item);
  });
}

/**
 * One network of metal3.vcluster.com/network-cidr: a subnet whose host part is the gateway
 * (`10.0.0.1/24`, `fd00::1/64`).
 */
export interface NetworkCidr {
  readonly family: IpFamily;
  readonly gateway: string;
  readonly prefixLength: number;
  /** First and last address of the subnet (for IPv4, the network and broadcast addresses). */
  readonly network: string;
  readonly last: string;
}

const CIDR_EXAMPLE = 'e.g. "10.0.0.1/24"';

function parseIpv4NetworkCidr(text: string, address: string, prefix: string): NetworkCidr {
  const gateway = parseIPv4(address);
  const prefixLength = Number(prefix);
  if (prefixLength > 30) {
    throw new PropertyValueError(`${JSON.stringify(text)} leaves no room for hosts; use a prefix length of 30 or less`);
  }
  const size = 2 ** (32 - prefixLength);
  const network = gateway - (gateway % size);
  const broadcast = network + size - 1;
  const example = `"${formatIPv4(network + 1)}/${prefixLength}"`;
  if (gateway === network) {
    throw new PropertyValueError(
      `${JSON.stringify(text)} names the network address; the host part must be the gateway, e.g. ${example}`,
    );
  }
  if (gateway === broadcast) {
    throw new PropertyValueError(
      `${JSON.stringify(text)} names the broadcast address; the host part must be the gateway, e.g. ${example}`,
    );
  }
  return {
    family: 4,
    gateway: formatIPv4(gateway),
    prefixLength,
    network: formatIPv4(network),
    last: formatIPv4(broadcast),
  };
}

/** IPv6 follows IPAM's own rules (no broadcast; the all-zero host part is not a host). */
function parseIpv6NetworkCidr(text: string): NetworkCidr {
  try {
    const cidr = parseIpamNetworkCidr(text);
    const address = (value: bigint) => formatAddress({ family: 6, value });
    return {
      family: 6,
      gateway: address(cidr.gateway),
      prefixLength: cidr.prefix,
      network: address(cidr.subnet.first),
      last: address(cidr.subnet.last),
    };
  } catch (error) {
    if (error instanceof PoolConfigError) throw new PropertyValueError(error.reason);
    throw error;
  }
}

/** One network in CIDR notation, IPv4 or IPv6, whose host part is the gateway. */
function parseOneNetworkCidr(text: string): NetworkCidr {
  const [address = '', prefix, ...rest] = text.split('/');
  if (address.includes(':') && prefix !== undefined) return parseIpv6NetworkCidr(text);
  if (prefix === undefined || rest.length > 0 || !/^\d{1,2}$/.test(prefix) || Number(prefix) > 32) {
    throw new PropertyValueError(
      `${JSON.stringify(text)} is not in CIDR notation; write the gateway and the prefix length, ${CIDR_EXAMPLE}`,
    );
  }
  return parseIpv4NetworkCidr(text, address, prefix);
}

/**
 * metal3.vcluster.com/network-cidr: one network, or for a dual-stack node type an IPv4 and an IPv6
 * network separated by a comma (`10.0.0.1/24,fd00::1/64`), as Kubernetes writes dual-stack CIDRs.
 */
export function parseNetworkCidr(text: string): NetworkCidr[] {
  const items = splitList(text);
  if (items.length > 2) {
    throw new PropertyValueError(
      `${JSON.stringify(text)} names ${items.length} networks; write one network, or an IPv4 and an IPv6 network, e.g. "10.0.0.1/24,fd00::1/64"`,
    );
  }
  const networks = items.map(parseOneNetworkCidr);
  const [first, second] = networks;
  if (first && second && first.family === second.family) {
    throw new PropertyValueError(
      `${JSON.stringify(text)} names two IPv${first.family} networks; a dual-stack value is one IPv4 and one IPv6 network, e.g. "10.0.0.1/24,fd00::1/64"`,
    );
  }
  return networks;
}

export interface IpRange {
  readonly start: string;
  readonly end: string;
}

/** The bounds of a range item as numbers of one family; the messages are those of IPv4's parser. */
function rangeBounds(item: string, start: string, end: string): { family: IpFamily; low: bigint; high: bigint } {
  if (start.includes(':') || end.includes(':')) {
    const [low, high] = [start, end].map(tryParseAddress);
    if (low?.family === 6 && high?.family === 6) return { family: 6, low: low.value, high: high.value };
    const bad = low?.family === 6 ? end : start;
    if (tryParseAddress(bad) === undefined) throw new PropertyValueError(`${JSON.stringify(bad)} is not an IP address`);
    throw new PropertyValueError(`range ${JSON.stringify(item)} mixes an IPv4 and an IPv6 address`);
  }
  return { family: 4, low: BigInt(parseIPv4(start)), high: BigInt(parseIPv4(end)) };
}

/**
 * `10.0.0.20-10.0.0.30,10.0.0.40-10.0.0.50`: ranges, each start ≤ end, none overlapping. A dual-stack
 * node type lists the ranges of both families in one value; each belongs to the network of its family.
 */
export function parseIpRanges(text: string): IpRange[] {
  const ranges = splitList(text).map((item) => {
    const [start = '', end, ...rest] = item.split('-').map((part) => part.trim());
    if (end === undefined || rest.length > 0) {
      throw new PropertyValueError(
        `${JSON.stringify(item)} is not a range; write FIRST-LAST, e.g. "10.0.0.20-10.0.0.30"`,
      );
    }
    const bounds = rangeBounds(item, start, end);
    if (bounds.low > bounds.high) throw new PropertyValueError(`range ${JSON.stringify(item)} ends before it starts`);
    return { item, ...bounds };
  });
  const sorted = [...ranges].sort((a, b) => a.family - b.family || (a.low < b.low ? -1 : a.low > b.low ? 1 : 0));
  sorted.forEach((range, index) => {
    const next = sorted[index + 1];
    if (next && next.family === range.family && next.low <= range.high) {
      throw new PropertyValueError(`ranges ${JSON.stringify(range.item)} and ${JSON.stringify(next.item)} overlap`);
    }
  });
  return ranges.map(({ family, low, high }) => ({
    start: formatAddress({ family, value: low }),
    end: formatAddress({ family, value: high }),
  }));
}

const DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** A positive Go-style duration (`60m`, `1h30m`, `90s`, `1.5h`), in milliseconds. */
export function parseGoDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)];
  const consumed = parts.map((p) => p[0]).join('');
  if (parts.length === 0 || consumed !== text) {
    throw new PropertyValueError(
      `${JSON.stringify(text)} is not a duration; use a number with a unit (h, m, s, ms), e.g. "60m" or "1h30m"`,
    );
  }
  const ms = parts.reduce(
    (sum, [, amount = '0', unit = 'ms']) => sum + Number(amount) * (DURATION_UNITS_MS[unit] ?? 0),
    0,
  );
  if (ms <= 0) throw new PropertyValueError(`${JSON.stringify(text)} must be longer than zero`);
  return ms;
}

export function parsePositiveInteger(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new PropertyValueError(`${JSON.stringify(text)} is not a whole number of at least 1`);
  }
  return Number(text);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes object name (RFC 1123 subdomain). */
export function parseObjectName(text: string, what = 'name'): string {
  if (text.includes('/')) {
    // Cross-namespace references are refused by format: these objects are cluster-wide or the provider's own.
    throw new PropertyValueError(
      `${JSON.stringify(text)} names a namespace; a ${what} takes none (the object is looked up where the provider keeps it), so write only the name`,
    );
  }
  if (text.length > 253 || !DNS_SUBDOMAIN.test(text)) {
    throw new PropertyValueError(
      `${JSON.stringify(text)} is not a valid ${what}; use lower-case letters, digits, "-" and ".", starting and ending with a letter or digit`,
    );
  }
  return text;
}

export function isDnsLabel(text: string): boolean {
  return text.length <= 63 && DNS_LABEL.test(text);
}

/** `a,b,c` → object names; an empty item is an error. */
export function parseNameList(text: string, what = 'name'): string[] {
  return splitList(text).map((item, index) => {
    if (item === '') throw new PropertyValueError(`item ${index + 1} of ${JSON.stringify(text)} is empty`);
    return parseObjectName(item, what);
  });
}

export interface SecretReference {
  /** Absent when the value named only the Secret; the caller decides the namespace. */
  readonly namespace?: string;
  readonly name: string;
}

/** `name` or `namespace/name`; with `namespaceRequired`, only the latter. */
export function parseSecretReference(text: string, namespaceRequired: boolean): SecretReference {
  const parts = text.split('/');
  const format = namespaceRequired ? '"<namespace>/<name>"' : '"<name>" or "<namespace>/<name>"';
  if (parts.length > 2 || (namespaceRequired && parts.length !== 2)) {
    throw new PropertyValueError(`${JSON.stringify(text)} is not a Secret reference; write ${format}`);
  }
  const [first = '', second] = parts;
  if (second === undefined) return { name: parseObjectName(first, 'Secret name') };
  if (!isDnsLabel(first)) throw new PropertyValueError(`${JSON.stringify(first)} is not a valid namespace`);
  return { namespace: first, name: parseObjectName(second, 'Secret name') };
}
