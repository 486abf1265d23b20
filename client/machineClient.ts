import { CustomObjectsApi, type KubeConfig } from '../k8s/kubernetesClient.js';
import {
  WorkflowNotFoundError,
  type Client,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { NodeClaim } from '../api/nodeClaim.js';
import { API_GROUP } from '../api/objectMeta.js';
import { classifyApiError } from '../k8s/apiErrors.js';
import {
  PROVISIONING_TASK_QUEUE,
  hostLostSignal,
  machineWorkflowId,
  releaseUpdate,
  retryUpdate,
  statusQuery,
  type HostLossReport,
  type MachinePhase,
  type MachineRef,
  type MachineStatus,
} from '../contracts/machineContract.js';
import type { machineLifecycle } from '../workflows/machineLifecycle.js';
import {
  BareMetalHostKey,
  MachineAddressKey,
  MachineNameKey,
  MachinePhaseChangedAtKey,
  MachinePhaseKey,
  NodeProviderKey,
  NodeTypeKey,
} from '../contracts/searchAttributes.js';

export interface MachineSummary {
  workflowId: string;
  machine: string;
  phase?: string;
  provider?: string;
  nodeType?: string;
  host?: string;
  address?: string;
  status: string;
}

/**
 * What the platform, the CLI and the NodeClaim controller call. Every call is safe to repeat:
 * provisioning the same Machine twice runs one workflow.
 */
export class MachineClient {
  constructor(
    private readonly client: Client,
    private readonly kubeConfig: KubeConfig,
    private readonly taskQueue = PROVISIONING_TASK_QUEUE,
  ) {}

  /** Stores the NodeClaim (if it is not there yet) and starts its Machine workflow, or finds the running one. */
  async provisionMachine(claim: NodeClaim): Promise<WorkflowHandleWithFirstExecutionRunId<typeof machineLifecycle>> {
    const namespace = claim.metadata.namespace ?? 'default';
    const stored = await this.storeClaim({ ...claim, metadata: { ...claim.metadata, namespace } });
    const machine: MachineRef = { namespace, name: claim.metadata.name, ...(stored.uid && { uid: stored.uid }) };
    return this.client.workflow.start<typeof machineLifecycle>('machineLifecycle', {
      workflowId: machineWorkflowId(machine),
      taskQueue: this.taskQueue,
      args: [{ machine, provider: claim.spec.providerRef }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: new TypedSearchAttributes([
        { key: MachineNameKey, value: `${namespace}/${machine.name}` },
        { key: NodeProviderKey, value: claim.spec.providerRef },
        { key: MachinePhaseKey, value: 'Pending' satisfies MachinePhase },
      ]),
      staticSummary: `Machine ${namespace}/${machine.name}`,
      staticDetails: `NodeProvider **${claim.spec.providerRef}**, node type **${claim.spec.typeRef ?? 'chosen by its properties'}**`,
    });
  }

  async releaseMachine(machine: Pick<MachineRef, 'namespace' | 'name'>): Promise<string> {
    return this.handle(machine).executeUpdate(releaseUpdate);
  }

  async retryMachine(
    machine: Pick<MachineRef, 'namespace' | 'name'>,
    options: { otherHost?: boolean } = {},
  ): Promise<string> {
    return this.handle(machine).executeUpdate(retryUpdate, { args: [options] });
  }

  /**
   * Runs `calls` with every Temporal request in it failing with DEADLINE_EXCEEDED after `ms`: without
   * a deadline a request the server never answers waits forever, and a controller whose reconciles
   * all wait so stops acting on every claim.
   */
  withCallDeadline<T>(ms: number, calls: () => Promise<T>): Promise<T> {
    return this.client.withDeadline(Date.now() + ms, calls);
  }

  /** The workflow's status; undefined when no Machine of that name was ever provisioned. */
  async getMachineStatus(machine: Pick<MachineRef, 'namespace' | 'name'>): Promise<MachineStatus | undefined> {
    try {
      return await this.handle(machine).query(statusQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /** Machines by visibility query over our search attributes, e.g. `{ phase: 'Stuck' }`. */
  async listMachines(filter: { phase?: MachinePhase; provider?: string } = {}): Promise<MachineSummary[]> {
    // A Ready Machine's earlier runs closed by continuing as new; its latest run is the Machine.
    const clauses = [`WorkflowType = 'machineLifecycle'`, `ExecutionStatus != 'ContinuedAsNew'`];
    if (filter.phase) clauses.push(`MachinePhase = '${filter.phase}'`);
    if (filter.provider) clauses.push(`NodeProvider = '${filter.provider.replace(/'/g, '')}'`);
    const summaries: MachineSummary[] = [];
    for await (const execution of this.client.workflow.list({ query: clauses.join(' AND ') })) {
      const attributes = execution.typedSearchAttributes;
      const value = (key: typeof MachineNameKey) => attributes.get(key) || undefined;
      summaries.push({
        workflowId: execution.workflowId,
        machine: value(MachineNameKey) ?? execution.workflowId,
        phase: value(MachinePhaseKey),
        provider: value(NodeProviderKey),
        nodeType: value(NodeTypeKey),
        host: value(BareMetalHostKey),
        address: value(MachineAddressKey),
        status: execution.status.name,
      });
    }
    return summaries;
  }

  /** Tells a Ready Machine its host was lost; the workflow checks the host before it acts. */
  async reportHostLost(machine: Pick<MachineRef, 'namespace' | 'name'>, report: HostLossReport): Promise<void> {
    await this.handle(machine).signal(hostLostSignal, report);
  }

  /** Machines whose phase changed at or after `since` (`MachinePhaseChangedAt`), with when it changed. */
  async listPhaseChanges(since: Date): Promise<{ workflowId: string; changedAt: Date }[]> {
    const query = `WorkflowType = 'machineLifecycle' AND ExecutionStatus != 'ContinuedAsNew' AND MachinePhaseChangedAt >= '${since.toISOString()}'`;
    const changes: { workflowId: string; changedAt: Date }[] = [];
    for await (const execution of this.client.workflow.list({ query })) {
      const changedAt = execution.typedSearchAttributes.get(MachinePhaseChangedAtKey);
      if (changedAt) changes.push({ workflowId: execution.workflowId, changedAt });
    }
    return changes;
  }

  handle(machine: Pick<MachineRef, 'namespace' | 'name'>): WorkflowHandle<typeof machineLifecycle> {
    return this.client.workflow.getHandle(machineWorkflowId(machine));
  }

  private async storeClaim(claim: NodeClaim & { metadata: { namespace: string } }): Promise<{ uid?: string }> {
    const api = this.kubeConfig.makeApiClient(CustomObjectsApi);
    const where = { group: API_GROUP, version: 'v1', namespace: claim.metadata.namespace, plural: 'nodeclaims' };
    try {
      const created = (await api.createNamespacedCustomObject({ ...where, body: claim })) as {
        metadata?: { uid?: string };
      };
      return { uid: created.metadata?.uid };
    } catch (err) {
      if (classifyApiError(err).kind !== 'alreadyExists') throw err;
      const existing = (await api.getNamespacedCustomObject({ ...where, name: claim.metadata.name })) as {
        metadata?: { uid?: string };
      };
      return { uid: existing.metadata?.uid };
    }
  }
}
