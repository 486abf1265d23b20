import { patched, proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import { HostFailureType } from '../contracts/hostFailureTypes.js';
import { IpamFailureType } from '../contracts/ipamFailureTypes.js';
import { CONFIG_INVALID } from '../contracts/machineContract.js';
import type { MachineActivities } from '../contracts/machineActivityContract.js';

/**
 * Activity stubs with timeouts and retries chosen per step. Kubernetes writes are short and retried
 * on transient errors; the waits heartbeat so that a crashed worker's wait resumes on another one.
 * Failure types the workflow handles itself are not retried here.
 */
/** Failures the workflow decides about itself (wait, or ask the operator) instead of retrying blindly. */
const DECIDED_BY_WORKFLOW = [
  HostFailureType.NoHostAvailable,
  HostFailureType.HostNotEligible,
  IpamFailureType.AddressPoolExhausted,
  IpamFailureType.InvalidNetworkConfig,
];

/** Typed failures of an attempt to provision a host (BMO error types, or BMO giving up on the attempt). */
export const PROVISIONING_FAILURE_TYPES: string[] = [
  HostFailureType.ProvisioningError,
  HostFailureType.RegistrationError,
  HostFailureType.InspectionError,
  HostFailureType.PreparationError,
  HostFailureType.PowerManagementError,
  HostFailureType.HostError,
  HostFailureType.HostDeprovisioned,
];

/** resolve, claim, allocate, render, configure, release, free, delete: one Kubernetes round trip or a few. */
const SHORT_STEP_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 20,
    nonRetryableErrorTypes: [
      ...DECIDED_BY_WORKFLOW,
      CONFIG_INVALID,
      HostFailureType.HostNotClaimed,
      HostFailureType.HostDeleted,
    ],
  },
};
/** The short steps as (remote) activities: the fleet reclaim's, and Machines' from before the patch. */
export const shortStepActivities = proxyActivities<MachineActivities>(SHORT_STEP_OPTIONS);
// Retries beyond a few seconds wait on a durable timer rather than inside the workflow task.
const localShortSteps = proxyLocalActivities<MachineActivities>({
  ...SHORT_STEP_OPTIONS,
  localRetryThreshold: '5 seconds',
});

/** Workflows started since this patch run their short steps as local activities. */
export const LOCAL_SHORT_STEPS_PATCH = 'short-steps-as-local-activities';

/**
 * The short Kubernetes steps. As local activities each costs one marker event instead of three
 * activity events and a workflow task of its own, which brings a provision-and-release from 80
 * history events to about 40 and halves the server's work per Machine. They are idempotent, so a
 * worker lost mid-step only means the next workflow task runs the step again. Histories from
 * before the patch replay as they were recorded: with activities.
 */
export function shortSteps(): typeof shortStepActivities {
  return patched(LOCAL_SHORT_STEPS_PATCH) ? localShortSteps : shortStepActivities;
}

/** Waiting for Ironic: as long as the provision deadline allows, heartbeating every few seconds. */
export function provisioningWait(deadlineMs: number): Pick<MachineActivities, 'awaitProvisioned'> {
  return proxyActivities<MachineActivities>({
    scheduleToCloseTimeout: deadlineMs,
    heartbeatTimeout: '30 seconds',
    retry: {
      initialInterval: '1 second',
      maximumInterval: '10 seconds',
      nonRetryableErrorTypes: PROVISIONING_FAILURE_TYPES,
    },
  });
}

/** Deprovisioning and cleaning can take long on real hardware; heartbeats catch a lost worker. */
export const releaseWait = proxyActivities<MachineActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: [HostFailureType.HostNotReleased],
  },
});
