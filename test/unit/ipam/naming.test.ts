import { describe, expect, it } from 'vitest';
import { tryParseAddress } from '../../../ipam/address.js';
import { annotatedAddress, leaseAnnotations, leaseFor } from '../../../ipam/lease.js';
import { allocationName, machineKey } from '../../../ipam/naming.js';
import { buildPool } from '../../../ipam/pool.js';
import { parseAddressList } from '../../../ipam/ranges.js';

const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function parsed(text: string): bigint {
  const address = tryParseAddress(text);
  if (!address) throw new Error(`bad test address ${text}`);
  return address.value;
}

describe('allocationName', () => {
  it.each([
    ['10.0.0.5', 'pool-0123456789-10-0-0-5'],
    ['2001:db8::5', 'pool-0123456789-2001-0db8-0000-0000-0000-0000-0000-0005'],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'pool-0123456789-ffff-ffff-ffff-ffff-ffff-ffff-ffff-ffff'],
  ])('%s → %s', (address, name) => {
    const family = address.includes(':') ? 6 : 4;
    const result = allocationName('pool-0123456789', family, parsed(address));
    expect(result).toBe(name);
    expect(result).toMatch(DNS_1123_SUBDOMAIN);
    expect(result.length).toBeLessThanOrEqual(63);
  });
});

describe('machineKey', () => {
  it('is a valid label value that tells namespaces apart', () => {
    const key = machineKey({ namespace: 'a', name: 'b-c' });
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(machineKey({ namespace: 'a-b', name: 'c' })).not.toBe(key);
  });
});

describe('lease annotations', () => {
  it('carry address with prefix, gateway and server lists', () => {
    const pool = buildPool({ networkCidr: '10.0.0.1/24' });
    const lease = leaseFor(pool, parsed('10.0.0.7'), ['8.8.8.8', '8.8.4.4'], []);
    expect(leaseAnnotations(lease)).toEqual({
      'metal3.vcluster.com/ip-address': '10.0.0.7/24',
      'metal3.vcluster.com/gateway': '10.0.0.1',
      'metal3.vcluster.com/dns-servers': '8.8.8.8,8.8.4.4',
      'metal3.vcluster.com/ntp-servers': null,
    });
  });

  it.each([
    ['10.0.0.7/24', '10.0.0.7'],
    [' 10.0.0.8 ', '10.0.0.8'],
    ['fd00::7/64', 'fd00::7'],
    ['not an address', undefined],
    [undefined, undefined],
  ])('reads the address of annotation %s', (annotation, expected) => {
    const address = annotatedAddress(annotation);
    expect(address?.value).toBe(expected === undefined ? undefined : parsed(expected));
  });

  it('server lists are normalised and validated', () => {
    expect(parseAddressList('metal3.vcluster.com/dns-servers', ' 8.8.8.8 ,2001:4860:4860:0:0:0:0:8888')).toEqual([
      '8.8.8.8',
      '2001:4860:4860::8888',
    ]);
    expect(() => parseAddressList('metal3-provider.io/ntp-servers', 'pool.ntp.org')).toThrow(
      'metal3-provider.io/ntp-servers: "pool.ntp.org" in "pool.ntp.org" is not an IP address',
    );
  });
});
