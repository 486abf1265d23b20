import { CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease } from './kubernetesClient.js';
import { classifyApiError } from './apiErrors.js';

/**
 * Leader election over a coordination.k8s.io/v1 Lease, the way client-go does it: a candidate takes
 * the Lease when it is free or when its holder has not renewed it for `leaseDurationSeconds` (as
 * measured by the candidate's own clock since it last saw the record change, so clock skew between
 * replicas does not matter); the leader renews every `retryPeriodMs` and gives up leadership when it
 * could not renew for `renewDeadlineMs`. A leader that stops cleanly empties the Lease so another
 * replica takes over at its next try instead of waiting for expiry.
 */

export interface LeaseTiming {
  leaseDurationSeconds: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

export const DEFAULT_LEASE_TIMING: LeaseTiming = {
  leaseDurationSeconds: 15,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

/** Retries wait up to this factor longer than `retryPeriodMs`, so replicas do not try in lockstep. */
export const JITTER_FACTOR = 1.2;

export class LeaseTimingError extends Error {
  constructor(message: string) {
    super(`leader election timing: ${message}`);
    this.name = 'LeaseTimingError';
  }
}

/** A leader must give up (renew deadline) before anyone else may take over (lease duration). */
export function checkLeaseTiming(timing: LeaseTiming): void {
  const leaseMs = timing.leaseDurationSeconds * 1000;
  if (!Number.isInteger(timing.leaseDurationSeconds) || timing.leaseDurationSeconds < 1) {
    throw new LeaseTimingError(
      `the lease duration must be a whole number of seconds ≥ 1, not ${timing.leaseDurationSeconds}`,
    );
  }
  if (timing.renewDeadlineMs >= leaseMs) {
    throw new LeaseTimingError(
      `the renew deadline (${timing.renewDeadlineMs} ms) must be shorter than the lease duration (${leaseMs} ms)`,
    );
  }
  if (timing.retryPeriodMs * JITTER_FACTOR >= timing.renewDeadlineMs) {
    throw new LeaseTimingError(
      `the renew deadline (${timing.renewDeadlineMs} ms) must be longer than the retry period with jitter (${timing.retryPeriodMs * JITTER_FACTOR} ms)`,
    );
  }
}

/** The parts of a Lease's spec the election reads. Times are RFC 3339 strings. */
export interface LeaseRecord {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/** When this candidate last saw the record change, by its own clock. */
export interface LeaseObservation {
  record: LeaseRecord;
  observedAtMs: number;
}

function sameRecord(a: LeaseRecord, b: LeaseRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.renewTime === b.renewTime &&
    a.leaseTransitions === b.leaseTransitions &&
    a.leaseDurationSeconds === b.leaseDurationSeconds
  );
}

/** Keeps the earlier observation while the record is unchanged: expiry counts from the last change seen. */
export function observe(previous: LeaseObservation | undefined, record: LeaseRecord, nowMs: number): LeaseObservation {
  return previous && sameRecord(previous.record, record) ? previous : { record, observedAtMs: nowMs };
}

/**
 * Whether `identity` may write itself into the Lease now: it already holds it, nobody holds it, or
 * the holder has not renewed within the duration the holder itself declared.
 */
export function mayTakeLease(observation: LeaseObservation, identity: string, nowMs: number): boolean {
  const { holderIdentity, leaseDurationSeconds } = observation.record;
  if (!holderIdentity || holderIdentity === identity) return true;
  return nowMs >= observation.observedAtMs + (leaseDurationSeconds ?? 0) * 1000;
}

/** The record `identity` writes to take or renew the Lease. */
export function nextRecord(
  current: LeaseRecord | undefined,
  identity: string,
  now: Date,
  leaseDurationSeconds: number,
): LeaseRecord {
  const renewing = current?.holderIdentity === identity;
  const transitions = current?.leaseTransitions ?? 0;
  return {
    holderIdentity: identity,
    leaseDurationSeconds,
    acquireTime: renewing && current.acquireTime ? current.acquireTime : now.toISOString(),
    renewTime: now.toISOString(),
    // A transition is a change of holder; taking an empty (released) lease after someone else held it counts too.
    leaseTransitions: current === undefined || renewing ? transitions : transitions + 1,
  };
}

/** The record a leader leaves when it stops: nobody holds it, so the next candidate takes it at once. */
export function releasedRecord(current: LeaseRecord, now: Date): LeaseRecord {
  return { ...current, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now.toISOString() };
}

/** True when the leader has not managed to renew for longer than the renew deadline. */
export function renewDeadlinePassed(lastRenewMs: number, nowMs: number, renewDeadlineMs: number): boolean {
  return nowMs - lastRenewMs >= renewDeadlineMs;
}

/** The wait before the next try: the retry period plus up to 20 % jitter (`random` in [0, 1)). */
export function retryDelayMs(retryPeriodMs: number, random: number): number {
  return Math.floor(retryPeriodMs * (1 + (JITTER_FACTOR - 1) * random));
}

// ---------------------------------------------------------------------------------------------
// I/O: the elector that reads and writes the Lease.

export interface LeaderElectionOptions extends Partial<LeaseTiming> {
  leaseName: string;
  leaseNamespace: string;
  identity: string;
  /** Called when this replica becomes leader. Runs while the elector keeps renewing. */
  onStartedLeading: () => Promise<void> | void;
  /** Called when it stops being leader (lost the lease or stopping); awaited before a clean release. */
  onStoppedLeading: () => Promise<void> | void;
  onError?: (err: unknown, what: string) => void;
}

function timeText(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? new Date(value).toISOString() : undefined;
}

function recordOf(lease: V1Lease): LeaseRecord {
  const spec = lease.spec ?? {};
  return {
    ...(spec.holderIdentity !== undefined && { holderIdentity: spec.holderIdentity }),
    ...(spec.leaseDurationSeconds !== undefined && { leaseDurationSeconds: spec.leaseDurationSeconds }),
    ...(timeText(spec.acquireTime) && { acquireTime: timeText(spec.acquireTime) }),
    ...(timeText(spec.renewTime) && { renewTime: timeText(spec.renewTime) }),
    ...(spec.leaseTransitions !== undefined && { leaseTransitions: spec.leaseTransitions }),
  };
}

function specOf(record: LeaseRecord): V1Lease['spec'] {
  // MicroTime serialises with the six fractional digits the apiserver expects.
  const micro = (text: string | undefined) => (text === undefined ? undefined : new V1MicroTime(text));
  return {
    holderIdentity: record.holderIdentity ?? '',
    ...(record.leaseDurationSeconds !== undefined && { leaseDurationSeconds: record.leaseDurationSeconds }),
    ...(record.acquireTime !== undefined && { acquireTime: micro(record.acquireTime) }),
    ...(record.renewTime !== undefined && { renewTime: micro(record.renewTime) }),
    ...(record.leaseTransitions !== undefined && { leaseTransitions: record.leaseTransitions }),
  };
}

/** The Lease as read (its resourceVersion included) carrying `record`; the read object stays as it was. */
function withSpec(read: V1Lease, record: LeaseRecord): V1Lease {
  return { apiVersion: read.apiVersion, kind: read.kind, metadata: read.metadata, spec: specOf(record) };
}

export class LeaderElector {
  private readonly api: CoordinationV1Api;
  private readonly timing: LeaseTiming;
  private observation: LeaseObservation | undefined;
  private lease: V1Lease | undefined;
  private leading = false;
  private stopped = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    kubeConfig: KubeConfig,
    private readonly options: LeaderElectionOptions,
  ) {
    this.api = kubeConfig.makeApiClient(CoordinationV1Api);
    this.timing = {
      leaseDurationSeconds: options.leaseDurationSeconds ?? DEFAULT_LEASE_TIMING.leaseDurationSeconds,
      renewDeadlineMs: options.renewDeadlineMs ?? DEFAULT_LEASE_TIMING.renewDeadlineMs,
      retryPeriodMs: options.retryPeriodMs ?? DEFAULT_LEASE_TIMING.retryPeriodMs,
    };
    checkLeaseTiming(this.timing);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Starts campaigning in the background. */
  start(): void {
    this.loop ??= this.run();
  }

  /** Stops campaigning; a leader first stops leading, then empties the Lease for a quick handover. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    if (this.leading) {
      this.leading = false;
      await this.options.onStoppedLeading();
    }
    // Also when a last attempt took the Lease just as we stopped: release() checks who holds it.
    await this.release();
  }

  private async run(): Promise<void> {
    let lastRenewMs = 0;
    while (!this.stopped) {
      const attemptStarted = Date.now();
      // A request that hangs counts as a failed renewal; the renew deadline then ends leadership in time.
      const held = await Promise.race([this.tryAcquireOrRenew(), this.timeout(this.timing.renewDeadlineMs)]);
      if (this.hasStopped()) break;
      if (held) {
        lastRenewMs = attemptStarted;
        if (!this.leading) {
          this.leading = true;
          await this.options.onStartedLeading();
        }
      } else if (
        this.leading &&
        (this.lease?.spec?.holderIdentity !== this.options.identity ||
          renewDeadlinePassed(lastRenewMs, Date.now(), this.timing.renewDeadlineMs))
      ) {
        // Someone else holds it, or we could not renew in time: stop acting before anyone else may start.
        this.leading = false;
        await this.options.onStoppedLeading();
      }
      await this.sleep(retryDelayMs(this.timing.retryPeriodMs, Math.random()));
    }
  }

  private timeout(ms: number): Promise<false> {
    return new Promise((resolve) => setTimeout(resolve, ms, false).unref());
  }

  /** Read through a method: `stop()` may have run while we awaited. */
  private hasStopped(): boolean {
    return this.stopped;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** One round: read the Lease, then create, renew or take it if allowed. True when we hold it afterwards. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { leaseName: name, leaseNamespace: namespace, identity } = this.options;
    const now = new Date();
    try {
      let current: V1Lease;
      try {
        current = await this.api.readNamespacedLease({ name, namespace });
      } catch (err) {
        if (classifyApiError(err).kind !== 'notFound') throw err;
        const record = nextRecord(undefined, identity, now, this.timing.leaseDurationSeconds);
        this.lease = await this.api.createNamespacedLease({
          namespace,
          body: { metadata: { name, namespace }, spec: specOf(record) },
        });
        this.observation = observe(undefined, record, Date.now());
        return true;
      }
      this.lease = current;
      const record = recordOf(current);
      this.observation = observe(this.observation, record, Date.now());
      if (!mayTakeLease(this.observation, identity, Date.now())) return false;
      const next = nextRecord(record, identity, now, this.timing.leaseDurationSeconds);
      // The resourceVersion we read makes this a compare-and-swap: of two candidates, one wins.
      this.lease = await this.api.replaceNamespacedLease({ name, namespace, body: withSpec(current, next) });
      this.observation = observe(this.observation, next, Date.now());
      return true;
    } catch (err) {
      const kind = classifyApiError(err).kind;
      if (kind !== 'conflict' && kind !== 'alreadyExists') this.options.onError?.(err, 'lease update failed');
      return false;
    }
  }

  /** Empties the Lease if we still hold it (a conflict means someone else already took over). */
  private async release(): Promise<void> {
    const { leaseName: name, leaseNamespace: namespace, identity } = this.options;
    try {
      const current = await this.api.readNamespacedLease({ name, namespace });
      if (current.spec?.holderIdentity !== identity) return;
      const body = withSpec(current, releasedRecord(recordOf(current), new Date()));
      await this.api.replaceNamespacedLease({ name, namespace, body });
    } catch (err) {
      this.options.onError?.(err, 'could not release the lease; others take over when it expires');
    }
  }
}
