import type { NodeClaimStatus } from '../api/nodeClaim.js';
import { hostEvent, phaseEvent, stepEvents, type ClaimEvent } from './claimEvents.js';
import { statusFromMachine, statusNameTaken, type StatusContext } from './nodeClaimStatus.js';
import type { MachineObservation } from './reconcileNodeClaim.js';

/**
 * The status to store for what the workflow reports, and the Events for the difference from the
 * stored one. Applying the same observation to its own result yields no further Events: that is
 * what keeps a restarted controller or a new leader from repeating them.
 */
export function reportObservation(
  current: NodeClaimStatus,
  observation: MachineObservation,
  workflowId: string,
  context: StatusContext,
): { status: NodeClaimStatus; events: ClaimEvent[] } {
  if (observation.kind === 'foreign') return { status: statusNameTaken(current, workflowId, context), events: [] };
  if (observation.kind === 'absent') return { status: current, events: [] };
  const machine = observation.status;
  const status = statusFromMachine(current, machine, workflowId, context);
  const steps = stepEvents(machine.steps, current.reportedSteps ?? 0);
  status.reportedSteps = steps.reported;
  return {
    status,
    events: [
      ...steps.events,
      ...hostEvent(current.bareMetalHost, machine.host),
      ...phaseEvent(current.phase, machine.phase, machine.details),
    ],
  };
}
