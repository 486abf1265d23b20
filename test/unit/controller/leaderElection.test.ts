import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LEASE_TIMING,
  LeaseTimingError,
  checkLeaseTiming,
  mayTakeLease,
  nextRecord,
  observe,
  releasedRecord,
  renewDeadlinePassed,
  retryDelayMs,
  type LeaseRecord,
} from '../../../k8s/leaderElection.js';

const held: LeaseRecord = {
  holderIdentity: 'a',
  leaseDurationSeconds: 15,
  acquireTime: '2026-01-01T00:00:00.000Z',
  renewTime: '2026-01-01T00:00:10.000Z',
  leaseTransitions: 2,
};

describe('leader election timing', () => {
  it('accepts the defaults and rejects a renew deadline that would let two leaders overlap', () => {
    expect(() => {
      checkLeaseTiming(DEFAULT_LEASE_TIMING);
    }).not.toThrow();
    expect(() => {
      checkLeaseTiming({ leaseDurationSeconds: 10, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
    }).toThrow(LeaseTimingError);
    expect(() => {
      checkLeaseTiming({ leaseDurationSeconds: 15, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 });
    }).toThrow(/longer than the retry period/);
    expect(() => {
      checkLeaseTiming({ leaseDurationSeconds: 0.5, renewDeadlineMs: 200, retryPeriodMs: 100 });
    }).toThrow(/whole number of seconds/);
  });

  it('counts expiry from when this candidate last saw the record change, not from the holder clock', () => {
    // The holder's renewTime is far in the past by our clock (skew): what counts is when we saw it.
    const first = observe(undefined, held, 1_000_000);
    expect(mayTakeLease(first, 'b', 1_000_000 + 14_999)).toBe(false);
    expect(mayTakeLease(first, 'b', 1_000_000 + 15_000)).toBe(true);
    // An unchanged record keeps the first observation; a renewal restarts the clock.
    expect(observe(first, { ...held }, 1_010_000)).toBe(first);
    const renewed = observe(first, { ...held, renewTime: '2026-01-01T00:00:12.000Z' }, 1_010_000);
    expect(renewed.observedAtMs).toBe(1_010_000);
    expect(mayTakeLease(renewed, 'b', 1_000_000 + 15_000)).toBe(false);
  });

  it('lets the holder renew at any time and anyone take an empty (released) lease at once', () => {
    const seen = observe(undefined, held, 0);
    expect(mayTakeLease(seen, 'a', 1)).toBe(true);
    const released = observe(seen, releasedRecord(held, new Date(5)), 5);
    expect(released.record.holderIdentity).toBe('');
    expect(mayTakeLease(released, 'b', 6)).toBe(true);
  });

  it('writes renewals without a transition and takeovers with one', () => {
    const now = new Date('2026-01-01T00:00:20.000Z');
    const renewal = nextRecord(held, 'a', now, 15);
    expect(renewal).toMatchObject({ holderIdentity: 'a', acquireTime: held.acquireTime, leaseTransitions: 2 });
    expect(renewal.renewTime).toBe(now.toISOString());
    const takeover = nextRecord(held, 'b', now, 15);
    expect(takeover).toMatchObject({ holderIdentity: 'b', acquireTime: now.toISOString(), leaseTransitions: 3 });
    expect(nextRecord(undefined, 'b', now, 15).leaseTransitions).toBe(0);
  });

  it('gives up leadership once renewals failed for the renew deadline, and jitters retries up to 20 %', () => {
    expect(renewDeadlinePassed(1_000, 10_999, 10_000)).toBe(false);
    expect(renewDeadlinePassed(1_000, 11_000, 10_000)).toBe(true);
    expect(retryDelayMs(2_000, 0)).toBe(2_000);
    expect(retryDelayMs(2_000, 0.999)).toBeLessThan(2_400);
    expect(retryDelayMs(2_000, 0.5)).toBe(2_200);
  });
});
