import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_WORKER_DEPLOYMENT, WorkerVersionSchema, type WorkerVersion } from '../worker/workerVersion.js';

/** What the options below leave on a command's parsed options. */
export interface WorkerVersionFlags {
  deploymentName: string;
  buildId?: string;
}

function checked(field: 'deploymentName' | 'buildId', flag: string) {
  return (value: string): string => {
    const result = WorkerVersionSchema.shape[field].safeParse(value);
    if (!result.success) throw new InvalidArgumentError(`${flag} "${value}": ${result.error.issues[0]?.message}`);
    return value;
  };
}

/** `--build-id` turns Worker Deployment versioning on; without it the worker runs unversioned. */
export function addWorkerVersionOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--build-id <id>',
        'register with the Worker Deployment as this build (e.g. the image tag): Machines provision on the build ' +
          'that started them and Ready Machines move to the current one; unset: unversioned',
      )
        .env('METAL3_PROVIDER_BUILD_ID')
        .argParser(checked('buildId', '--build-id')),
    )
    .addOption(
      new Option('--deployment-name <name>', 'Worker Deployment of the provisioning workers (with --build-id)')
        .env('METAL3_PROVIDER_WORKER_DEPLOYMENT')
        .argParser(checked('deploymentName', '--deployment-name'))
        .default(DEFAULT_WORKER_DEPLOYMENT),
    );
}

export function workerVersionOf(flags: WorkerVersionFlags): WorkerVersion | undefined {
  return flags.buildId === undefined ? undefined : { deploymentName: flags.deploymentName, buildId: flags.buildId };
}
