import { describe, expect, it } from 'vitest';
import { formatAddress, tryParseAddress } from '../../../ipam/address.js';
import { addressAt, indexOf } from '../../../ipam/intervals.js';
import { buildPool, type Pool } from '../../../ipam/pool.js';
import { freeAddresses } from '../../../ipam/select.js';

function value(text: string): bigint {
  const address = tryParseAddress(text);
  if (!address) throw new Error(`bad test address ${text}`);
  return address.value;
}

function take(pool: Pool, used: string[], startIndex: bigint, count: number): string[] {
  const result: string[] = [];
  const usedValues = new Set(used.map(value));
  for (const address of freeAddresses(pool, (v) => usedValues.has(v), startIndex)) {
    result.push(formatAddress({ family: pool.family, value: address }));
    if (result.length === count) break;
  }
  return result;
}

describe('freeAddresses', () => {
  const pool = buildPool({ networkCidr: '10.0.0.1/24', networkIpRange: '10.0.0.10-10.0.0.12,10.0.0.20-10.0.0.21' });

  it('hands out the lowest free address first', () => {
    expect(take(pool, [], 0n, 2)).toEqual(['10.0.0.10', '10.0.0.11']);
    expect(take(pool, ['10.0.0.10', '10.0.0.12'], 0n, 3)).toEqual(['10.0.0.11', '10.0.0.20', '10.0.0.21']);
  });

  it('starts at an offset and wraps around, visiting each address once', () => {
    expect(take(pool, [], 3n, 10)).toEqual(['10.0.0.20', '10.0.0.21', '10.0.0.10', '10.0.0.11', '10.0.0.12']);
    expect(take(pool, ['10.0.0.21'], 4n, 10)).toEqual(['10.0.0.10', '10.0.0.11', '10.0.0.12', '10.0.0.20']);
    expect(take(pool, [], 5n + 3n, 1)).toEqual(['10.0.0.20']);
  });

  it('yields nothing when every address is used', () => {
    expect(take(pool, ['10.0.0.10', '10.0.0.11', '10.0.0.12', '10.0.0.20', '10.0.0.21'], 2n, 10)).toEqual([]);
  });

  it('ignores used addresses outside the pool', () => {
    expect(take(pool, ['10.0.0.99', '192.168.0.1'], 0n, 1)).toEqual(['10.0.0.10']);
  });

  it('finds a free IPv6 address in a /64 near any offset', () => {
    const v6 = buildPool({ networkCidr: 'fd00::1/64' });
    expect(take(v6, ['fd00::2'], 0n, 1)).toEqual(['fd00::3']);
    expect(take(v6, [], v6.size - 1n, 2)).toEqual(['fd00::ffff:ffff:ffff:ffff', 'fd00::2']);
  });
});

describe('indexOf', () => {
  const pool = buildPool({ networkCidr: '10.0.0.1/24', networkIpRange: '10.0.0.10-10.0.0.12,10.0.0.20-10.0.0.21' });

  it('is the position addressAt reads, across ranges, and undefined outside the pool', () => {
    expect(indexOf(pool.intervals, value('10.0.0.10'))).toBe(0n);
    expect(indexOf(pool.intervals, value('10.0.0.12'))).toBe(2n);
    expect(indexOf(pool.intervals, value('10.0.0.20'))).toBe(3n);
    expect(indexOf(pool.intervals, value('10.0.0.21'))).toBe(4n);
    expect(indexOf(pool.intervals, value('10.0.0.13'))).toBeUndefined();
    for (let i = 0n; i < pool.size; i++) expect(indexOf(pool.intervals, addressAt(pool.intervals, i))).toBe(i);
  });
});
