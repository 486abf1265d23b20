import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../cli/deployCommand.js';

describe('deploy --rollout-timeout', () => {
  it('reads seconds, minutes, hours and plain milliseconds', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('2500')).toBe(2500);
  });

  it('says how to write one when it cannot read it', () => {
    expect(() => parseDuration('soon')).toThrow('"soon" is not a duration; use e.g. 90s, 15m or 1h');
  });
});
