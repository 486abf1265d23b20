import type { KubeConfig } from '../k8s/kubernetesClient.js';
import type { DataConverter } from '@temporalio/common';
import { Runtime, Worker, type NativeConnection } from '@temporalio/worker';
import { createBareMetalHostCaches } from '../k8s/bareMetalHostCache.js';
import { createMachineActivities } from '../activities/machine/index.js';
import { createReclaimActivities } from '../activities/reclaim/index.js';
import type { RenderLimits } from '../render/renderLimits.js';
import { configureRenderPool } from '../render/sharedRenderPool.js';
import { PROVISIONING_TASK_QUEUE } from '../contracts/machineContract.js';
import { workflowCode } from './workflowCode.js';
import { workerDeploymentOptions, type WorkerVersion } from './workerVersion.js';

export interface ProvisioningWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  kubeConfig: KubeConfig;
  taskQueue?: string;
  /** A pre-built workflow bundle for the same data converter; default: see workflowCode(). */
  workflowBundlePath?: string;
  identity?: string;
  /** From connectWorker(): encrypts payloads when a codec key is configured. */
  dataConverter?: DataConverter;
  /** Namespace of the provider's own configuration (default `loft`); bare Secret names resolve here. */
  platformNamespace?: string;
  /** The limits templates render under (deadline, memory, step budget, output, threads); defaults otherwise. */
  renderLimits?: Partial<RenderLimits>;
  /** Register with this Worker Deployment version; unversioned (every build runs every task) when absent. */
  version?: WorkerVersion;
  /** Machine workflows kept in memory between tasks; the SDK's default (from the heap limit) when absent. */
  maxCachedWorkflows?: number;
}

/** Task queue metal3-provisioning: Machine workflows and the Kubernetes activities they call. */
export async function createProvisioningWorker(options: ProvisioningWorkerOptions): Promise<Worker> {
  // The process's render pool, which writeMachineData renders in, takes the worker's limits.
  if (options.renderLimits !== undefined) configureRenderPool(options.renderLimits);
  // One watch-backed cache of BareMetalHosts per cluster namespace, shared by every claim and wait of this worker.
  const hostCaches = createBareMetalHostCaches(options.kubeConfig, {
    warn: (details, message) => {
      Runtime.instance().logger.warn(message, details);
    },
  });
  const worker = await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? PROVISIONING_TASK_QUEUE,
    ...workflowCode(options.workflowBundlePath, options.dataConverter),
    activities: {
      ...createMachineActivities({
        kubeConfig: options.kubeConfig,
        hostCaches,
        ...(options.platformNamespace !== undefined && { platformNamespace: options.platformNamespace }),
      }),
      ...createReclaimActivities({ kubeConfig: options.kubeConfig }),
    },
    ...(options.identity && { identity: options.identity }),
    ...(options.dataConverter && { dataConverter: options.dataConverter }),
    ...(options.version && { workerDeploymentOptions: workerDeploymentOptions(options.version) }),
    ...(options.maxCachedWorkflows !== undefined && { maxCachedWorkflows: options.maxCachedWorkflows }),
    // Waiting activities heartbeat; on SIGTERM they get time to record where they were.
    shutdownGraceTime: '10 seconds',
  });
  // The caches' watches would keep the process alive: they end when the worker has stopped running.
  const run = worker.run.bind(worker);
  worker.run = async () => {
    try {
      await run();
    } finally {
      await hostCaches.stop();
    }
  };
  return worker;
}
