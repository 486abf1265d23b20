import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KubeConfig } from '@kubernetes/client-node';
import type { DataConverter } from '@temporalio/common';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createMachineActivities } from '../activities/machine/index.js';
import { createReclaimActivities } from '../activities/reclaim/index.js';
import { PROVISIONING_TASK_QUEUE } from '../workflows/machineContract.js';

export interface ProvisioningWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  kubeConfig: KubeConfig;
  taskQueue?: string;
  /** A pre-built workflow bundle (production); without it the workflows are bundled at start. */
  workflowBundlePath?: string;
  identity?: string;
  /** From connectWorker(): encrypts payloads when a codec key is configured. */
  dataConverter?: DataConverter;
  /** Namespace of the provider's own configuration (default `loft`); bare Secret names resolve here. */
  platformNamespace?: string;
}

/** The bundle `npm run build` writes next to the compiled worker. */
const prebuiltBundle = fileURLToPath(new URL('../workflow-bundle.js', import.meta.url));
/** Compiled (.js) or source (.ts) entry point, whichever this process runs from. */
const workflowsEntry = ['../workflows/index.js', '../workflows/index.ts']
  .map((path) => fileURLToPath(new URL(path, import.meta.url)))
  .find((path) => existsSync(path));

/** Task queue metal3-provisioning: Machine workflows and the Kubernetes activities they call. */
export async function createProvisioningWorker(options: ProvisioningWorkerOptions): Promise<Worker> {
  const bundlePath = options.workflowBundlePath ?? (existsSync(prebuiltBundle) ? prebuiltBundle : undefined);
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? PROVISIONING_TASK_QUEUE,
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: workflowsEntry }),
    activities: {
      ...createMachineActivities({
        kubeConfig: options.kubeConfig,
        ...(options.platformNamespace !== undefined && { platformNamespace: options.platformNamespace }),
      }),
      ...createReclaimActivities({ kubeConfig: options.kubeConfig }),
    },
    ...(options.identity && { identity: options.identity }),
    ...(options.dataConverter && { dataConverter: options.dataConverter }),
    // Waiting activities heartbeat; on SIGTERM they get time to record where they were.
    shutdownGraceTime: '10 seconds',
  });
}
