import { hostname } from 'node:os';
import { Option, type Command } from 'commander';
import { pino } from 'pino';
import { MachineClient } from '../client/machineClient.js';
import { NodeClaimController } from '../controller/nodeClaimController.js';
import { loadKubeConfig } from '../k8s/kubeClient.js';
import { DEFAULT_LEASE_TIMING } from '../k8s/leaderElection.js';
import { connectClient } from '../worker/temporalConnection.js';
import { PROVISIONING_TASK_QUEUE } from '../contracts/machineContract.js';

interface ControllerOptions {
  kubeconfig?: string;
  namespace: string;
  taskQueue: string;
  leaseName: string;
  leaseNamespace: string;
  identity: string;
  leaseDuration: string;
  renewDeadline: string;
  retryPeriod: string;
  pollInterval: string;
  phaseFeedInterval: string;
}

function positive(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${flag} must be a positive number of seconds, not "${text}"`);
  return value;
}

/** `controller`: NodeClaims in, Machine workflows out; replicas elect one leader through a Lease. */
export function registerControllerCommand(program: Command): void {
  program
    .command('controller')
    .description('reconcile NodeClaims into Machine workflows (Temporal settings from envconfig)')
    .option(
      '--kubeconfig <file>',
      'kubeconfig of the cluster holding NodeClaims (default: in-cluster, KUBECONFIG, ~/.kube/config)',
    )
    .option('-n, --namespace <namespace>', 'namespace of the NodeClaims to reconcile, or "all"', 'all')
    .option('--task-queue <name>', 'task queue the Machine workflows run on', PROVISIONING_TASK_QUEUE)
    .option(
      '--lease-name <name>',
      'name of the coordination.k8s.io Lease the replicas elect a leader with',
      'metal3-provider-controller',
    )
    .addOption(
      new Option('--lease-namespace <namespace>', 'namespace of that Lease').default(
        process.env.POD_NAMESPACE ?? 'default',
        'POD_NAMESPACE, else "default"',
      ),
    )
    .addOption(
      new Option('--identity <identity>', 'this replica in the Lease; unique per replica').default(
        `${hostname()}-${process.pid}`,
        'host name and process id',
      ),
    )
    .option(
      '--lease-duration <seconds>',
      'how long a leader that stopped renewing blocks the others',
      String(DEFAULT_LEASE_TIMING.leaseDurationSeconds),
    )
    .option(
      '--renew-deadline <seconds>',
      'how long a leader keeps acting without a successful renewal',
      String(DEFAULT_LEASE_TIMING.renewDeadlineMs / 1000),
    )
    .option(
      '--retry-period <seconds>',
      'how often the Lease is renewed or tried',
      String(DEFAULT_LEASE_TIMING.retryPeriodMs / 1000),
    )
    .option('--poll-interval <seconds>', 'how often a Machine that is still moving is looked at', '3')
    .option(
      '--phase-feed-interval <seconds>',
      'how often Temporal is asked which Machines changed phase (one visibility query; 0 turns it off)',
      '2',
    )
    .action(async (options: ControllerOptions) => {
      const log = pino({ name: 'metal3-provider', base: { component: 'controller', identity: options.identity } });
      const leaseDurationSeconds = positive('--lease-duration', options.leaseDuration);
      const controller = new NodeClaimController({
        kubeConfig: loadKubeConfig(options.kubeconfig),
        machines: new MachineClient(await connectClient(), loadKubeConfig(options.kubeconfig), options.taskQueue),
        logger: log,
        ...(options.namespace !== 'all' && { namespace: options.namespace }),
        lease: {
          name: options.leaseName,
          namespace: options.leaseNamespace,
          identity: options.identity,
          leaseDurationSeconds: Math.round(leaseDurationSeconds),
          renewDeadlineMs: positive('--renew-deadline', options.renewDeadline) * 1000,
          retryPeriodMs: positive('--retry-period', options.retryPeriod) * 1000,
        },
        pollIntervalMs: positive('--poll-interval', options.pollInterval) * 1000,
        phaseFeedIntervalMs:
          options.phaseFeedInterval === '0' ? 0 : positive('--phase-feed-interval', options.phaseFeedInterval) * 1000,
      });
      controller.start();
      log.info(
        {
          namespace: options.namespace,
          taskQueue: options.taskQueue,
          lease: `${options.leaseNamespace}/${options.leaseName}`,
        },
        'NodeClaim controller started; campaigning for leadership',
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      // A clean stop empties the Lease: another replica takes over at once instead of after the lease duration.
      await controller.stop();
      log.info('NodeClaim controller stopped');
      process.exit(0);
    });
}
