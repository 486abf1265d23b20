import { walkFrom } from './intervals.js';
import type { Pool } from './pool.js';

/**
 * The pool's free addresses in allocation order: lowest first from `startIndex` (a position in the
 * pool, 0 for the lowest address), wrapping around. A random start spreads concurrent allocators
 * over the pool so they rarely race for the same address. Lazy, and each free address is found after
 * at most (number of used addresses + 1) steps, so large pools cost nothing extra.
 */
export function* freeAddresses(pool: Pool, isUsed: (value: bigint) => boolean, startIndex = 0n): Generator<bigint> {
  for (const value of walkFrom(pool.intervals, startIndex)) {
    if (!isUsed(value)) yield value;
  }
}
