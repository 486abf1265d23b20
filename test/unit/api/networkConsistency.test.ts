import { describe, expect, it } from 'vitest';
import { PropertyKeys } from '../../../api/properties/keys.js';
import { networkConsistencyProblems } from '../../../api/properties/networkConsistency.js';

const cidr = PropertyKeys.networkCidr;
const ranges = PropertyKeys.networkIpRange;

describe('networkConsistencyProblems for dual-stack networks', () => {
  it('accepts ranges of each family inside the network of that family', () => {
    expect(
      networkConsistencyProblems({
        [cidr]: '10.0.0.1/24,fd00::1/64',
        [ranges]: '10.0.0.20-10.0.0.30,fd00::100-fd00::1ff',
      }),
    ).toEqual([]);
  });

  it('checks an IPv6 range against the IPv6 network: outside it, or holding its gateway', () => {
    expect(
      networkConsistencyProblems(
        { [cidr]: '10.0.0.1/24,fd00::1/64', [ranges]: 'fd01::1-fd01::9,fd00::1-fd00::9,10.0.0.20-10.0.0.30' },
        (key) => (key === ranges ? ' (from NodeEnvironment "dc1")' : ''),
      ),
    ).toEqual([
      {
        key: ranges,
        message:
          'range "fd01::1-fd01::9" of metal3.vcluster.com/network-ip-range (from NodeEnvironment "dc1") is not inside ' +
          'the hosts of metal3.vcluster.com/network-cidr "10.0.0.1/24,fd00::1/64"',
      },
      {
        key: ranges,
        message:
          'range "fd00::1-fd00::9" of metal3.vcluster.com/network-ip-range (from NodeEnvironment "dc1") contains ' +
          'the gateway of metal3.vcluster.com/network-cidr "10.0.0.1/24,fd00::1/64"',
      },
    ]);
  });

  it('leaves the IPv6 subnet-router anycast address out of the hosts a range may use', () => {
    const [problem] = networkConsistencyProblems({ [cidr]: 'fd00::1/64', [ranges]: 'fd00::-fd00::9' });
    expect(problem?.message).toContain('is not inside the hosts of');
  });

  it('reports a range of a family network-cidr has no network for', () => {
    const [problem] = networkConsistencyProblems({ [cidr]: '10.0.0.1/24', [ranges]: 'fd00::10-fd00::20' });
    expect(problem?.message).toBe(
      'range "fd00::10-fd00::20" of metal3.vcluster.com/network-ip-range is not inside the hosts of ' +
        'metal3.vcluster.com/network-cidr "10.0.0.1/24"',
    );
  });
});
