import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../devstack/devstack.js';
import { runCommand } from '../../devstack/runCommand.js';
import type { TestEnv } from './testEnv.js';

/** The environment pointing the CLI at the test's Temporal and cluster. */
function cliEnv(testEnv: TestEnv): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TEMPORAL_ADDRESS: testEnv.temporal.address,
    TEMPORAL_NAMESPACE: testEnv.temporal.namespace,
    KUBECONFIG: testEnv.kubeconfigPath,
  };
}

/** Runs one `metal3-provider` command against the test's Temporal and cluster, to completion. */
export function runCli(testEnv: TestEnv, ...args: string[]): ReturnType<typeof runCommand> {
  return runCommand(process.execPath, [join(projectRoot, 'bin', 'metal3-provider.js'), ...args], {
    env: cliEnv(testEnv),
  });
}

/**
 * A real `worker provisioning` process (the CLI, as in production) on the test's task queue, for the
 * tests that kill, starve or upgrade it. `args` add flags; `env` adds environment variables.
 */
export function startProvisioningWorker(
  testEnv: TestEnv,
  options: { metricsPort: number; args?: string[]; env?: Record<string, string> },
): ChildProcess {
  return spawn(
    process.execPath,
    [
      join(projectRoot, 'bin', 'metal3-provider.js'),
      'worker',
      'provisioning',
      '--task-queue',
      testEnv.taskQueue,
      '--metrics-address',
      `127.0.0.1:${options.metricsPort}`,
      ...(options.args ?? []),
    ],
    {
      env: { ...cliEnv(testEnv), ...options.env },
      stdio: 'ignore',
    },
  );
}

/** SIGKILLs a worker process (unless it has exited) and waits for it to be gone. */
export async function killWorker(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return;
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  worker.kill('SIGKILL');
  await exited;
}
