import {
  condition,
  isCancellation,
  metricMeter,
  patched,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import {
  hostLostSignal,
  releaseSignal,
  releaseUpdate,
  retrySignal,
  retryUpdate,
  statusQuery,
  type HostLossReport,
  type MachineLifecycleInput,
  type MachinePhase,
  type MachineStatus,
  type RetryRequest,
} from '../contracts/machineContract.js';
import {
  BareMetalHostKey,
  MachineAddressKey,
  MachineNameKey,
  MachinePhaseChangedAtKey,
  MachinePhaseKey,
  NodeProviderKey,
  NodeTypeKey,
} from '../contracts/searchAttributes.js';
import type { Lease } from '../ipam/lease.js';

/** Every phase change also stamps MachinePhaseChangedAt, so the NodeClaim controller follows within seconds. */
export const PHASE_CHANGED_AT_PATCH = 'stamp-phase-changes';

/**
 * Machines provisioned under this patch write less on the way: the node type, host and address search
 * attributes go with the next phase change (the same workflow task, where the Machine is not held up),
 * and the lease annotations go onto the host with the configure step's write instead of one of their own.
 * Their Ready runs do the same (`ReadyMachine.foldsWrites`), releasing included.
 */
export const FOLDED_WRITES_PATCH = 'fold-provisioning-writes';

/**
 * The Machine as an operator sees it: phase and search attributes, step history, current details,
 * and the operator's requests (retry, release) arriving by signal or update.
 */
export class MachineState {
  readonly status: MachineStatus;
  releaseRequested = false;
  // Exported with the SDK's metrics (Prometheus on the worker); not re-emitted on replay.
  private readonly phaseEntries = metricMeter.createCounter(
    'metal3_machine_phase_entries',
    'machines',
    'Machines entering a phase',
  );
  private readonly stepDurations = metricMeter.createHistogram(
    'metal3_machine_step_duration',
    'int',
    'ms',
    'Lifecycle step durations',
  );
  /** Histories from before the patch upsert the phase alone. */
  private readonly stampsPhaseChanges = patched(PHASE_CHANGED_AT_PATCH);
  /** A provisioning run under FOLDED_WRITES_PATCH, or a Ready run continued from one. */
  readonly foldsWrites: boolean;
  /** Attributes waiting for the next phase change, by name (the last value of each wins). */
  private readonly withNextPhase = new Map<string, SearchAttributeUpdatePair>();
  private retryRequest: RetryRequest | undefined;
  private hostLossReport: HostLossReport | undefined;

  constructor(input: MachineLifecycleInput) {
    // A Ready run takes it from the run it continues, which decided it once; histories from before keep writing as they did.
    this.foldsWrites = input.ready ? input.ready.foldsWrites === true : patched(FOLDED_WRITES_PATCH);
    if (input.ready) {
      // A Ready Machine's next run: its search attributes came along, so it enters no phase and upserts nothing.
      this.status = input.ready.status;
      this.showDetails(this.status.phase, this.status.details);
    } else {
      this.status = { machine: input.machine, phase: 'Pending', provisionAttempts: 0, steps: [], properties: {} };
      this.phaseEntries.add(1, { phase: 'Pending', node_type: '' });
      upsertSearchAttributes([
        { key: MachineNameKey, value: `${input.machine.namespace}/${input.machine.name}` },
        { key: NodeProviderKey, value: input.provider },
        ...this.phaseAttributes('Pending'),
      ]);
    }
    this.registerHandlers();
  }

  setPhase(phase: MachinePhase, details?: string): void {
    if (phase !== this.status.phase) this.phaseEntries.add(1, { phase, node_type: this.status.nodeType ?? '' });
    this.status.phase = phase;
    this.status.details = details;
    upsertSearchAttributes([...this.withNextPhase.values(), ...this.phaseAttributes(phase)]);
    this.withNextPhase.clear();
    this.showDetails(phase, details);
  }

  private showDetails(phase: MachinePhase, details: string | undefined): void {
    setCurrentDetails(details ? `**${phase}** — ${details}` : `**${phase}**`);
  }

  /**
   * A release or host loss report this run has taken in but not acted on yet: continuing as new would
   * drop it. (A `retry` means nothing to a Ready Machine; the next wait for the operator discards it.)
   */
  hasPendingRequests(): boolean {
    return this.releaseRequested || this.hostLossReport !== undefined;
  }

  private phaseAttributes(phase: MachinePhase) {
    return [
      { key: MachinePhaseKey, value: phase },
      ...(this.stampsPhaseChanges ? [{ key: MachinePhaseChangedAtKey, value: new Date() }] : []),
    ];
  }

  setNodeType(nodeType: string, properties: MachineStatus['properties'], clusterNamespace: string): void {
    this.status.nodeType = nodeType;
    this.status.clusterNamespace = clusterNamespace;
    this.status.properties = properties;
    this.upsertAttribute({ key: NodeTypeKey, value: nodeType });
  }

  setHost(host: string | undefined): void {
    this.status.host = host;
    this.upsertAttribute({ key: BareMetalHostKey, value: host ?? '' });
  }

  /**
   * The Machine's addresses, each with its prefix: the first lease's (IPv4 for a dual-stack node type)
   * is `address` and the search attribute, and `addresses` lists every family's.
   */
  setLease(lease: Lease | undefined): void {
    const addresses = lease ? [lease, ...(lease.ipv6 ? [lease.ipv6] : [])].map((a) => `${a.address}/${a.prefix}`) : [];
    this.status.address = addresses[0];
    this.status.addresses = addresses.length > 0 ? addresses : undefined;
    this.upsertAttribute({ key: MachineAddressKey, value: addresses[0] ?? '' });
  }

  private upsertAttribute(update: SearchAttributeUpdatePair): void {
    if (this.foldsWrites) this.withNextPhase.set(update.key.name, update);
    else upsertSearchAttributes([update]);
  }

  /** One more failed attempt to provision a host, as `machine status` counts them. */
  countProvisionAttempt(): void {
    this.status.provisionAttempts += 1;
  }

  /** ` on BareMetalHost <name>` while the Machine holds a host, for details; empty otherwise. */
  onHost(): string {
    return this.status.host ? ` on BareMetalHost ${this.status.host}` : '';
  }

  /** Runs one lifecycle step, recording when it ran and how it ended. */
  async step<T>(step: string, run: () => Promise<T>): Promise<T> {
    const record: MachineStatus['steps'][number] = { step, startedAt: new Date().toISOString() };
    if (this.status.host) record.host = this.status.host;
    this.status.steps.push(record);
    this.status.step = step;
    try {
      const result = await run();
      record.outcome = 'ok';
      return result;
    } catch (err) {
      record.outcome = isCancellation(err) ? 'cancelled' : 'failed';
      record.error = errorMessage(err);
      throw err;
    } finally {
      record.endedAt = new Date().toISOString();
      const ms = Date.parse(record.endedAt) - Date.parse(record.startedAt);
      this.stepDurations.record(ms, {
        step,
        outcome: record.outcome ?? 'failed',
        node_type: this.status.nodeType ?? '',
      });
    }
  }

  /**
   * Enters Stuck (or HostLost) and waits for the operator's `retry`. While provisioning, `release`
   * also ends the wait (the provisioning scope is cancelled); while releasing, only `retry` can.
   * With `recheckAfterMs` the wait also ends by itself then (undefined), for causes that can go away
   * without the operator (a pinned host's error, an exhausted pool): the step is simply tried again.
   */
  async waitForOperator(
    what: string,
    error: string,
    options: {
      releasing?: boolean;
      phase?: 'Stuck' | 'HostLost';
      recheckAfterMs?: number;
      /** Whether `retry` with `{"otherHost": true}` moves the Machine; offered only then. */
      otherHostMoves?: boolean;
    } = {},
  ): Promise<RetryRequest | undefined> {
    this.status.lastError = error;
    this.retryRequest = undefined;
    const host = this.onHost();
    const actions = options.releasing
      ? 'Fix the cause, then send the signal `retry`.'
      : options.otherHostMoves
        ? 'Fix the cause, then send the signal `retry` (input `{"otherHost": true}` to move to another host) ' +
          'or `release` to give up and clean up.'
        : 'Fix the cause, then send the signal `retry`, or `release` to give up and clean up.';
    const recheck =
      options.recheckAfterMs === undefined
        ? ''
        : ` Tried again by itself every ${describeDuration(options.recheckAfterMs)}.`;
    this.setPhase(options.phase ?? 'Stuck', `${what}${host}: ${error}. ${actions}${recheck}`);
    const asked = () => this.retryRequest !== undefined || (!options.releasing && this.releaseRequested);
    if (options.recheckAfterMs === undefined) await condition(asked);
    else if (!(await condition(asked, options.recheckAfterMs))) return undefined;
    return this.takeRetryRequest();
  }

  /** Resolves when someone reports the Ready Machine's host lost; the report is taken. */
  async hostLossReported(): Promise<HostLossReport> {
    await condition(() => this.hostLossReport !== undefined);
    const report = this.hostLossReport as HostLossReport;
    this.hostLossReport = undefined;
    return report;
  }

  /** Wakes a wait early (e.g. WaitingForHost) when the operator asks for a retry; true when one arrived. */
  async waitForRetryOrTimeout(timeoutMs: number): Promise<boolean> {
    this.retryRequest = undefined;
    const woke = await condition(() => this.retryRequest !== undefined || this.releaseRequested, timeoutMs);
    this.takeRetryRequest();
    return woke;
  }

  private takeRetryRequest(): RetryRequest {
    const request = this.retryRequest;
    this.retryRequest = undefined;
    return request ?? {};
  }

  private registerHandlers(): void {
    const retry = (request: RetryRequest = {}): void => {
      this.retryRequest = request;
    };
    const release = (): void => {
      this.releaseRequested = true;
    };
    setHandler(
      hostLostSignal,
      (report: HostLossReport) => {
        // Only a Ready Machine acts on a report; one arriving while it provisions is out of date.
        if (this.status.phase === 'Ready') this.hostLossReport = report;
      },
      {
        description:
          "Report that the Ready Machine's host was lost; the Machine checks the host and waits for an operator.",
      },
    );
    setHandler(retrySignal, retry, {
      description: 'Retry the step the Machine is stuck on. Input {"otherHost": true} moves it to another host.',
    });
    setHandler(releaseSignal, release, {
      description: 'Give up or finish: release the host, free the address and delete the Secrets.',
    });
    setHandler(
      retryUpdate,
      (request: RetryRequest) => {
        retry(request);
        return `retry requested${request.otherHost ? ' on another host' : ''} (phase was ${this.status.phase})`;
      },
      {
        validator: (_request: RetryRequest) => {
          if (!['Stuck', 'HostLost', 'WaitingForHost'].includes(this.status.phase)) {
            throw new Error(
              `nothing to retry: the Machine is ${this.status.phase}, not Stuck, HostLost or WaitingForHost`,
            );
          }
        },
        description: 'Retry the stuck step and answer what was done.',
      },
    );
    setHandler(
      releaseUpdate,
      () => {
        release();
        return `release requested (phase was ${this.status.phase})`;
      },
      {
        validator: () => {
          if (['Releasing', 'Released', 'Failed'].includes(this.status.phase)) {
            throw new Error(`the Machine is already ${this.status.phase}`);
          }
        },
        description: 'Release the Machine and answer what was done.',
      },
    );
    setHandler(statusQuery, () => this.status, {
      description: 'Phase, host, address, step history, last error and effective properties.',
    });
  }
}

export function errorMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // An ActivityFailure's own message is generic; the cause says what went wrong.
  return err.cause instanceof Error && err.name === 'ActivityFailure' ? err.cause.message : err.message;
}

/** `5s`, `2 min`, `1.5 h`: durations as an operator reads them (not `0.08333333333333333 min`). */
export function describeDuration(ms: number): string {
  const round = (n: number) => String(Math.round(n * 10) / 10);
  if (ms < 60_000) return `${round(ms / 1000)}s`;
  if (ms < 3_600_000) return `${round(ms / 60_000)} min`;
  return `${round(ms / 3_600_000)} h`;
}
