import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { Logger } from 'pino';
import { NodeClaim, NodeClaimStatus } from '../api/nodeClaim.js';
import { formatIssue } from '../api/issues.js';
import { validateWith } from '../api/zodIssues.js';
import type { MachineClient } from '../client/machineClient.js';
import type { EventRecorder, EventSubject } from '../k8s/events.js';
import { machineWorkflowId, type MachineRef } from '../contracts/machineContract.js';
import type { ClaimEvent } from './claimEvents.js';
import { reportObservation } from './claimReport.js';
import {
  hasFinalizer,
  withFinalizer,
  withoutFinalizer,
  type NodeClaimApi,
  type StoredNodeClaim,
} from './nodeClaimApi.js';
import { sameStatus, statusInvalid, statusStarted, type StatusContext } from './nodeClaimStatus.js';
import { observeMachine } from './observeMachine.js';
import { reportLostHost } from './reportLostHost.js';
import type { HostCache } from './watchHosts.js';
import { decideNodeClaim, nextLookMs, type ClaimAction, type MachineObservation } from './reconcileNodeClaim.js';

export interface ReconcilerDeps {
  claims: NodeClaimApi;
  machines: MachineClient;
  events: EventRecorder;
  logger: Logger;
  intervals: { pollMs: number; settledMs: number };
  /** The BareMetalHosts as last seen, while this replica leads; Ready Machines' hosts are judged by it. */
  hosts?: HostCache;
  /** Called once per reconcile with the action taken. */
  onAction: (action: ClaimAction) => void;
}

/** When to reconcile the key again; undefined: only when the claim changes. */
export interface ReconcileResult {
  requeueAfterMs?: number;
}

function specProblem(stored: StoredNodeClaim): string | undefined {
  const result = validateWith(NodeClaim, {
    apiVersion: stored.apiVersion,
    kind: stored.kind,
    metadata: stored.metadata,
    spec: stored.spec,
  });
  return result.ok ? undefined : result.issues.map(formatIssue).join('; ');
}

/** The claim as the Machine workflow is given it: only what a user writes, not server-managed metadata. */
function claimToProvision(stored: StoredNodeClaim): NodeClaim {
  const { name, namespace, labels, annotations } = stored.metadata;
  return NodeClaim.parse({
    apiVersion: stored.apiVersion,
    kind: stored.kind,
    metadata: { name, namespace, ...(labels && { labels }), ...(annotations && { annotations }) },
    spec: stored.spec,
  });
}

/**
 * One reconcile of one NodeClaim: read it fresh, look at its Machine workflow, decide, do that one
 * thing, write the status when it changed, and record the Events the change stands for.
 */
export async function reconcileClaim(
  deps: ReconcilerDeps,
  key: { namespace: string; name: string },
): Promise<ReconcileResult> {
  const stored = await deps.claims.get(key.namespace, key.name);
  if (!stored) return {};
  const parsedStatus = NodeClaimStatus.safeParse(stored.status ?? {});
  const previous: NodeClaimStatus = parsedStatus.success ? parsedStatus.data : {};
  const problem = specProblem(stored);
  const view = {
    deleting: stored.metadata.deletionTimestamp !== undefined,
    hasFinalizer: hasFinalizer(stored),
    ...(problem !== undefined && { specProblem: problem }),
    releaseRequested: previous.releaseRequestedAt !== undefined,
    started: previous.workflowId !== undefined,
  };
  const machine: MachineRef = {
    namespace: key.namespace,
    name: key.name,
    ...(stored.metadata.uid && { uid: stored.metadata.uid }),
  };
  const observation: MachineObservation = view.hasFinalizer
    ? await observeMachine(deps.machines, machine)
    : { kind: 'absent' };
  const action = decideNodeClaim(view, observation);
  deps.onAction(action);
  const context: StatusContext = {
    now: new Date(),
    ...(stored.metadata.generation !== undefined && { generation: stored.metadata.generation }),
  };
  const workflowId = machineWorkflowId(machine);
  const log = deps.logger.child({ nodeClaim: `${key.namespace}/${key.name}` });
  const subject: EventSubject = {
    apiVersion: stored.apiVersion,
    kind: stored.kind,
    name: key.name,
    namespace: key.namespace,
    ...(stored.metadata.uid && { uid: stored.metadata.uid }),
  };
  const writeStatus = async (status: NodeClaimStatus, events: ClaimEvent[]): Promise<StoredNodeClaim> => {
    if (sameStatus(stored.status as NodeClaimStatus | undefined, status)) return stored;
    // Status first: the Events stand for the change it records, so a failed write records none.
    const written = await deps.claims.replaceStatus({ ...stored, status });
    for (const event of events) await deps.events.record(subject, event);
    return written;
  };

  switch (action) {
    case 'ignore':
      return {};
    case 'addFinalizer':
      await deps.claims.replace(withFinalizer(stored));
      log.info('finalizer added');
      return { requeueAfterMs: 0 };
    case 'reportInvalid': {
      const message = problem ?? 'the spec is invalid';
      const status = statusInvalid(previous, message, context);
      if (sameStatus(previous, status)) return {};
      await writeStatus(status, [{ type: 'Warning', reason: 'InvalidSpec', message }]);
      log.warn({ problem: message }, 'NodeClaim cannot be provisioned');
      return {};
    }
    case 'start': {
      const handle = await deps.machines.provisionMachine(claimToProvision(stored));
      log.info({ workflowId: handle.workflowId }, 'Machine workflow started');
      await writeStatus(statusStarted(previous, handle.workflowId, context), [
        { type: 'Normal', reason: 'MachineStarted', message: `started Machine workflow ${handle.workflowId}` },
      ]);
      return { requeueAfterMs: deps.intervals.pollMs };
    }
    case 'release':
    case 'report':
    case 'removeFinalizer': {
      let current = previous;
      const events: ClaimEvent[] = [];
      if (action === 'release') {
        await requestRelease(deps.machines, machine, log);
        current = { ...current, releaseRequestedAt: context.now.toISOString() };
        events.push({
          type: 'Normal',
          reason: 'ReleaseRequested',
          message: 'the NodeClaim is being deleted: the Machine gives back its host, address and Secrets',
        });
      }
      const report = reportObservation(current, observation, workflowId, context);
      events.push(...report.events);
      const written = await writeStatus(report.status, events);
      if (action === 'removeFinalizer') {
        await deps.claims.replace(withoutFinalizer(written));
        log.info('Machine released; finalizer removed');
        return {};
      }
      const hosts = deps.hosts;
      if (action === 'report' && hosts && (await reportLostHost({ ...deps, hosts }, machine, observation))) {
        return { requeueAfterMs: deps.intervals.pollMs };
      }
      const after = nextLookMs(observation, deps.intervals);
      return after === undefined ? {} : { requeueAfterMs: after };
    }
  }
}

/** Sends `release`; a workflow that is already releasing (or finished) rejects it, which is fine. */
async function requestRelease(machines: MachineClient, machine: MachineRef, log: Logger): Promise<void> {
  try {
    log.info({ answer: await machines.releaseMachine(machine) }, 'release requested');
  } catch (err) {
    if (!(err instanceof WorkflowUpdateFailedError)) throw err;
    log.info({ reason: err.cause?.message ?? err.message }, 'release not needed');
  }
}
