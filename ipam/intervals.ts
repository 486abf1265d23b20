/**
 * Closed intervals of addresses as numbers. Pools are lists of sorted, disjoint intervals, so an
 * IPv6 /64 costs as little as an IPv4 /30 and nothing ever enumerates a whole pool.
 */
export interface Interval {
  first: bigint;
  last: bigint;
}

export function intervalSize(interval: Interval): bigint {
  return interval.last - interval.first + 1n;
}

export function totalSize(intervals: readonly Interval[]): bigint {
  return intervals.reduce((sum, interval) => sum + intervalSize(interval), 0n);
}

export function contains(interval: Interval, value: bigint): boolean {
  return interval.first <= value && value <= interval.last;
}

/** Sorts intervals by their first address; returns a new array. */
export function sortIntervals<T extends Interval>(intervals: readonly T[]): T[] {
  return [...intervals].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
}

/** The first pair of intervals (in sorted order) that share an address, if any. */
export function findOverlap<T extends Interval>(sorted: readonly T[]): [T, T] | undefined {
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (previous && current && current.first <= previous.last) return [previous, current];
  }
  return undefined;
}

/** Intersection of sorted disjoint intervals with one interval. */
export function clip(intervals: readonly Interval[], bounds: Interval): Interval[] {
  return intervals.flatMap((interval) => {
    const first = interval.first > bounds.first ? interval.first : bounds.first;
    const last = interval.last < bounds.last ? interval.last : bounds.last;
    return first <= last ? [{ first, last }] : [];
  });
}

/** Sorted disjoint intervals minus the given intervals (any order, may overlap). */
export function subtract(intervals: readonly Interval[], cuts: readonly Interval[]): Interval[] {
  let result = [...intervals];
  for (const cut of cuts) {
    result = result.flatMap((interval) => {
      if (cut.last < interval.first || cut.first > interval.last) return [interval];
      const pieces: Interval[] = [];
      if (interval.first < cut.first) pieces.push({ first: interval.first, last: cut.first - 1n });
      if (cut.last < interval.last) pieces.push({ first: cut.last + 1n, last: interval.last });
      return pieces;
    });
  }
  return result;
}

/** The address at a zero-based position across the intervals. */
export function addressAt(intervals: readonly Interval[], index: bigint): bigint {
  let remaining = index;
  for (const interval of intervals) {
    const size = intervalSize(interval);
    if (remaining < size) return interval.first + remaining;
    remaining -= size;
  }
  throw new RangeError(`index ${index} is beyond the ${totalSize(intervals)} addresses of the pool`);
}

/** The zero-based position of an address across the intervals; undefined when it is in none. */
export function indexOf(intervals: readonly Interval[], value: bigint): bigint | undefined {
  let before = 0n;
  for (const interval of intervals) {
    if (contains(interval, value)) return before + (value - interval.first);
    before += intervalSize(interval);
  }
  return undefined;
}

/**
 * Every address once, starting at `startIndex` and wrapping around to the lowest address.
 * Lazy: callers stop as soon as they find what they need.
 */
export function* walkFrom(intervals: readonly Interval[], startIndex: bigint): Generator<bigint> {
  const size = totalSize(intervals);
  if (size === 0n) return;
  const start = addressAt(intervals, ((startIndex % size) + size) % size);
  const startsAt = intervals.findIndex((interval) => contains(interval, start));
  const ordered = [...intervals.slice(startsAt), ...intervals.slice(0, startsAt)];
  const [firstInterval] = ordered;
  if (!firstInterval) return;
  for (let value = start; value <= firstInterval.last; value++) yield value;
  for (const interval of ordered.slice(1)) {
    for (let value = interval.first; value <= interval.last; value++) yield value;
  }
  for (let value = firstInterval.first; value < start; value++) yield value;
}
