import type { MachinePhase, StepRecord } from '../contracts/machineContract.js';

/**
 * The Kubernetes Events a NodeClaim gets, derived from what changed between the stored status and
 * the new one. Because the stored status is the memory (which phase was reported, how many
 * lifecycle steps were), a restarted controller or a new leader does not repeat an Event.
 */

export interface ClaimEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

const WARNING_PHASES: readonly string[] = ['HostLost', 'Stuck', 'Failed'] satisfies MachinePhase[];

/** One Event when the phase changes; HostLost, Stuck and Failed are Warnings. */
export function phaseEvent(previousPhase: string | undefined, phase: MachinePhase, details?: string): ClaimEvent[] {
  if (previousPhase === phase) return [];
  return [
    {
      type: WARNING_PHASES.includes(phase) ? 'Warning' : 'Normal',
      reason: phase,
      message: details ?? `the Machine is ${phase}`,
    },
  ];
}

/** One Event when the Machine gets a BareMetalHost (the claim step itself does not know which until it ends). */
export function hostEvent(previousHost: string | undefined, host: string | undefined): ClaimEvent[] {
  if (host === undefined || host === previousHost) return [];
  return [{ type: 'Normal', reason: 'HostClaimed', message: `claimed BareMetalHost ${host}` }];
}

/** `claimHost` → `ClaimHost`: Event reasons are CamelCase. */
export function stepReason(step: string): string {
  return step.charAt(0).toUpperCase() + step.slice(1);
}

function stepMessage(record: StepRecord): string {
  const on = record.host ? ` on BareMetalHost ${record.host}` : '';
  const took =
    record.endedAt !== undefined
      ? ` in ${((Date.parse(record.endedAt) - Date.parse(record.startedAt)) / 1000).toFixed(1)} s`
      : '';
  if (record.outcome === 'failed') return `${record.step} failed${on}: ${record.error ?? 'no details'}`;
  if (record.outcome === 'cancelled') return `${record.step} was cancelled${on}`;
  return `${record.step} finished${on}${took}`;
}

/**
 * Events for the lifecycle steps finished since `reported` (an index into the workflow's step
 * history), in order, stopping at the first step still running. Returns the new index to store.
 */
export function stepEvents(steps: readonly StepRecord[], reported: number): { events: ClaimEvent[]; reported: number } {
  const events: ClaimEvent[] = [];
  let index = Math.min(Math.max(reported, 0), steps.length);
  for (; index < steps.length; index++) {
    const record = steps[index];
    if (record?.outcome === undefined) break;
    events.push({
      type: record.outcome === 'failed' ? 'Warning' : 'Normal',
      reason: stepReason(record.step),
      message: stepMessage(record),
    });
  }
  return { events, reported: index };
}
