import { describe, expect, it } from 'vitest';
import { tryParseAddress } from '../../../ipam/address.js';
import { PoolConfigError } from '../../../ipam/errors.js';
import { addressLeaseFor, leaseAnnotations, leaseFor } from '../../../ipam/lease.js';
import { buildPools, splitByFamily } from '../../../ipam/networks.js';
import { buildPool } from '../../../ipam/pool.js';

function value(text: string): bigint {
  const address = tryParseAddress(text);
  if (!address) throw new Error(`bad test address ${text}`);
  return address.value;
}

describe('splitByFamily: one network per family', () => {
  it('leaves a single-family source exactly as written, so its pool id stays what it was', () => {
    const source = {
      networkCidr: ' 10.0.0.1/24 ',
      networkIpRange: '10.0.0.20-10.0.0.30',
      reservedAddresses: '10.0.0.25',
    };
    expect(splitByFamily(source)).toEqual([source]);
    expect(buildPools(source).map((pool) => pool.id)).toEqual([buildPool(source).id]);
    expect(splitByFamily({ networkCidr: 'fd00::1/64' })).toEqual([{ networkCidr: 'fd00::1/64' }]);
  });

  it('splits an IPv4,IPv6 pair with ranges and reservations of both families, IPv4 first', () => {
    const parts = splitByFamily({
      networkCidr: 'fd00::1/64, 10.0.0.1/24',
      networkIpRange: 'fd00::100-fd00::1ff,10.0.0.20-10.0.0.30,10.0.0.40-10.0.0.50',
      reservedAddresses: '10.0.0.21,fd00::100',
    });
    expect(parts).toEqual([
      {
        networkCidr: '10.0.0.1/24',
        networkIpRange: '10.0.0.20-10.0.0.30,10.0.0.40-10.0.0.50',
        reservedAddresses: '10.0.0.21',
      },
      { networkCidr: 'fd00::1/64', networkIpRange: 'fd00::100-fd00::1ff', reservedAddresses: 'fd00::100' },
    ]);
  });

  it('gives the IPv4 network of a dual-stack node type the pool it has alone', () => {
    const [ipv4, ipv6] = buildPools({ networkCidr: '10.0.0.1/24,fd00::1/64' });
    expect(ipv4.id).toBe(buildPool({ networkCidr: '10.0.0.1/24' }).id);
    expect(ipv6?.id).toBe(buildPool({ networkCidr: 'fd00::1/64' }).id);
    expect([ipv4.family, ipv4.size, ipv6?.family, ipv6?.prefix]).toEqual([4, 253n, 6, 64]);
  });

  it('builds both networks from ranges alone', () => {
    const [ipv4, ipv6] = buildPools({ networkIpRange: '10.1.0.10-10.1.0.19,fd00:0:0:9::10-fd00:0:0:9::1f' });
    expect(ipv4.description).toBe('range 10.1.0.10-10.1.0.19 (network 10.1.0.1/24)');
    expect(ipv6?.description).toBe('range fd00:0:0:9::10-fd00:0:0:9::1f (network fd00:0:0:9::1/64)');
    expect([ipv4.size, ipv6?.size]).toEqual([10n, 16n]);
  });

  it.each([
    [{ networkCidr: '10.0.0.1/24,10.1.0.1/24' }, 'network-cidr: "10.0.0.1/24,10.1.0.1/24" names two IPv4 networks'],
    [{ networkCidr: '10.0.0.1/24,fd00::1/64,fd01::1/64' }, 'names 3 networks'],
    [{ networkCidr: '10.0.0.1/24,fd00::/64' }, 'names the network address of fd00::/64'],
    [
      { networkCidr: '10.0.0.1/24,fd00::1/64', networkIpRange: '10.0.0.20-10.0.0.30,fd01::1-fd01::9' },
      'network-ip-range: fd01::1-fd01::9 is outside fd00::/64',
    ],
    [
      { networkCidr: '10.0.0.1/24,fd00::1/64', reservedAddresses: '10.0.0.9,fe80::1' },
      "reserved-addresses: fe80::1 is outside the pool's network fd00::/64",
    ],
    [
      { networkIpRange: '10.0.0.20-10.0.0.30,fd00::1-fd00::9', reservedAddresses: '192.168.0.1,fd00::5' },
      "reserved-addresses: 192.168.0.1 is outside the pool's network 10.0.0.0/24",
    ],
  ])('refuses %j, naming the property at fault', (source, message) => {
    expect(() => buildPools(source)).toThrow(PoolConfigError);
    expect(() => buildPools(source)).toThrow(message);
  });

  it('refuses ranges and reservations of a family that network-cidr gives no network', () => {
    const source = { networkCidr: '10.0.0.1/24', networkIpRange: '10.0.0.20-10.0.0.30,fd00::1-fd00::9' };
    expect(() => buildPools(source)).toThrow(
      'metal3.vcluster.com/network-ip-range: fd00::1-fd00::9 is IPv6, but metal3.vcluster.com/network-cidr has no ' +
        'IPv6 network; add one (e.g. 10.0.0.1/24,fd00::1/64) or remove it',
    );
    expect(() => buildPools({ networkCidr: 'fd00::1/64', reservedAddresses: '10.0.0.5,10.0.0.7' })).toThrow(
      'metal3-provider.io/reserved-addresses: 10.0.0.5,10.0.0.7 are IPv4, but metal3.vcluster.com/network-cidr',
    );
  });
});

describe('dual-stack leases on the host', () => {
  it('carry the IPv4 address and only the IPv4 servers, which is all a DHCPv4 lease can hand out', () => {
    const [ipv4, ipv6] = buildPools({ networkCidr: '10.0.0.1/24,fd00::1/64' });
    if (!ipv6) throw new Error('expected two pools');
    const lease = {
      ...leaseFor(ipv4, value('10.0.0.7'), ['8.8.8.8', '2001:4860:4860::8888'], ['fd00::123']),
      ipv6: addressLeaseFor(ipv6, value('fd00::7')),
    };
    expect(lease.ipv6).toEqual({ address: 'fd00::7', prefix: 64, gateway: 'fd00::1' });
    expect(leaseAnnotations(lease)).toEqual({
      'metal3.vcluster.com/ip-address': '10.0.0.7/24',
      'metal3.vcluster.com/gateway': '10.0.0.1',
      'metal3.vcluster.com/dns-servers': '8.8.8.8',
      'metal3.vcluster.com/ntp-servers': null,
    });
  });
});
