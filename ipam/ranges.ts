import { formatAddress, tryParseAddress, type IpAddress, type IpFamily } from './address.js';
import { NETWORK_IP_RANGE_PROPERTY, PoolConfigError, type PoolProperty } from './errors.js';
import { findOverlap, sortIntervals, type Interval } from './intervals.js';

export interface IpRange extends Interval {
  family: IpFamily;
}

export function formatRange(range: IpRange): string {
  const first = formatAddress({ family: range.family, value: range.first });
  return range.first === range.last ? first : `${first}-${formatAddress({ family: range.family, value: range.last })}`;
}

/** The non-empty, trimmed items of a comma-separated list. */
export function items(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function parseItemAddress(property: PoolProperty, item: string, text: string): IpAddress {
  const address = tryParseAddress(text.trim());
  if (!address) throw new PoolConfigError(property, `"${text.trim()}" in "${item}" is not an IP address`);
  return address;
}

/** `A-B` (or, when `singleAllowed`, a lone `A`) as an inclusive range. */
export function parseRangeItem(property: PoolProperty, item: string, singleAllowed: boolean): IpRange {
  const parts = item.split('-');
  if (parts.length === 1 && singleAllowed) {
    const address = parseItemAddress(property, item, item);
    return { family: address.family, first: address.value, last: address.value };
  }
  const [firstText, lastText] = parts;
  if (parts.length !== 2 || firstText === undefined || lastText === undefined) {
    throw new PoolConfigError(property, `"${item}" is not a range; write FIRST-LAST, e.g. 10.0.0.20-10.0.0.30`);
  }
  const first = parseItemAddress(property, item, firstText);
  const last = parseItemAddress(property, item, lastText);
  if (first.family !== last.family) {
    throw new PoolConfigError(property, `"${item}" mixes an IPv4 and an IPv6 address`);
  }
  if (first.value > last.value) {
    throw new PoolConfigError(property, `"${item}" starts after it ends; write the lower address first`);
  }
  return { family: first.family, first: first.value, last: last.value };
}

function requireOneFamily(property: PoolProperty, ranges: readonly IpRange[]): void {
  const families = new Set(ranges.map((range) => range.family));
  if (families.size > 1) {
    throw new PoolConfigError(property, 'mixes IPv4 and IPv6 addresses; one pool holds one address family');
  }
}

/**
 * `metal3.vcluster.com/network-ip-range`: `A-B[,C-D…]`, one family, no range overlapping another.
 * Returns the ranges sorted by first address.
 */
export function parseIpRanges(text: string): IpRange[] {
  const property = NETWORK_IP_RANGE_PROPERTY;
  const list = items(text);
  if (list.length === 0) {
    throw new PoolConfigError(property, 'is empty; write FIRST-LAST[,FIRST-LAST…], e.g. 10.0.0.20-10.0.0.30');
  }
  const ranges = sortIntervals(list.map((item) => parseRangeItem(property, item, false)));
  requireOneFamily(property, ranges);
  const overlap = findOverlap(ranges);
  if (overlap) {
    throw new PoolConfigError(
      property,
      `${formatRange(overlap[0])} overlaps ${formatRange(overlap[1])}; ranges must not share addresses`,
    );
  }
  return ranges;
}

/** A comma-separated list of addresses and `A-B` ranges, e.g. reserved addresses. Sorted; overlaps allowed. */
export function parseAddressesAndRanges(property: PoolProperty, text: string): IpRange[] {
  const ranges = sortIntervals(items(text).map((item) => parseRangeItem(property, item, true)));
  requireOneFamily(property, ranges);
  return ranges;
}

/** A comma-separated list of addresses (DNS or NTP servers), in the order given, normalised. */
export function parseAddressList(property: PoolProperty, text: string): string[] {
  return items(text).map((item) => formatAddress(parseItemAddress(property, item, item)));
}
