import { readFile } from 'node:fs/promises';
import { WorkflowFailedError } from '@temporalio/client';
import type { Command } from 'commander';
import { ConfigFileError, loadYamlConfig } from '../api/validateText.js';
import { deploymentInput, followDeployment, startDeployment } from '../client/infraDeployment.js';
import { connectClient } from '../worker/temporalConnection.js';
import { INFRA_TASK_QUEUE } from '../contracts/infraContract.js';

interface DeployCommandOptions {
  file: string;
  namespace?: string;
  taskQueue: string;
  rolloutTimeout: string;
  wait: boolean;
}

/** "90s", "15m", "1h" or plain milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new Error(`${JSON.stringify(text)} is not a duration; use e.g. 90s, 15m or 1h`);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 'ms'] ?? 1;
  return Number(match[1]) * factor;
}

/** `metal3-provider deploy -f nodeprovider.yaml`: deploys the NodeProvider's infrastructure with Helm. */
export function registerDeployCommand(program: Command): void {
  program
    .command('deploy')
    .description(
      "deploy a NodeProvider's infrastructure (spec.metal3.deploy: Metal3, the DHCP server, Multus) with Helm, " +
        'through the metal3-infra worker; a running deployment of the same provider is replaced',
    )
    .requiredOption('-f, --file <file>', 'YAML file with the NodeProvider')
    .option('-n, --namespace <namespace>', 'namespace of the releases (default: spec.metal3.clusterRef.namespace)')
    .option('--task-queue <name>', 'task queue of the infrastructure worker', INFRA_TASK_QUEUE)
    .option('--rollout-timeout <duration>', 'how long each component may take to report ready', '15m')
    .option('--no-wait', 'start the deployment and return')
    .action(async (options: DeployCommandOptions) => {
      let documents;
      try {
        documents = loadYamlConfig(await readFile(options.file, 'utf8'), options.file);
      } catch (error) {
        if (!(error instanceof ConfigFileError)) throw error;
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 2;
        return;
      }
      const providers = documents.flatMap((d) => (d.kind === 'NodeProvider' ? [d.value] : []));
      if (providers.length !== 1)
        throw new Error(`${options.file} must hold exactly one NodeProvider; it holds ${providers.length}`);
      const [provider] = providers as [(typeof providers)[number]];
      const input = deploymentInput(provider, {
        ...(options.namespace !== undefined && { namespace: options.namespace }),
        rolloutTimeoutMs: parseDuration(options.rolloutTimeout),
      });
      const handle = await startDeployment(await connectClient(), input, { taskQueue: options.taskQueue });
      process.stdout.write(`started ${handle.workflowId} (namespace ${input.namespace})\n`);
      if (!options.wait) return;
      try {
        await followDeployment(handle, (line) => process.stdout.write(`${line}\n`));
        process.stdout.write('deployed\n');
      } catch (error) {
        if (!(error instanceof WorkflowFailedError)) throw error;
        process.stderr.write(`deployment failed: ${error.cause?.message ?? error.message}\n`);
        process.exitCode = 1;
      }
    });
}
