import type { Command } from 'commander';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { pino } from 'pino';
import { splitHostPort } from '../dhcp/udp/udpSocket.js';
import { loadKubeConfig } from '../k8s/kubeClient.js';
import { startBootWorker } from '../worker/bootWorker.js';
import { findHelm, HelmNotFoundError } from '../worker/helmBinary.js';
import { connectWorker } from '../worker/temporalConnection.js';
import { INFRA_TASK_QUEUE } from '../contracts/infraContract.js';
import {
  addBootServerOptions,
  bootServerConfigOrExit,
  startHostSources,
  type BootServerOptions,
} from './bootServerOptions.js';

interface BootWorkerCommandOptions extends BootServerOptions {
  metricsAddress: string;
  temporalMetricsAddress: string;
  taskQueue: string;
  helm?: string;
  chartsDir?: string;
}

const PINO_LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

function address(flag: string, value: string): { host: string; port: number } {
  const parsed = splitHostPort(value);
  if (!parsed) throw new Error(`${flag} ${JSON.stringify(value)} is not host:port`);
  return parsed;
}

/** The helm to deploy with, or undefined after saying on stderr why there is none (exit code 2). */
function helmOrExit(flag: string | undefined): string | undefined {
  try {
    return findHelm(flag);
  } catch (error) {
    if (!(error instanceof HelmNotFoundError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
    return undefined;
  }
}

/** `worker boot`: the boot servers fed by the BareMetalHost watch, and task queue metal3-infra. */
export function registerBootWorkerCommand(worker: Command): void {
  addBootServerOptions(
    worker
      .command('boot')
      .description(
        'DHCP/TFTP/HTTP boot servers and IPA proxies for BareMetalHosts, plus task queue metal3-infra ' +
          '(infrastructure deployment with helm); Temporal settings from envconfig',
      ),
  )
    .option('--metrics-address <host:port>', 'serve /healthz, /readyz and the boot metrics here', '127.0.0.1:9465')
    .option(
      '--temporal-metrics-address <host:port>',
      "serve the Temporal worker's Prometheus metrics here",
      '127.0.0.1:9466',
    )
    .option('--task-queue <name>', 'task queue to poll', INFRA_TASK_QUEUE)
    .option('--helm <path>', 'helm binary (default: HELM_PATH, then helm on PATH)')
    .option('--charts-dir <dir>', 'folder of the bundled charts (default: the charts shipped with the provider)')
    .action(async (options: BootWorkerCommandOptions) => {
      const log = pino({ level: options.logLevel, name: 'metal3-provider', base: { worker: 'boot' } });
      const config = await bootServerConfigOrExit(options);
      if (!config) return;
      const metrics = address('--metrics-address', options.metricsAddress);
      const helmPath = helmOrExit(options.helm);
      if (helmPath === undefined) return;
      Runtime.install({
        logger: new DefaultLogger('INFO', ({ level, message, meta }) => {
          log[PINO_LEVELS[level]](meta ?? {}, message);
        }),
        telemetryOptions: { metrics: { prometheus: { bindAddress: options.temporalMetricsAddress } } },
      });
      const kubeConfig = loadKubeConfig(options.kubeconfig);
      const { connection, namespace, dataConverter } = await connectWorker();
      const running = await startBootWorker({
        boot: { config, bootFilesDir: options.bootFilesDir },
        startHostSource: (index) => startHostSources(options, () => kubeConfig, index, log),
        temporal: { connection, namespace, taskQueue: options.taskQueue, ...(dataConverter && { dataConverter }) },
        infra: {
          kubeConfig,
          ...(options.kubeconfig !== undefined && { kubeconfigPath: options.kubeconfig }),
          helmPath,
          ...(options.chartsDir !== undefined && { chartsDir: options.chartsDir }),
        },
        metrics,
        logger: log,
      });
      log.info(
        {
          namespace,
          taskQueue: options.taskQueue,
          health: running.healthUrl,
          temporalMetrics: options.temporalMetricsAddress,
          helm: helmPath,
          encryptedPayloads: dataConverter !== undefined,
        },
        'boot worker started',
      );
      // Runtime.install shuts the Temporal worker down on SIGINT and SIGTERM; the servers follow it.
      await running.done;
      await connection.close();
      log.info(
        {
          dhcp: running.servers.dhcp.stats,
          tftp: running.servers.tftp?.stats,
          http: running.servers.http.stats,
          callbackProxy: running.servers.callback?.stats,
        },
        'boot worker stopped',
      );
    });
}
