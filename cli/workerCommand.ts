import type { Command } from 'commander';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { pino } from 'pino';
import { registerBootWorkerCommand } from './bootWorkerCommand.js';
import { loadKubeConfig } from '../k8s/kubeClient.js';
import { createProvisioningWorker } from '../worker/provisioningWorker.js';
import { connectWorker } from '../worker/temporalConnection.js';
import { PROVISIONING_TASK_QUEUE } from '../workflows/machineContract.js';
import { platformNamespaceOption } from './platformNamespaceOption.js';
import { addRenderLimitOptions, renderLimitsOf, type RenderLimitFlags } from './renderLimitOptions.js';

interface ProvisioningWorkerFlags extends RenderLimitFlags {
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
  addRenderLimitOptions(provisioning).action(async (options: ProvisioningWorkerFlags) => {
    const log = pino({ name: 'metal3-provider', base: { worker: 'provisioning' } });
    Runtime.install({
      // SDK log lines go through the same structured logger as ours, with their workflow and activity context.
      logger: new DefaultLogger('INFO', ({ level, message, meta }) => {
        log[PINO_LEVELS[level]](meta ?? {}, message);
      }),
      telemetryOptions: { metrics: { prometheus: { bindAddress: options.metricsAddress } } },
    });
    const { connection, namespace, dataConverter } = await connectWorker();
    const running = await createProvisioningWorker({
      connection,
      namespace,
      dataConverter,
      kubeConfig: loadKubeConfig(options.kubeconfig),
      taskQueue: options.taskQueue,
      platformNamespace: options.platformNamespace,
      renderLimits: renderLimitsOf(options),
    });
    log.info(
      {
        namespace,
        taskQueue: options.taskQueue,
        platformNamespace: options.platformNamespace,
        renderLimits: renderLimitsOf(options),
        metrics: options.metricsAddress,
        encryptedPayloads: dataConverter !== undefined,
      },
      'provisioning worker started',
    );
    // Runtime.install shuts the worker down gracefully on SIGINT and SIGTERM.
    await running.run();
    await connection.close();
    log.info('provisioning worker stopped');
  });
}
