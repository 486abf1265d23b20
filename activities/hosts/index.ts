import type { KubeConfig } from '../../k8s/kubernetesClient.js';
import { Context } from '@temporalio/activity';
import type { BareMetalHostView } from '../../k8s/bareMetalHostCache.js';
import { createBareMetalHostApi } from '../../k8s/bareMetalHosts.js';
import { createEventRecorder } from '../../k8s/events.js';
import { toApplicationFailure } from '../applicationFailure.js';
import { awaitAvailable } from './awaitAvailable.js';
import { awaitProvisioned } from './awaitProvisioned.js';
import { claimHost } from './claimHost.js';
import { ClaimableHosts } from './claimableHosts.js';
import { configureHost, type ConfigureHostInput } from './configureHost.js';
import type { HostDeps } from './hostDeps.js';
import { LocalClaims } from './localClaims.js';
import { inspectHost, type InspectHostInput } from './inspectHost.js';
import { releaseHost, type ReleaseHostInput } from './releaseHost.js';
import type {
  AwaitAvailableResult,
  AwaitHostInput,
  AwaitProvisionedInput,
  ClaimHostInput,
  ClaimHostResult,
  ConfigureHostResult,
  FollowHostInput,
  InspectHostResult,
  ProvisionedResult,
  ReleaseHostResult,
} from '../../contracts/machineActivityContract.js';

export { ExclusionReason } from './eligibility.js';
export { CONSUMER_API_VERSION, CONSUMER_KIND } from './consumerRef.js';
export { ORIGINAL_ANNOTATION } from './originalRecord.js';
export { CAPACITY_KEY_PREFIX } from './resourceFit.js';
export type { HostProgress } from './followHost.js';
export { hostLoss } from './hostLoss.js';
export type {
  AwaitAvailableResult,
  AwaitHostInput,
  AwaitProvisionedInput,
  ClaimHostInput,
  ClaimHostResult,
  ConfigureHostInput,
  ConfigureHostResult,
  FollowHostInput,
  InspectHostInput,
  InspectHostResult,
  ProvisionedResult,
  ReleaseHostInput,
  ReleaseHostResult,
};

export interface HostActivityOptions {
  kubeConfig: KubeConfig;
  /** The cluster namespace holding the BareMetalHosts (NodeProvider `clusterRef.namespace`). */
  namespace: string;
  /** Default 5 s; the activities' heartbeat timeout must be longer. */
  heartbeatIntervalMs?: number;
  random?: () => number;
  /** The worker's shared cache of this namespace's hosts: claims choose from it, waits wake on it; without it they LIST and poll. */
  cache?: BareMetalHostView;
  /** Reports Events that could not be recorded (they never fail an activity). */
  onEventError?: (err: unknown) => void;
}

/** The host activities, bound to one cluster and namespace; register the returned object with a Worker. */
export function createHostActivities(options: HostActivityOptions) {
  const deps: HostDeps = {
    hosts: createBareMetalHostApi(options.kubeConfig, options.namespace),
    events: createEventRecorder(options.kubeConfig, 'metal3-provider', options.onEventError),
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 5000,
    random: options.random ?? Math.random,
    ...(options.cache && { cache: options.cache, claimable: new ClaimableHosts(options.cache) }),
    isRetriedAttempt: () => Context.current().info.attempt > 1,
    localClaims: new LocalClaims(),
    onClaimConflict: () => {
      Context.current()
        .metricMeter.createCounter('metal3_claim_conflicts', 'conflicts', 'Claims lost to a concurrent update')
        .add(1);
    },
    onHostsRead: (source) => {
      Context.current()
        .metricMeter.createCounter('metal3_claim_host_reads', 'reads', 'Where claims read the hosts they chose among')
        .add(1, { source });
    },
  };
  const guarded =
    <I, O>(doing: string, fn: (deps: HostDeps, input: I) => Promise<O>) =>
    async (input: I): Promise<O> => {
      try {
        return await fn(deps, input);
      } catch (err) {
        throw toApplicationFailure(err, doing, 'hosts');
      }
    };
  return {
    claimHost: guarded<ClaimHostInput, ClaimHostResult>('claiming a BareMetalHost', claimHost),
    configureHost: guarded<ConfigureHostInput, ConfigureHostResult>('configuring a BareMetalHost', configureHost),
    awaitProvisioned: guarded<AwaitProvisionedInput, ProvisionedResult>(
      'waiting for a BareMetalHost to provision',
      awaitProvisioned,
    ),
    inspectHost: guarded<InspectHostInput, InspectHostResult>('reading a BareMetalHost', inspectHost),
    releaseHost: guarded<ReleaseHostInput, ReleaseHostResult>('releasing a BareMetalHost', releaseHost),
    awaitAvailable: guarded<FollowHostInput, AwaitAvailableResult>(
      'waiting for a BareMetalHost to become available',
      awaitAvailable,
    ),
  };
}

export type HostActivities = ReturnType<typeof createHostActivities>;
