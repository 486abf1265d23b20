import type { BareMetalHost } from '../../api/bareMetalHost.js';
import type { BareMetalHostView } from '../../k8s/bareMetalHostCache.js';
import type { BareMetalHostApi } from '../../k8s/bareMetalHosts.js';
import type { EventRecorder } from '../../k8s/events.js';
import type { ClaimableHosts } from './claimableHosts.js';
import type { LocalClaims } from './localClaims.js';

/** What the host activities are built from: the Control Plane Cluster's hosts in one namespace, and Events. */
export interface HostDeps {
  hosts: BareMetalHostApi;
  /** The worker's shared, watch-backed cache of this namespace's hosts; without it every claim LISTs and every wait polls. */
  cache?: BareMetalHostView;
  /** True on an activity's second and later attempts (a previous one may have claimed a host already). */
  isRetriedAttempt: () => boolean;
  /** The cache's claimable hosts by node type and size: a claim reads a few of them instead of every host. */
  claimable?: ClaimableHosts;
  /** Hosts this worker's claims in the namespace are trying or just took: other claims try them last. */
  localClaims: LocalClaims;
  events: EventRecorder;
  /** Heartbeat period of the waiting activities; keep it well below their heartbeat timeout. */
  heartbeatIntervalMs: number;
  /** Tie-breaking among equally small hosts; injectable for tests. */
  random: () => number;
  /** Counts a claim lost to a concurrent writer (a 409 on the resourceVersion-guarded update). */
  onClaimConflict: () => void;
  /** Counts where a claim read the hosts it chose among: the cache, or a LIST (before sync, on a retry). */
  onHostsRead: (source: 'cache' | 'list') => void;
}

/** An Event on the host, so `kubectl describe bmh` tells what the provider did and for whom. */
export async function recordHostEvent(
  deps: HostDeps,
  host: BareMetalHost,
  reason: string,
  message: string,
  type: 'Normal' | 'Warning' = 'Normal',
): Promise<void> {
  const { name, namespace = deps.hosts.namespace, uid } = host.metadata;
  await deps.events.record(
    { apiVersion: host.apiVersion, kind: host.kind, name, namespace, uid },
    { type, reason, message },
  );
}
