import type { WorkerDeploymentOptions } from '@temporalio/worker';
import { z } from 'zod';

/** The Worker Deployment a provisioning worker registers with when versioning is on. */
export const DEFAULT_WORKER_DEPLOYMENT = 'metal3-provider-provisioning';

/**
 * A provisioning worker's Worker Deployment version. The build id names the workflow code (e.g. the
 * image tag): every worker with the same build id must run the same code.
 */
export const WorkerVersionSchema = z.object({
  deploymentName: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'letters, digits, "-" and "_", starting with a letter or digit'),
  // The characters of an image tag, so the tag itself can be the build id.
  buildId: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'an image tag: letters, digits, "_", "." and "-", at most 128'),
});
export type WorkerVersion = z.infer<typeof WorkerVersionSchema>;

/**
 * Versioned: Machine workflows declare their own behaviour (workflows/machineVersioning.ts). The
 * default covers the rest: Machines started before versioning was turned on move to the current
 * build as they did unversioned (their changes stay guarded by `patched()`), and so does a fleet
 * reclaim, whose steps are each idempotent.
 */
export function workerDeploymentOptions(version: WorkerVersion): WorkerDeploymentOptions {
  return { version, useWorkerVersioning: true, defaultVersioningBehavior: 'AUTO_UPGRADE' };
}
