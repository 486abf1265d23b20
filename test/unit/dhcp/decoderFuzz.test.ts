import { describe, expect, it } from 'vitest';
import { fuzzDecoders } from '../../support/dhcpDecoderFuzz.js';

describe('decoder fuzzing (fixed seed, short run)', () => {
  it('never throws, never answers garbage and only sends replies that decode', () => {
    const report = fuzzDecoders(20261123, 10_000);
    expect(report.failures).toEqual([]);
    expect(report.dhcp.repliesToRandom).toBe(0);
    // The mutations must reach the reply logic and the option checks, or the run proves little.
    expect(report.dhcp.replies).toBeGreaterThan(100);
    expect(Object.keys(report.dhcp.dropped)).toEqual(
      expect.arrayContaining(['too-short', 'bad-op', 'option-overrun', 'missing-end-option', 'bad-option-length']),
    );
    expect(report.tftp.decoded).toBeGreaterThan(500);
    expect(Object.keys(report.tftp.dropped).length).toBeGreaterThan(3);
  }, 120_000);
});
