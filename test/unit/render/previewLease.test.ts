import { describe, expect, it } from 'vitest';
import { PropertyKeys } from '../../../api/properties/keys.js';
import { LeaseInputError, firstPoolLease, leaseFromAddress } from '../../../render/previewLease.js';
import { effectiveOf } from './fixtures.js';

describe('leaseFromAddress', () => {
  it('takes the gateway from network-cidr and the servers from the properties', () => {
    const effective = effectiveOf({
      [PropertyKeys.networkCidr]: '10.0.0.254/24',
      [PropertyKeys.dnsServers]: '8.8.8.8,8.8.4.4',
    });
    expect(leaseFromAddress('10.0.0.5/24', undefined, effective)).toEqual({
      address: '10.0.0.5',
      prefix: 24,
      gateway: '10.0.0.254',
      dnsServers: ['8.8.8.8', '8.8.4.4'],
      ntpServers: [],
    });
  });

  it('takes the gateway of the address family from a dual-stack network-cidr', () => {
    const effective = effectiveOf({ [PropertyKeys.networkCidr]: '10.0.0.254/24,fd00::fe/64' });
    expect(leaseFromAddress('fd00::5/64', undefined, effective).gateway).toBe('fd00::fe');
    expect(leaseFromAddress('10.0.0.5/24', undefined, effective).gateway).toBe('10.0.0.254');
  });

  it('defaults the gateway to the first host address, as the DHCP server does', () => {
    expect(leaseFromAddress('2001:db8::10/64', undefined, effectiveOf({})).gateway).toBe('2001:db8::1');
    expect(leaseFromAddress('192.168.1.70/26', undefined, effectiveOf({})).gateway).toBe('192.168.1.65');
  });

  it.each([
    ['10.0.0.5', undefined, '"10.0.0.5" is not an address with its prefix length, e.g. 10.0.0.5/24'],
    ['10.0.0.5/33', undefined, '"10.0.0.5/33" is not an address with its prefix length'],
    ['10.0.0.5/24', '2001:db8::1', 'gateway "2001:db8::1" is not an IPv4 address like 10.0.0.5'],
  ])('rejects %s with gateway %s', (address, gateway, message) => {
    expect(() => leaseFromAddress(address, gateway, effectiveOf({}))).toThrow(LeaseInputError);
    expect(() => leaseFromAddress(address, gateway, effectiveOf({}))).toThrow(message);
  });
});

describe('firstPoolLease', () => {
  it('is the lowest address of the pool a Machine would get', () => {
    const effective = effectiveOf({
      [PropertyKeys.networkCidr]: '10.0.0.1/24',
      [PropertyKeys.networkIpRange]: '10.0.0.20-10.0.0.30',
    });
    expect(firstPoolLease(effective)).toMatchObject({ address: '10.0.0.20', prefix: 24, gateway: '10.0.0.1' });
  });

  it('holds the first address of each network of a dual-stack node type', () => {
    const effective = effectiveOf({
      [PropertyKeys.networkCidr]: '10.0.0.1/24,fd00::1/64',
      [PropertyKeys.networkIpRange]: '10.0.0.20-10.0.0.30,fd00::100-fd00::1ff',
    });
    expect(firstPoolLease(effective)).toMatchObject({
      address: '10.0.0.20',
      gateway: '10.0.0.1',
      ipv6: { address: 'fd00::100', prefix: 64, gateway: 'fd00::1' },
    });
  });

  it('is undefined without network properties', () => {
    expect(firstPoolLease(effectiveOf({}))).toBeUndefined();
  });
});
