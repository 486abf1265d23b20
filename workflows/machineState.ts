import {
  condition,
  isCancellation,
  metricMeter,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import {
  releaseSignal,
  releaseUpdate,
  retrySignal,
  retryUpdate,
  statusQuery,
  type MachineLifecycleInput,
  type MachinePhase,
  type MachineStatus,
  type RetryRequest,
} from './machineContract.js';
import {
  BareMetalHostKey,
  MachineAddressKey,
  MachineNameKey,
  MachinePhaseKey,
  NodeProviderKey,
  NodeTypeKey,
} from './searchAttributes.js';

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
  private retryRequest: RetryRequest | undefined;

  constructor(input: MachineLifecycleInput) {
    this.status = { machine: input.machine, phase: 'Pending', provisionAttempts: 0, steps: [], properties: {} };
    this.phaseEntries.add(1, { phase: 'Pending' });
    upsertSearchAttributes([
      { key: MachineNameKey, value: `${input.machine.namespace}/${input.machine.name}` },
      { key: NodeProviderKey, value: input.provider },
      { key: MachinePhaseKey, value: 'Pending' },
    ]);
    this.registerHandlers();
  }

  setPhase(phase: MachinePhase, details?: string): void {
    if (phase !== this.status.phase) this.phaseEntries.add(1, { phase });
    this.status.phase = phase;
    this.status.details = details;
    upsertSearchAttributes([{ key: MachinePhaseKey, value: phase }]);
    setCurrentDetails(details ? `**${phase}** — ${details}` : `**${phase}**`);
  }

  setNodeType(nodeType: string, properties: MachineStatus['properties']): void {
    this.status.nodeType = nodeType;
    this.status.properties = properties;
    upsertSearchAttributes([{ key: NodeTypeKey, value: nodeType }]);
  }

  setHost(host: string | undefined): void {
    this.status.host = host;
    upsertSearchAttributes([{ key: BareMetalHostKey, value: host ?? '' }]);
  }

  setAddress(address: string | undefined): void {
    this.status.address = address;
    upsertSearchAttributes([{ key: MachineAddressKey, value: address ?? '' }]);
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
      this.stepDurations.record(ms, { step, outcome: record.outcome ?? 'failed' });
    }
  }

  /**
   * Enters Stuck and waits for the operator's `retry`. While provisioning, `release` also ends the
   * wait (the provisioning scope is cancelled); while releasing, only `retry` can.
   */
  async waitForOperator(what: string, error: string, options: { releasing?: boolean } = {}): Promise<RetryRequest> {
    this.status.lastError = error;
    this.retryRequest = undefined;
    const host = this.status.host ? ` on BareMetalHost ${this.status.host}` : '';
    const actions = options.releasing
      ? 'Fix the cause, then send the signal `retry`.'
      : 'Fix the cause, then send the signal `retry` (input `{"otherHost": true}` to move to another host) ' +
        'or `release` to give up and clean up.';
    this.setPhase('Stuck', `${what}${host}: ${error}. ${actions}`);
    await condition(() => this.retryRequest !== undefined || (!options.releasing && this.releaseRequested));
    return this.takeRetryRequest();
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
          if (!['Stuck', 'WaitingForHost'].includes(this.status.phase)) {
            throw new Error(`nothing to retry: the Machine is ${this.status.phase}, not Stuck or WaitingForHost`);
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
