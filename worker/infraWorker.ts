import type { KubeConfig } from '../k8s/kubernetesClient.js';
import type { DataConverter } from '@temporalio/common';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createInfraActivities } from '../activities/infra/index.js';
import { BUNDLED_CHARTS_DIR } from '../api/charts/bundledCharts.js';
import { INFRA_TASK_QUEUE } from '../contracts/infraContract.js';
import { workflowCode } from './workflowCode.js';

export interface InfraWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  /** Cluster the charts are deployed to; `kubeconfigPath` is the same cluster for helm (in-cluster when absent). */
  kubeConfig: KubeConfig;
  kubeconfigPath?: string;
  helmPath: string;
  /** Default: the charts shipped with the provider. */
  chartsDir?: string;
  taskQueue?: string;
  /** A pre-built workflow bundle for the same data converter; default: see workflowCode(). */
  workflowBundlePath?: string;
  identity?: string;
  /** From connectWorker(): encrypts payloads when a codec key is configured. */
  dataConverter?: DataConverter;
}

/** Task queue metal3-infra: the deployInfrastructure workflow and its helm and rollout activities. */
export async function createInfraWorker(options: InfraWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? INFRA_TASK_QUEUE,
    ...workflowCode(options.workflowBundlePath, options.dataConverter),
    activities: createInfraActivities({
      helmPath: options.helmPath,
      ...(options.kubeconfigPath !== undefined && { kubeconfigPath: options.kubeconfigPath }),
      kubeConfig: options.kubeConfig,
      chartsDir: options.chartsDir ?? BUNDLED_CHARTS_DIR,
    }),
    ...(options.identity && { identity: options.identity }),
    ...(options.dataConverter && { dataConverter: options.dataConverter }),
    // A helm upgrade in flight gets time to finish on SIGTERM.
    shutdownGraceTime: '30 seconds',
  });
}
