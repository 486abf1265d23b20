import type { MachinePhase, MachineStatus } from '../contracts/machineContract.js';

/**
 * The reconcile decision, without I/O: from what the NodeClaim says and what its Machine workflow
 * reports, the one thing to do next. The reconciler carries it out and reconciles again, so each
 * step is small and safe to repeat after a crash or a lost leadership.
 */

/** What the controller found in Temporal for the claim's workflow id. */
export type MachineObservation =
  /** No workflow of that id, or only a finished one of an earlier NodeClaim with the same name. */
  | { kind: 'absent' }
  /** A running workflow started for an earlier NodeClaim with the same name (different uid). */
  | { kind: 'foreign'; status: MachineStatus }
  /** The workflow of this claim; `running` false once it has closed (Released, Failed, terminated…). */
  | { kind: 'found'; running: boolean; status: MachineStatus; closedAs?: string };

export interface ClaimView {
  /** metadata.deletionTimestamp is set. */
  deleting: boolean;
  /** Our finalizer is on the claim. */
  hasFinalizer: boolean;
  /** Why the spec cannot be provisioned (schema refinements the CRD cannot express); undefined when it can. */
  specProblem?: string;
  /** The controller already asked this claim's Machine to release (status.releaseRequestedAt). */
  releaseRequested: boolean;
  /**
   * The controller already started this claim's workflow (status.workflowId). If Temporal no longer
   * has it (a closed workflow past its retention), the Machine is not provisioned a second time.
   */
  started: boolean;
}

export type ClaimAction =
  /** Not ours to act on: being deleted without our finalizer. */
  | 'ignore'
  /** Put our finalizer on first, so a deletion always goes through release. */
  | 'addFinalizer'
  /** Report the spec problem on the status; nothing runs until the claim changes. */
  | 'reportInvalid'
  /** Start the Machine workflow (idempotent: USE_EXISTING). */
  | 'start'
  /** Send `release` to the running workflow. */
  | 'release'
  /** The Machine holds nothing any more: let the NodeClaim go. */
  | 'removeFinalizer'
  /** Copy the workflow's state to the status; the workflow is doing the work. */
  | 'report';

/** Phases in which the workflow will not take another `release`, or no longer needs one. */
const RELEASING_OR_DONE: readonly MachinePhase[] = ['Releasing', 'Released', 'Failed'];

export function decideNodeClaim(claim: ClaimView, machine: MachineObservation): ClaimAction {
  if (claim.deleting) {
    if (!claim.hasFinalizer) return 'ignore';
    if (machine.kind !== 'found' || !machine.running) return 'removeFinalizer';
    if (claim.releaseRequested || RELEASING_OR_DONE.includes(machine.status.phase)) return 'report';
    return 'release';
  }
  if (!claim.hasFinalizer) return 'addFinalizer';
  if (machine.kind === 'absent') {
    if (claim.started) return 'report';
    return claim.specProblem === undefined ? 'start' : 'reportInvalid';
  }
  return 'report';
}

/** Phases that change without anyone acting: the controller polls the workflow while in them. */
const MOVING: readonly MachinePhase[] = ['Pending', 'WaitingForHost', 'Provisioning', 'Releasing'];

/**
 * When to look at the claim again: soon while the Machine moves, rarely once it is Ready or Stuck
 * (an operator acts out of band), never once the workflow has closed (only a change to the claim wakes it).
 */
export function nextLookMs(
  machine: MachineObservation,
  intervals: { pollMs: number; settledMs: number },
): number | undefined {
  if (machine.kind === 'absent') return undefined;
  if (machine.kind === 'foreign') return intervals.settledMs;
  if (!machine.running) return undefined;
  return MOVING.includes(machine.status.phase) ? intervals.pollMs : intervals.settledMs;
}
