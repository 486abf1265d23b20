import { proxyActivities } from '@temporalio/workflow';
import type { MachineActivities } from '../activities/machine/index.js';

/**
 * Activity stubs with timeouts and retries chosen per step. Kubernetes writes are short and retried
 * on transient errors; the waits heartbeat so that a crashed worker's wait resumes on another one.
 * Failure types the workflow handles itself are not retried here.
 */
const RELEASE_AND_CLAIM_DECISIONS = [
  'NoHostAvailable',
  'HostNotEligible',
  'AddressPoolExhausted',
  'InvalidNetworkConfig',
];

/** Typed failures of an attempt to provision a host (BMO error types, or BMO giving up on the attempt). */
export const PROVISIONING_FAILURE_TYPES = [
  'ProvisioningError',
  'RegistrationError',
  'InspectionError',
  'PreparationError',
  'PowerManagementError',
  'HostError',
  'HostDeprovisioned',
];

/** resolve, claim, allocate, render, configure, release, free, delete: one Kubernetes round trip or a few. */
export const shortSteps = proxyActivities<MachineActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 20,
    nonRetryableErrorTypes: [...RELEASE_AND_CLAIM_DECISIONS, 'ConfigInvalid', 'HostNotClaimed', 'HostDeleted'],
  },
});

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
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['HostNotReleased'] },
});
