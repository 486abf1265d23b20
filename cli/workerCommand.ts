import type { Command } from 'commander';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { pino } from 'pino';
import { registerBootWorkerCommand } from './bootWorkerCommand.js';
import { loadKubeConfig } from '../k8s/kubeClient.js';
import { createProvisioningWorker } from '../worker/provisioningWorker.js';
import { connectWorker } from '../worker/temporalConnection.js';
import { PROVISIONING_TASK_QUEUE } from '../contracts/machineContract.js';
import { platformNamespaceOption } from './platformNamespaceOption.js';
import { addRenderLimitOptions, renderLimitsOf, type RenderLimitFlags } from './renderLimitOptions.js';
import { addWorkerTuningOptions, workerTuningOf, type WorkerTuningFlags } from './workerTuningOptions.js';
import { addWorkerVersionOptions, workerVersionOf, type WorkerVersionFlags } from './workerVersionOptions.js';

/** Bucket bounds of metal3_machine_step_duration, in milliseconds: 100 ms to 2 h. */
const STEP_DURATION_BUCKETS_MS = [
  100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_200_000, 1_800_000,
  3_600_000, 7_200_000,
];

interface ProvisioningWorkerFlags extends RenderLimitFlags, WorkerVersionFlags, WorkerTuningFlags {
  kubeconfig?: string;
  metricsAddress: string;
  taskQueue: string;
  platformNamespace: string;
}

const PINO_LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** `worker provisioning`: the Machine workflows and their Kubernetes activities. */
export function registerWorkerCommand(program: Command): void {
  const worker = program.command('worker').description('run a Temporal worker');
  registerBootWorkerCommand(worker);
  const provisioning = worker
    .command('provisioning')
    .description('task queue metal3-provisioning: Machine lifecycles (Temporal settings from envconfig)')
    .option(
      '--kubeconfig <file>',
      'kubeconfig of the Control Plane Cluster (default: in-cluster, KUBECONFIG, ~/.kube/config)',
    )
    .option('--metrics-address <host:port>', 'serve Prometheus metrics here', '127.0.0.1:9464')
    .option('--task-queue <name>', 'task queue to poll', PROVISIONING_TASK_QUEUE)
    .addOption(platformNamespaceOption());
  addWorkerTuningOptions(addRenderLimitOptions(addWorkerVersionOptions(provisioning))).action(
    async (options: ProvisioningWorkerFlags) => {
      const log = pino({ name: 'metal3-provider', base: { worker: 'provisioning' } });
      Runtime.install({
        // SDK log lines go through the same structured logger as ours, with their workflow and activity context.
        logger: new DefaultLogger('INFO', ({ level, message, meta }) => {
          log[PINO_LEVELS[level]](meta ?? {}, message);
        }),
        telemetryOptions: {
          metrics: {
            prometheus: {
              bindAddress: options.metricsAddress,
              // Steps last from milliseconds (Kubernetes writes) to an hour (the OS install): the SDK's
              // default buckets end at 10 s, which would put every provision in +Inf.
              histogramBucketOverrides: { metal3_machine_step_duration: STEP_DURATION_BUCKETS_MS },
            },
          },
        },
      });
      const { connection, namespace, dataConverter } = await connectWorker();
      const version = workerVersionOf(options);
      const running = await createProvisioningWorker({
        connection,
        namespace,
        dataConverter,
        kubeConfig: loadKubeConfig(options.kubeconfig),
        taskQueue: options.taskQueue,
        platformNamespace: options.platformNamespace,
        renderLimits: renderLimitsOf(options),
        ...workerTuningOf(options),
        ...(version && { version }),
      });
      log.info(
        {
          namespace,
          taskQueue: options.taskQueue,
          platformNamespace: options.platformNamespace,
          renderLimits: renderLimitsOf(options),
          metrics: options.metricsAddress,
          encryptedPayloads: dataConverter !== undefined,
          version: version ?? 'unversioned',
          maxCachedWorkflows: options.maxCachedWorkflows ?? 'from the heap limit',
        },
        'provisioning worker started',
      );
      // Runtime.install shuts the worker down gracefully on SIGINT and SIGTERM.
      await running.run();
      await connection.close();
      log.info('provisioning worker stopped');
    },
  );
}
