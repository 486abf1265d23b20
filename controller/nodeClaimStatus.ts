import type { NodeClaimCondition, NodeClaimStatus } from '../api/nodeClaim.js';
import type { MachinePhase, MachineStatus } from '../contracts/machineContract.js';

/**
 * The NodeClaim's status, computed from the Machine workflow's: phase, host, address and the Ready
 * condition. Pure; the reconciler writes the result only when it differs from what is stored.
 */

export const READY = 'Ready';

/** The reason of Ready=False while in each phase: one CamelCase word, as `kubectl get -o wide` shows it. */
const NOT_READY_REASON: Record<MachinePhase, string> = {
  Pending: 'Pending',
  WaitingForHost: 'WaitingForHost',
  Provisioning: 'Provisioning',
  Ready: 'Provisioned',
  HostLost: 'HostLost',
  Stuck: 'Stuck',
  Releasing: 'Releasing',
  Released: 'Released',
  Failed: 'Failed',
};

const DEFAULT_MESSAGE: Record<MachinePhase, string> = {
  Pending: 'the Machine workflow is starting',
  WaitingForHost: 'waiting for a free BareMetalHost',
  Provisioning: 'the operating system is being installed',
  Ready: 'the Machine is provisioned',
  HostLost: 'the BareMetalHost under the Machine was lost; the Machine waits for an operator',
  Stuck: 'the Machine waits for an operator',
  Releasing: 'the host is being released',
  Released: 'the host, address and Secrets were given back',
  Failed: 'the Machine failed; its host, address and Secrets were given back',
};

export interface StatusContext {
  now: Date;
  generation?: number;
}

/** Sets `condition`, keeping lastTransitionTime when its status did not change. */
export interface ConditionInput {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  observedGeneration?: number;
}

export function withCondition(
  conditions: readonly NodeClaimCondition[] | undefined,
  condition: ConditionInput,
  now: Date,
): NodeClaimCondition[] {
  const previous = conditions?.find((c) => c.type === condition.type);
  const lastTransitionTime =
    previous?.status === condition.status && previous.lastTransitionTime !== undefined
      ? previous.lastTransitionTime
      : now.toISOString();
  return [...(conditions ?? []).filter((c) => c.type !== condition.type), { ...condition, lastTransitionTime }];
}

function withReady(
  previous: NodeClaimStatus,
  ready: { status: 'True' | 'False' | 'Unknown'; reason: string; message: string },
  context: StatusContext,
): NodeClaimCondition[] {
  return withCondition(
    previous.conditions,
    { type: READY, ...ready, ...(context.generation !== undefined && { observedGeneration: context.generation }) },
    context.now,
  );
}

function base(previous: NodeClaimStatus, context: StatusContext): NodeClaimStatus {
  const { bareMetalHost: _host, address: _address, addresses: _addresses, ...rest } = previous;
  return { ...rest, ...(context.generation !== undefined && { observedGeneration: context.generation }) };
}

/** The status while the workflow reports `machine`. */
export function statusFromMachine(
  previous: NodeClaimStatus,
  machine: MachineStatus,
  workflowId: string,
  context: StatusContext,
): NodeClaimStatus {
  const ready = machine.phase === 'Ready';
  const message = machine.details ?? machine.lastError ?? DEFAULT_MESSAGE[machine.phase];
  return {
    ...base(previous, context),
    phase: machine.phase,
    ...(machine.host && { bareMetalHost: machine.host }),
    ...(machine.address && { address: machine.address }),
    ...(machine.addresses && { addresses: machine.addresses }),
    workflowId,
    conditions: withReady(
      previous,
      { status: ready ? 'True' : 'False', reason: NOT_READY_REASON[machine.phase], message },
      context,
    ),
  };
}

/** The status right after the controller started the workflow. */
export function statusStarted(previous: NodeClaimStatus, workflowId: string, context: StatusContext): NodeClaimStatus {
  return {
    ...base(previous, context),
    phase: 'Pending',
    workflowId,
    reportedSteps: 0,
    conditions: withReady(
      previous,
      { status: 'False', reason: 'Pending', message: `Machine workflow ${workflowId} started` },
      context,
    ),
  };
}

/** The status of a claim whose spec cannot be provisioned; nothing runs until it is fixed. */
export function statusInvalid(previous: NodeClaimStatus, problem: string, context: StatusContext): NodeClaimStatus {
  return {
    ...base(previous, context),
    phase: 'Pending',
    conditions: withReady(
      previous,
      { status: 'False', reason: 'InvalidSpec', message: `${problem}; fix the NodeClaim and it is provisioned` },
      context,
    ),
  };
}

/** The status of a claim whose name is taken by a still-running Machine of an earlier NodeClaim. */
export function statusNameTaken(
  previous: NodeClaimStatus,
  workflowId: string,
  context: StatusContext,
): NodeClaimStatus {
  return {
    ...base(previous, context),
    phase: 'Pending',
    conditions: withReady(
      previous,
      {
        status: 'False',
        reason: 'NameInUse',
        message: `workflow ${workflowId} still runs the Machine of an earlier NodeClaim with this name; release it (metal3-provider machine release) and this claim is provisioned`,
      },
      context,
    ),
  };
}

/**
 * A closed workflow's last status, with the phase it ended in: a workflow terminated or timed out
 * mid-way never wrote Released or Failed, so its last phase (say, Provisioning) would mislead.
 */
export function closedMachineStatus(status: MachineStatus, closedAs: string): MachineStatus {
  if (status.phase === 'Released' || status.phase === 'Failed') return status;
  return {
    ...status,
    phase: 'Failed',
    details: `the Machine workflow was ${closedAs.toLowerCase().replace(/_/g, ' ')} while ${status.phase}; what it held is returned by the fleet reclaim, or release it by hand`,
  };
}

/** Equal as stored: key order does not matter. */
export function sameStatus(a: NodeClaimStatus | undefined, b: NodeClaimStatus): boolean {
  return canonical(a ?? {}) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
