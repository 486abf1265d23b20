import type { BareMetalHost } from '../../api/bareMetalHost.js';
import { hostSize } from './resourceFit.js';

/**
 * The order a claim tries its candidates in: the smallest hosts first (keeping larger ones for node types
 * that need them), hosts of one size in random order (so claims that start together spread over them).
 * Worked out only as far as the claim reads: a claim nearly always takes one of the first few, and sorting
 * every candidate of a 10,000-host namespace cost each claim more than everything else it does. So the
 * smallest hosts are found in one pass and shuffled as they are read; the others are sorted only for a
 * claim that lost every smallest host to other claims.
 */
export function* inClaimOrder(candidates: readonly BareMetalHost[], random: () => number): Generator<BareMetalHost> {
  let smallest: readonly number[] | undefined;
  let first: BareMetalHost[] = [];
  const rest: BareMetalHost[] = [];
  for (const host of candidates) {
    const size = hostSize(host);
    const order = smallest ? compareSizes(size, smallest) : -1;
    if (order < 0) {
      // A smaller size: the hosts held so far move on to the rest, each at most once.
      for (const larger of first) rest.push(larger);
      first = [host];
      smallest = size;
    } else if (order === 0) first.push(host);
    else rest.push(host);
  }
  yield* shuffledAsRead(first, random);
  yield* smallestFirst(rest, random);
}

/** Fisher–Yates, one draw per host read: `hosts` is the caller's own array and is reordered in place. */
function* shuffledAsRead(hosts: BareMetalHost[], random: () => number): Generator<BareMetalHost> {
  for (let i = 0; i < hosts.length; i++) {
    const j = i + Math.floor(random() * (hosts.length - i));
    const chosen = hosts[j] as BareMetalHost;
    hosts[j] = hosts[i] as BareMetalHost;
    hosts[i] = chosen;
    yield chosen;
  }
}

function smallestFirst(hosts: readonly BareMetalHost[], random: () => number): BareMetalHost[] {
  const keyed = hosts.map((host) => ({ host, size: hostSize(host), tie: random() }));
  keyed.sort((a, b) => compareSizes(a.size, b.size) || a.tie - b.tie);
  return keyed.map((k) => k.host);
}

/** Negative when size `a` is the smaller (sizes from `hostSize`). */
export function compareSizes(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
