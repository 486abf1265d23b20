import { Address6 } from 'ip-address';

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

/** An IPv4 subnet whose host part is the gateway (`10.0.0.1/24`). */
export interface NetworkCidr {
  readonly gateway: string;
  readonly prefixLength: number;
  /** First and last address of the subnet (network and broadcast addresses). */
  readonly network: string;
  readonly broadcast: string;
}

export function parseNetworkCidr(text: string): NetworkCidr {
  const [address = '', prefix, ...rest] = text.split('/');
  if (prefix === undefined || rest.length > 0 || !/^\d{1,2}$/.test(prefix) || Number(prefix) > 32) {
    throw new PropertyValueError(
      `${JSON.stringify(text)} is not in CIDR notation; write the gateway and the prefix length, e.g. "10.0.0.1/24"`,
    );
  }
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
  return { gateway: formatIPv4(gateway), prefixLength, network: formatIPv4(network), broadcast: formatIPv4(broadcast) };
}

export interface IpRange {
  readonly start: string;
  readonly end: string;
}

/** `10.0.0.20-10.0.0.30,10.0.0.40-10.0.0.50`: IPv4 ranges, each start ≤ end, none overlapping. */
export function parseIpRanges(text: string): IpRange[] {
  const ranges = splitList(text).map((item) => {
    const [start = '', end, ...rest] = item.split('-').map((part) => part.trim());
    if (end === undefined || rest.length > 0) {
      throw new PropertyValueError(
        `${JSON.stringify(item)} is not a range; write FIRST-LAST, e.g. "10.0.0.20-10.0.0.30"`,
      );
    }
    const [low, high] = [parseIPv4(start), parseIPv4(end)];
    if (low > high) throw new PropertyValueError(`range ${JSON.stringify(item)} ends before it starts`);
    return { item, low, high };
  });
  const sorted = [...ranges].sort((a, b) => a.low - b.low);
  sorted.forEach((range, index) => {
    const next = sorted[index + 1];
    if (next && next.low <= range.high) {
      throw new PropertyValueError(`ranges ${JSON.stringify(range.item)} and ${JSON.stringify(next.item)} overlap`);
    }
  });
  return ranges.map(({ low, high }) => ({ start: formatIPv4(low), end: formatIPv4(high) }));
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
