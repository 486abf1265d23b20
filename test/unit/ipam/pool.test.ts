import { describe, expect, it } from 'vitest';
import { formatAddress } from '../../../ipam/address.js';
import { PoolConfigError } from '../../../ipam/errors.js';
import { addressAt } from '../../../ipam/intervals.js';
import { buildPool, type Pool, type PoolSource } from '../../../ipam/pool.js';
import { formatRange } from '../../../ipam/ranges.js';

function allocatable(pool: Pool): string {
  return pool.intervals.map((interval) => formatRange({ family: pool.family, ...interval })).join(',');
}

function address(pool: Pool, index: bigint): string {
  return formatAddress({ family: pool.family, value: addressAt(pool.intervals, index) });
}

describe('buildPool: allocatable addresses', () => {
  const table: {
    name: string;
    source: PoolSource;
    prefix: number;
    gateway: string;
    allocatable: string;
    size: bigint;
  }[] = [
    {
      name: 'a /24 leaves out network, gateway and broadcast',
      source: { networkCidr: '10.0.0.1/24' },
      prefix: 24,
      gateway: '10.0.0.1',
      allocatable: '10.0.0.2-10.0.0.254',
      size: 253n,
    },
    {
      name: 'a gateway in the middle splits the subnet',
      source: { networkCidr: '192.168.5.100/24' },
      prefix: 24,
      gateway: '192.168.5.100',
      allocatable: '192.168.5.1-192.168.5.99,192.168.5.101-192.168.5.254',
      size: 253n,
    },
    {
      name: 'the last host address can be the gateway',
      source: { networkCidr: '10.0.0.254/24' },
      prefix: 24,
      gateway: '10.0.0.254',
      allocatable: '10.0.0.1-10.0.0.253',
      size: 253n,
    },
    {
      name: 'a /30 has two hosts, one of them the gateway',
      source: { networkCidr: '10.0.0.1/30' },
      prefix: 30,
      gateway: '10.0.0.1',
      allocatable: '10.0.0.2',
      size: 1n,
    },
    {
      name: 'a /31 is point-to-point (RFC 3021): both addresses are hosts',
      source: { networkCidr: '10.0.0.0/31' },
      prefix: 31,
      gateway: '10.0.0.0',
      allocatable: '10.0.0.1',
      size: 1n,
    },
    {
      name: 'a range inside the CIDR',
      source: { networkCidr: '10.0.0.1/24', networkIpRange: '10.0.0.20-10.0.0.30,10.0.0.40-10.0.0.50' },
      prefix: 24,
      gateway: '10.0.0.1',
      allocatable: '10.0.0.20-10.0.0.30,10.0.0.40-10.0.0.50',
      size: 22n,
    },
    {
      name: 'a range touching the gateway leaves the gateway out',
      source: { networkCidr: '10.0.0.1/24', networkIpRange: '10.0.0.1-10.0.0.10' },
      prefix: 24,
      gateway: '10.0.0.1',
      allocatable: '10.0.0.2-10.0.0.10',
      size: 9n,
    },
    {
      name: 'a range ending at the gateway leaves the gateway out',
      source: { networkCidr: '10.0.0.30/24', networkIpRange: '10.0.0.20-10.0.0.30' },
      prefix: 24,
      gateway: '10.0.0.30',
      allocatable: '10.0.0.20-10.0.0.29',
      size: 10n,
    },
    {
      name: 'a range over the whole subnet leaves out network and broadcast',
      source: { networkCidr: '10.0.0.1/24', networkIpRange: '10.0.0.0-10.0.0.255' },
      prefix: 24,
      gateway: '10.0.0.1',
      allocatable: '10.0.0.2-10.0.0.254',
      size: 253n,
    },
    {
      name: 'adjacent ranges are fine',
      source: { networkCidr: '10.0.0.1/24', networkIpRange: '10.0.0.11-10.0.0.20,10.0.0.10-10.0.0.10' },
      prefix: 24,
      gateway: '10.0.0.1',
      allocatable: '10.0.0.10,10.0.0.11-10.0.0.20',
      size: 11n,
    },
    {
      name: 'ranges alone: a /24 around them, its first host is the gateway',
      source: { networkIpRange: '10.0.0.1-10.0.0.5' },
      prefix: 24,
      gateway: '10.0.0.1',
      allocatable: '10.0.0.2-10.0.0.5',
      size: 4n,
    },
    {
      name: 'ranges alone spanning two /24s get a /23',
      source: { networkIpRange: '10.0.0.250-10.0.1.5' },
      prefix: 23,
      gateway: '10.0.0.1',
      allocatable: '10.0.0.250-10.0.1.5',
      size: 12n,
    },
    {
      name: 'reserved addresses and ranges are left out',
      source: { networkCidr: '10.0.0.1/24', reservedAddresses: '10.0.0.2, 10.0.0.100-10.0.0.254' },
      prefix: 24,
      gateway: '10.0.0.1',
      allocatable: '10.0.0.3-10.0.0.99',
      size: 97n,
    },
    {
      name: 'IPv6: no broadcast, the all-zero host part is left out',
      source: { networkCidr: '2001:db8::1/120' },
      prefix: 120,
      gateway: '2001:db8::1',
      allocatable: '2001:db8::2-2001:db8::ff',
      size: 254n,
    },
    {
      name: 'IPv6 /64 is counted, not enumerated',
      source: { networkCidr: '2001:db8:0:1::1/64' },
      prefix: 64,
      gateway: '2001:db8:0:1::1',
      allocatable: '2001:db8:0:1::2-2001:db8:0:1:ffff:ffff:ffff:ffff',
      size: 2n ** 64n - 2n,
    },
    {
      name: 'IPv6 /127 is point-to-point (RFC 6164)',
      source: { networkCidr: '2001:db8::/127' },
      prefix: 127,
      gateway: '2001:db8::',
      allocatable: '2001:db8::1',
      size: 1n,
    },
    {
      name: 'IPv6 ranges with a CIDR',
      source: { networkCidr: 'fd00::1/64', networkIpRange: 'fd00::100-fd00::1ff', reservedAddresses: 'fd00::100' },
      prefix: 64,
      gateway: 'fd00::1',
      allocatable: 'fd00::101-fd00::1ff',
      size: 255n,
    },
    {
      name: 'IPv6 ranges alone get a /64',
      source: { networkIpRange: 'fd00:0:0:7::10-fd00:0:0:7::20' },
      prefix: 64,
      gateway: 'fd00:0:0:7::1',
      allocatable: 'fd00:0:0:7::10-fd00:0:0:7::20',
      size: 17n,
    },
  ];

  it.each(table)('$name', ({ source, prefix, gateway, allocatable: expected, size }) => {
    const pool = buildPool(source);
    expect(pool.prefix).toBe(prefix);
    expect(formatAddress({ family: pool.family, value: pool.gateway })).toBe(gateway);
    expect(allocatable(pool)).toBe(expected);
    expect(pool.size).toBe(size);
  });

  it('first and last allocatable addresses are at index 0 and size-1', () => {
    const pool = buildPool({ networkCidr: '172.16.0.1/16' });
    expect(address(pool, 0n)).toBe('172.16.0.2');
    expect(address(pool, pool.size - 1n)).toBe('172.16.255.254');
    expect(() => address(pool, pool.size)).toThrow(RangeError);
  });
});

describe('buildPool: rejected definitions', () => {
  const table: { source: PoolSource; message: string }[] = [
    { source: {}, message: 'metal3.vcluster.com/network-cidr: neither metal3.vcluster.com/network-cidr nor' },
    {
      source: { networkCidr: '10.0.0.1' },
      message: 'metal3.vcluster.com/network-cidr: "10.0.0.1" has no prefix length',
    },
    { source: { networkCidr: '10.0.0/24' }, message: '"10.0.0/24" is not a CIDR' },
    { source: { networkCidr: '10.0.0.1/33' }, message: 'IPv4 prefixes are 0 to 32' },
    { source: { networkCidr: '10.0.0.1/x' }, message: 'invalid prefix length' },
    { source: { networkCidr: '10.0.0.0/24' }, message: 'names the network address of 10.0.0.0/24 as the gateway' },
    { source: { networkCidr: '10.0.0.255/24' }, message: 'names the broadcast address of 10.0.0.0/24 as the gateway' },
    { source: { networkCidr: '10.0.0.1/32' }, message: 'a /32 holds only the gateway itself' },
    { source: { networkCidr: '2001:db8::1/128' }, message: 'a /128 holds only the gateway itself' },
    { source: { networkCidr: '2001:db8::/64' }, message: 'names the network address of 2001:db8::/64 as the gateway' },
    {
      source: { networkIpRange: '10.0.0.20-10.0.0.30,10.0.0.25-10.0.0.40' },
      message: '10.0.0.20-10.0.0.30 overlaps 10.0.0.25-10.0.0.40',
    },
    { source: { networkIpRange: '10.0.0.20-10.0.0.30,10.0.0.30-10.0.0.31' }, message: 'overlaps 10.0.0.30-10.0.0.31' },
    { source: { networkIpRange: 'fd00::1-fd00::9,fd00::5' }, message: '"fd00::5" is not a range' },
    { source: { networkIpRange: '10.0.0.30-10.0.0.20' }, message: '"10.0.0.30-10.0.0.20" starts after it ends' },
    { source: { networkIpRange: '10.0.0.1-fd00::1' }, message: 'mixes an IPv4 and an IPv6 address' },
    { source: { networkIpRange: '10.0.0.1-10.0.0.2,fd00::1-fd00::2' }, message: 'mixes IPv4 and IPv6' },
    {
      source: { networkIpRange: '10.0.0.1-10.0.0.x' },
      message: '"10.0.0.x" in "10.0.0.1-10.0.0.x" is not an IP address',
    },
    { source: { networkIpRange: ' , ' }, message: 'network-ip-range: is empty' },
    {
      source: { networkCidr: '10.0.0.1/24', networkIpRange: '10.0.0.250-10.0.1.10' },
      message: 'network-ip-range: 10.0.0.250-10.0.1.10 is outside 10.0.0.0/24 (from network-cidr 10.0.0.1/24)',
    },
    { source: { networkCidr: '10.0.0.1/24', networkIpRange: 'fd00::1-fd00::2' }, message: 'is outside 10.0.0.0/24' },
    {
      source: { networkCidr: '10.0.0.1/24', reservedAddresses: '10.0.1.1' },
      message: "metal3-provider.io/reserved-addresses: 10.0.1.1 is outside the pool's network 10.0.0.0/24",
    },
    {
      source: { networkCidr: '10.0.0.1/24', reservedAddresses: 'gateway' },
      message: '"gateway" in "gateway" is not an IP address',
    },
    { source: { networkCidr: '10.0.0.1/30', reservedAddresses: '10.0.0.2' }, message: 'leaves no address to allocate' },
    {
      source: { networkCidr: '10.0.0.1/24', networkIpRange: '10.0.0.1-10.0.0.1' },
      message: 'leaves no address to allocate',
    },
  ];

  it.each(table)('$message', ({ source, message }) => {
    const attempt = (): Pool => buildPool(source);
    expect(attempt).toThrow(PoolConfigError);
    expect(attempt).toThrow(message);
  });
});

describe('buildPool: pool id', () => {
  it('is stable, a DNS label, and ignores spelling and reservations', () => {
    const a = buildPool({ networkCidr: '10.0.0.1/24', networkIpRange: '10.0.0.20-10.0.0.30' });
    const b = buildPool({
      networkCidr: ' 10.0.0.1/24',
      networkIpRange: '10.0.0.20-10.0.0.30, ',
      reservedAddresses: '10.0.0.21',
    });
    expect(a.id).toMatch(/^pool-[0-9a-f]{10}$/);
    expect(b.id).toBe(a.id);
  });

  it('differs when the network or the ranges differ', () => {
    const ids = new Set([
      buildPool({ networkCidr: '10.0.0.1/24' }).id,
      buildPool({ networkCidr: '10.0.0.2/24' }).id,
      buildPool({ networkCidr: '10.0.0.1/23' }).id,
      buildPool({ networkCidr: '10.0.0.1/24', networkIpRange: '10.0.0.20-10.0.0.30' }).id,
    ]);
    expect(ids.size).toBe(4);
  });
});
