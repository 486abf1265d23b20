import { Address4, Address6 } from 'ip-address';

/** An IP address as a number, so that pools can do interval arithmetic on both families alike. */
export type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  value: bigint;
}

export const ADDRESS_BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

/**
 * Parses a single address (no prefix, no zone). Returns undefined when the text is not an address,
 * so callers can word the error for the property the text came from.
 */
export function tryParseAddress(text: string): IpAddress | undefined {
  if (text.includes('/') || text.includes('%')) return undefined;
  if (Address4.isValid(text)) return { family: 4, value: new Address4(text).bigInt() };
  if (text.includes(':') && Address6.isValid(text)) return { family: 6, value: new Address6(text).bigInt() };
  return undefined;
}

/** The conventional text form: dotted decimal for IPv4, RFC 5952 compressed form for IPv6. */
export function formatAddress(address: IpAddress): string {
  return address.family === 4
    ? Address4.fromBigInt(address.value).correctForm()
    : Address6.fromBigInt(address.value).correctForm();
}

/**
 * A form made of [a-z0-9-] only, for Kubernetes object names: `10-0-0-5` for IPv4 and the eight
 * zero-padded hex groups joined by '-' for IPv6 (fixed width, so names sort like addresses).
 */
export function addressNameForm(address: IpAddress): string {
  return address.family === 4
    ? formatAddress(address).replaceAll('.', '-')
    : Address6.fromBigInt(address.value).canonicalForm().replaceAll(':', '-');
}

/** Mask of the host part for a prefix length. */
export function hostMask(family: IpFamily, prefix: number): bigint {
  return (1n << BigInt(ADDRESS_BITS[family] - prefix)) - 1n;
}
