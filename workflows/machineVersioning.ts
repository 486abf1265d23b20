import { workflowInfo, type ContinueAsNewOptions } from '@temporalio/workflow';
import type { VersioningBehavior } from '@temporalio/common';

/**
 * How a Machine's runs move between worker builds (Worker Deployment versioning; ignored by
 * unversioned workers).
 *
 * The run that resolves, claims and provisions is PINNED to the build that started it: a provision
 * in flight never replays on other code, so changes to the provisioning path need no `patched()`.
 * Once Ready, the Machine continues as new (READY_CONTINUES_AS_NEW_PATCH) and the new run is
 * AUTO_UPGRADE: it carries only what serving, moving and releasing need, so months of Ready cost a
 * handful of events on whichever build is current, and an old build drains as soon as its
 * provisions end. Only a Ready Machine's run is continued from another, hence the test below.
 */
export function machineVersioningBehavior(): VersioningBehavior | undefined {
  const info = workflowInfo();
  // Unversioned workers (a build id but no deployment) may not declare one: the server refuses it. A
  // run whose history unversioned workers wrote gets the worker's default (worker/workerVersion.ts).
  if (!info.currentDeploymentVersion?.deploymentName) return undefined;
  return info.continuedFromExecutionRunId ? 'AUTO_UPGRADE' : 'PINNED';
}

/** Machines that reach Ready under this patch continue as new; histories from before stay in one run. */
export const READY_CONTINUES_AS_NEW_PATCH = 'ready-continues-as-new';

/**
 * The Ready run starts on the current build, and keeps the Machine's search attributes (phase, host,
 * address, node type, when the phase changed) so `machine list` and the NodeClaim controller see no change.
 */
export function readyRunOptions(): ContinueAsNewOptions {
  return { initialVersioningBehavior: 'AUTO_UPGRADE', typedSearchAttributes: workflowInfo().typedSearchAttributes };
}
