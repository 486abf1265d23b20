import { describe, expect, it } from 'vitest';
import { compareResourceVersions } from '../../../k8s/resourceVersion.js';

describe('compareResourceVersions', () => {
  it('orders resourceVersions as integers, not as text', () => {
    expect(compareResourceVersions('9', '10')).toBeLessThan(0);
    expect(compareResourceVersions('100', '99')).toBeGreaterThan(0);
    expect(compareResourceVersions('12345', '12346')).toBeLessThan(0);
    expect(compareResourceVersions('777', '777')).toBe(0);
    // Beyond 2^53 the order still holds: no float rounding.
    expect(compareResourceVersions('90071992547409930', '90071992547409931')).toBeLessThan(0);
  });

  it('cannot tell for anything but a positive integer without leading zeros', () => {
    for (const odd of ['', '0', '012', '-5', '1.5', '1e3', ' 12', 'abc', '12a'])
      expect(compareResourceVersions(odd, '12'), odd).toBeUndefined();
    expect(compareResourceVersions('12', '0')).toBeUndefined();
  });
});
