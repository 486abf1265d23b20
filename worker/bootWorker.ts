import type { KubeConfig } from '../k8s/kubernetesClient.js';
import type { DataConverter } from '@temporalio/common';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { BootServerConfig } from '../dhcp/config/bootServerConfig.js';
import { startBootServers, type BootServers } from '../dhcp/bootServers.js';
import { LeaseAddressIndex } from '../dhcp/hosts/leaseAddressIndex.js';
import { bootMetricFamilies } from './bootMetrics.js';
import { HealthServer, Readiness } from './bootHealth.js';
import { createInfraWorker } from './infraWorker.js';
import { renderPrometheusText } from './prometheusText.js';

export interface BootWorkerOptions {
  boot: { config: BootServerConfig; bootFilesDir: string };
  /** Fills the host index (hosts file, BareMetalHost watch); resolves once synced, returns its stop. */
  startHostSource: (index: LeaseAddressIndex) => Promise<() => Promise<void>>;
  temporal: {
    connection: NativeConnection;
    namespace: string;
    taskQueue?: string;
    workflowBundlePath?: string;
    identity?: string;
    /** From connectWorker(): encrypts payloads when a codec key is configured. */
    dataConverter?: DataConverter;
  };
  infra: { kubeConfig: KubeConfig; kubeconfigPath?: string; helmPath: string; chartsDir?: string };
  /** `--metrics-address`: /healthz, /readyz and /metrics. */
  metrics: { host: string; port: number };
  logger: Logger;
}

export interface BootWorker {
  /** `http://host:port` of the health and metrics listener. */
  healthUrl: string;
  readiness: Readiness;
  servers: BootServers;
  /** Settles when the Temporal worker has stopped and everything else is closed. */
  done: Promise<void>;
  /** Stops the Temporal worker (in-flight activities get their grace time), then the rest. */
  stop(): Promise<void>;
}

/** Readiness conditions, in start order. */
export const READINESS = ['host-index', 'boot-servers', 'temporal-worker'] as const;

/**
 * The boot worker: the health and metrics listener first (so probes answer while starting), then the
 * host index, the boot servers fed by it, and the metal3-infra Temporal worker. Ready once all three
 * run; when the Temporal worker stops (SIGTERM through the Runtime, or `stop()`), the rest closes.
 */
export async function startBootWorker(options: BootWorkerOptions): Promise<BootWorker> {
  const { logger } = options;
  const readiness = new Readiness(READINESS);
  let servers: BootServers | undefined;
  const health = new HealthServer({
    host: options.metrics.host,
    port: options.metrics.port,
    readiness,
    logger: logger.child({ server: 'health' }),
    metrics: () =>
      servers
        ? renderPrometheusText(
            bootMetricFamilies({
              dhcp: servers.dhcp.stats,
              ...(servers.tftp && { tftp: servers.tftp.stats }),
              http: servers.http.stats,
              proxies: {
                'ironic-http': servers.http.proxyStats,
                ...(servers.callback && { callback: servers.callback.stats }),
              },
            }),
          )
        : '',
  });
  await health.start();
  const cleanups: (() => Promise<void>)[] = [() => health.close()];
  const closeAll = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  let worker: Worker;
  try {
    const index = new LeaseAddressIndex();
    const stopHosts = await options.startHostSource(index);
    cleanups.push(stopHosts);
    readiness.set('host-index', true);
    const booted = await startBootServers(options.boot.config, options.boot.bootFilesDir, index, logger);
    servers = booted;
    cleanups.push(() => booted.close());
    readiness.set('boot-servers', true);
    worker = await createInfraWorker({ ...options.temporal, ...options.infra });
  } catch (error) {
    await closeAll();
    throw error;
  }
  const running = worker.run();
  // The SDK has no state event; a short poll keeps readiness true to the worker's state.
  const watchState = setInterval(() => {
    readiness.set('temporal-worker', worker.getState() === 'RUNNING');
  }, 200);
  readiness.set('temporal-worker', worker.getState() === 'RUNNING');
  const done = running.finally(async () => {
    clearInterval(watchState);
    readiness.set('temporal-worker', false);
    await closeAll();
  });
  const started = servers;
  return {
    healthUrl: health.url,
    readiness,
    servers: started,
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
