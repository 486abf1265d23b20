import { Context } from '@temporalio/activity';
import type { BareMetalHost } from '../../api/bareMetalHost.js';
import { waitForHost } from '../../k8s/waitForHost.js';
import type { FollowHostInput } from '../../contracts/machineActivityContract.js';
import type { HostDeps } from './hostDeps.js';

/** Heartbeat details of the waiting activities: where the host is in BMO's state machine. */
export interface HostProgress {
  host: string;
  state: string;
  operationalStatus?: string;
  poweredOn?: boolean;
  errorType?: string;
  errorCount: number;
}

export function progressOf(name: string, host: BareMetalHost | undefined): HostProgress {
  const status = host?.status;
  const progress: HostProgress = {
    host: name,
    state: host ? (status?.provisioning?.state ?? '') : 'deleted',
    errorCount: status?.errorCount ?? 0,
  };
  if (status?.operationalStatus !== undefined) progress.operationalStatus = status.operationalStatus;
  if (status?.poweredOn !== undefined) progress.poweredOn = status.poweredOn;
  if (status?.errorType) progress.errorType = status.errorType;
  return progress;
}

/** With the cache's change word, a wait still reads its host at least every this many heartbeats. */
const RECHECK_HEARTBEATS = 6;

/**
 * Follows a host inside an activity until `decide` returns: heartbeats the latest progress on every
 * change and every `heartbeatIntervalMs` (so a lost worker is noticed and cancellation is
 * delivered), and stops at once when the activity is cancelled.
 */
export async function followHost<T>(
  deps: Pick<HostDeps, 'hosts' | 'cache' | 'heartbeatIntervalMs'>,
  { host: name, since }: Pick<FollowHostInput, 'host' | 'since'>,
  decide: (host: BareMetalHost | undefined) => T | undefined,
): Promise<T> {
  const { heartbeatIntervalMs } = deps;
  const ctx = Context.current();
  let progress: HostProgress = { host: name, state: 'unknown', errorCount: 0 };
  ctx.heartbeat(progress);
  const timer = setInterval(() => {
    ctx.heartbeat(progress);
  }, heartbeatIntervalMs);
  try {
    const observe = (host: BareMetalHost | undefined) => {
      progress = progressOf(name, host);
      ctx.heartbeat(progress);
      return decide(host);
    };
    return await Promise.race([
      waitForHost(deps.hosts, name, observe, {
        signal: ctx.cancellationSignal,
        retryDelayMs: heartbeatIntervalMs,
        recheckMs: heartbeatIntervalMs * RECHECK_HEARTBEATS,
        ...(deps.cache && { changes: deps.cache }),
        since,
      }),
      ctx.cancelled,
    ]);
  } finally {
    clearInterval(timer);
  }
}
