import type { Command } from 'commander';
import { listProviderNamespaces } from '../activities/reclaim/pagedLists.js';
import { formatCheckReport } from '../invariants/formatCheckReport.js';
import { checkFleetInvariants } from '../invariants/readFleet.js';
import { loadKubeConfig } from '../k8s/kubeClient.js';
import { connectClient } from '../worker/temporalConnection.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `metal3-provider check`: the fleet invariants, read-only; exit status 1 on any violation. */
export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description(
      'check the fleet invariants (one host per Machine, exact restore records, addresses allocated once, ' +
        'nothing outliving its Machine) without changing anything; exit status 1 on any violation',
    )
    .option(
      '-n, --namespace <namespace>',
      'cluster namespace to check; repeatable (default: those of every NodeProvider)',
      collect,
      [],
    )
    .option(
      '--kubeconfig <file>',
      'kubeconfig of the Control Plane Cluster (default: in-cluster, KUBECONFIG, ~/.kube/config)',
    )
    .option('--json', 'print the report as JSON')
    .action(async (options: { namespace: string[]; kubeconfig?: string; json?: boolean }) => {
      const kubeConfig = loadKubeConfig(options.kubeconfig);
      const namespaces =
        options.namespace.length > 0
          ? options.namespace
          : [...new Set((await listProviderNamespaces(kubeConfig)).values())].sort();
      const client = await connectClient();
      try {
        const report = await checkFleetInvariants(kubeConfig, client, namespaces);
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatCheckReport(report));
        if (report.violations.length > 0) process.exitCode = 1;
      } finally {
        await client.connection.close();
      }
    });
}
