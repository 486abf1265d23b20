import { makeInformer, type KubeConfig, type KubernetesObject } from '../k8s/kubernetesClient.js';
import type { Logger } from 'pino';
import type { MachineClient } from '../client/machineClient.js';
import { createEventRecorder } from '../k8s/events.js';
import { LeaderElector, type LeaseTiming } from '../k8s/leaderElection.js';
import { reconcileClaim, type ReconcilerDeps } from './claimReconciler.js';
import { followPhaseChanges } from './followPhaseChanges.js';
import { runInformer } from '../k8s/runInformer.js';
import { watchHosts, type HostCache } from './watchHosts.js';
import { createNodeClaimApi, type StoredNodeClaim } from './nodeClaimApi.js';
import { classifyReconcileError } from './reconcileErrors.js';
import type { ClaimAction } from './reconcileNodeClaim.js';
import { DEFAULT_WORK_QUEUE_OPTIONS, WorkQueue, type WorkOutcome, type WorkQueueOptions } from './workQueue.js';

export const CONTROLLER_COMPONENT = 'metal3-provider-controller';

/**
 * How long one reconcile's Temporal requests may take in all. A request past it fails as transient
 * and the claim is tried again with backoff, so a request lost under load never holds a queue worker.
 */
export const TEMPORAL_CALLS_DEADLINE_MS = 30_000;

export interface NodeClaimControllerOptions {
  kubeConfig: KubeConfig;
  machines: MachineClient;
  logger: Logger;
  /** Namespace of the NodeClaims to reconcile; undefined for every namespace. */
  namespace?: string;
  lease: { name: string; namespace: string; identity: string } & Partial<LeaseTiming>;
  /** How often a Machine that is still moving is looked at (default 3 s). */
  pollIntervalMs?: number;
  /** How often a Ready or Stuck Machine is looked at (default 60 s). */
  settledIntervalMs?: number;
  /** How often Temporal is asked which Machines changed phase (default 2 s; 0 turns it off). */
  phaseFeedIntervalMs?: number;
  queue?: Partial<WorkQueueOptions>;
}

/** What this replica did: the two-replica tests and operators read it. */
export interface ControllerCounters {
  reconciles: number;
  errors: number;
  actions: Record<ClaimAction, number>;
  /** Times this replica became leader. */
  terms: number;
}

/**
 * The NodeClaim controller: while this replica leads (a coordination.k8s.io Lease), an informer
 * lists and watches NodeClaims and feeds a work queue keyed by namespace/name; each key is
 * reconciled by one worker at a time and requeued while its Machine moves. When leadership ends
 * the informer and the queue stop; a new leader starts from a fresh list, so nothing depends on
 * memory a crashed replica took with it.
 */
export class NodeClaimController {
  readonly counters: ControllerCounters = {
    reconciles: 0,
    errors: 0,
    terms: 0,
    actions: { ignore: 0, addFinalizer: 0, reportInvalid: 0, start: 0, release: 0, removeFinalizer: 0, report: 0 },
  };
  private readonly elector: LeaderElector;
  private readonly deps: ReconcilerDeps;
  private term: { queue: WorkQueue; hosts: HostCache; stopWatches: (() => Promise<void>)[] } | undefined;
  private starting: Promise<void> | undefined;

  constructor(private readonly options: NodeClaimControllerOptions) {
    const log = options.logger;
    this.deps = {
      claims: createNodeClaimApi(options.kubeConfig),
      machines: options.machines,
      events: createEventRecorder(options.kubeConfig, CONTROLLER_COMPONENT, (err) => {
        log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not record an Event');
      }),
      logger: log,
      intervals: { pollMs: options.pollIntervalMs ?? 3_000, settledMs: options.settledIntervalMs ?? 60_000 },
      onAction: (action) => {
        this.counters.actions[action] += 1;
      },
    };
    const { name, namespace, identity, ...timing } = options.lease;
    this.elector = new LeaderElector(options.kubeConfig, {
      leaseName: name,
      leaseNamespace: namespace,
      identity,
      ...timing,
      onStartedLeading: () => {
        log.info({ identity }, 'became leader; reconciling every NodeClaim');
        this.counters.terms += 1;
        // Listing can take a while; the elector must keep renewing meanwhile.
        this.starting = this.startTerm();
      },
      onStoppedLeading: async () => {
        log.info({ identity }, 'no longer leader; stopping');
        await this.stopTerm();
      },
      onError: (err, what) => {
        log.warn({ err: err instanceof Error ? err.message : String(err) }, what);
      },
    });
  }

  get isLeader(): boolean {
    return this.elector.isLeader;
  }

  start(): void {
    this.elector.start();
  }

  /** Stops reconciling (waiting for reconciles in flight) and hands the Lease over. */
  async stop(): Promise<void> {
    await this.elector.stop();
  }

  private async startTerm(): Promise<void> {
    const queue = new WorkQueue((key) => this.reconcile(key), { ...DEFAULT_WORK_QUEUE_OPTIONS, ...this.options.queue });
    // The host watch sees every namespace's hosts, whose consumers may be claims this replica does not
    // own: another namespace's claims belong to another controller (and another tenant).
    const scope = this.options.namespace;
    const enqueue = (key: string) => {
      if (scope === undefined || key.startsWith(`${scope}/`)) queue.add(key);
    };
    // Hosts first: a Ready claim's first reconcile judges its host from this cache.
    const hosts = await watchHosts(this.options.kubeConfig, enqueue, this.options.logger);
    const stopWatches = [() => hosts.stop(), await this.watchClaims(queue)];
    const feedMs = this.options.phaseFeedIntervalMs ?? 2_000;
    if (feedMs > 0) {
      stopWatches.push(
        followPhaseChanges(
          this.options.machines,
          enqueue,
          {
            intervalMs: feedMs,
            deadlineMs: TEMPORAL_CALLS_DEADLINE_MS,
            ...(this.options.namespace !== undefined && { namespace: this.options.namespace }),
          },
          this.options.logger,
        ),
      );
    }
    this.term = { queue, hosts, stopWatches };
  }

  private async stopTerm(): Promise<void> {
    await this.starting?.catch(() => undefined);
    this.starting = undefined;
    const term = this.term;
    this.term = undefined;
    if (!term) return;
    for (const stop of term.stopWatches) await stop();
    await term.queue.shutdown();
  }

  private async reconcile(key: string): Promise<WorkOutcome> {
    const [namespace = '', name = ''] = key.split('/');
    this.counters.reconciles += 1;
    try {
      const hosts = this.term?.hosts;
      const result = await this.options.machines.withCallDeadline(TEMPORAL_CALLS_DEADLINE_MS, () =>
        reconcileClaim({ ...this.deps, ...(hosts && { hosts }) }, { namespace, name }),
      );
      return result.requeueAfterMs === undefined ? {} : { requeueAfterMs: result.requeueAfterMs };
    } catch (err) {
      this.counters.errors += 1;
      const { kind, message } = classifyReconcileError(err);
      this.options.logger.warn({ nodeClaim: key, kind, err: message }, 'reconcile failed');
      return kind === 'transient' ? { backoff: true } : {};
    }
  }

  /** Informer over NodeClaims: every add, change and delete queues the claim's key. */
  private async watchClaims(queue: WorkQueue): Promise<() => Promise<void>> {
    const claims = this.deps.claims;
    const namespace = this.options.namespace;
    const informer = makeInformer<KubernetesObject>(
      this.options.kubeConfig,
      claims.watchPath(namespace),
      async () =>
        (await claims.list(namespace)) as { items: KubernetesObject[]; metadata: { resourceVersion?: string } },
    );
    const enqueue = (claim: KubernetesObject) => {
      const { namespace: ns, name } = (claim as StoredNodeClaim).metadata;
      queue.add(`${ns}/${name}`);
    };
    return runInformer(informer, enqueue, this.options.logger, 'NodeClaim');
  }
}
