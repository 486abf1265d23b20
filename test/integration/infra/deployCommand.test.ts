import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { projectRoot } from '../../../devstack/devstack.js';
import { runCommand } from '../../../devstack/runCommand.js';
import { createInfraWorker } from '../../../worker/infraWorker.js';
import { RELEASE_NAMES } from '../../../contracts/infraContract.js';
import { readSpecExample } from '../../support/specExamples.js';
import { useTestEnv } from '../../support/testEnv.js';
import { markReady, releaseWorkloadsInCluster } from './playController.js';

// `metal3-provider deploy` as users run it: a NodeProvider file, envconfig variables for Temporal.
// The NodeProvider deploys Metal3 only, with the spec's metal3 fragment as its deploy block.
const env = useTestEnv();
let connection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let file: string;

function deploy(...args: string[]) {
  return runCommand(process.execPath, [join(projectRoot, 'bin', 'metal3-provider.js'), 'deploy', ...args], {
    env: { ...process.env, TEMPORAL_ADDRESS: env.temporal.address, TEMPORAL_NAMESPACE: env.temporal.namespace },
  });
}

beforeAll(async () => {
  const provider = parse(await readSpecExample('nodeprovider-get-started.yaml')) as {
    metadata: { name: string };
    spec: { metal3: { deploy?: unknown } };
  };
  const fragment = parse(await readSpecExample('deploy-metal3-fragment.yaml')) as { deploy: unknown };
  provider.metadata.name = `cli-${env.namespace}`;
  provider.spec.metal3.deploy = fragment.deploy;
  file = join(tmpdir(), `nodeprovider-${env.namespace}.yaml`);
  await writeFile(file, stringify(provider));
  connection = await NativeConnection.connect({ address: env.temporal.address });
  worker = await createInfraWorker({
    connection,
    namespace: env.temporal.namespace,
    kubeConfig: env.kubeConfig,
    kubeconfigPath: env.kubeconfigPath,
    helmPath: env.helmPath,
    taskQueue: env.taskQueue,
    workflowBundlePath: env.workflowBundlePath,
  });
  running = worker.run();
});

afterAll(async () => {
  worker.shutdown();
  await running;
  await connection.close();
});

describe('metal3-provider deploy', () => {
  it('starts the deployment, follows it and prints each component outcome; a second run changes nothing', async () => {
    const first = deploy('-f', file, '-n', env.namespace, '--task-queue', env.taskQueue);
    // Play the controller once the release's Deployments exist.
    let workloads: Awaited<ReturnType<typeof releaseWorkloadsInCluster>> = [];
    await expect
      .poll(
        async () => {
          workloads = await releaseWorkloadsInCluster(env.kubeConfig, RELEASE_NAMES.metal3, [env.namespace]);
          return workloads.length;
        },
        { timeout: 60_000, interval: 250 },
      )
      .toBe(2);
    for (const workload of workloads) await markReady(env.kubeConfig, workload);
    const result = await first;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`started infra/cli-${env.namespace} (namespace ${env.namespace})`);
    expect(result.stdout).toMatch(/^metal3: installed \(release metal3, revision 1, chart metal3-\d+\.\d+\.\d+\)$/m);
    expect(result.stdout).toContain('dhcp: skipped (disabled; left as it is)');
    expect(result.stdout).toContain('multus: skipped (disabled; left as it is)');
    expect(result.stdout.trimEnd().endsWith('deployed')).toBe(true);

    const again = await deploy('-f', file, '-n', env.namespace, '--task-queue', env.taskQueue);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^metal3: unchanged \(release metal3, revision 1, /m);
  });

  it('refuses a NodeProvider whose helmValues are not a mapping, naming the line, before starting anything', async () => {
    const broken = join(tmpdir(), `nodeprovider-broken-${env.namespace}.yaml`);
    const provider = parse(await readSpecExample('nodeprovider-get-started.yaml')) as {
      metadata: { name: string };
      spec: { metal3: { deploy?: unknown } };
    };
    provider.metadata.name = `broken-${env.namespace}`;
    provider.spec.metal3.deploy = { metal3: { enabled: true, helmValues: 'just a string' } };
    await writeFile(broken, stringify(provider));
    const result = await deploy('-f', broken, '-n', env.namespace, '--task-queue', env.taskQueue);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /:\d+: spec\.metal3\.deploy\.metal3\.helmValues: must be a YAML mapping \(key: value lines\), not a single string\n$/,
    );
    expect(result.stderr.startsWith(broken)).toBe(true);
    expect(result.stdout).toBe('');
  });
});
