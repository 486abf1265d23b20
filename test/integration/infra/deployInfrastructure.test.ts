import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { NodeProvider } from '../../../api/nodeProvider.js';
import { deploymentInput, startDeployment } from '../../../client/infraDeployment.js';
import { runCommand } from '../../../devstack/runCommand.js';
import { createInfraWorker } from '../../../worker/infraWorker.js';
import {
  RELEASE_NAMES,
  infraStatusQuery,
  type DeployInfrastructureInput,
  type InfraComponent,
} from '../../../contracts/infraContract.js';
import { recordHistory } from '../../support/recordHistory.js';
import { readSpecExample } from '../../support/specExamples.js';
import { useTestEnv } from '../../support/testEnv.js';
import { markReady, releaseWorkloadsInCluster } from './playController.js';

// The spec's full NodeProvider example deployed onto the devstack apiserver with the bundled charts
// and the real helm. Nothing runs pods there, so the test writes the workloads' ready status itself
// and checks that the workflow waited for exactly that.
const env = useTestEnv();
let connection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let input: DeployInfrastructureInput;

async function helmJson(...args: string[]): Promise<unknown> {
  const result = await runCommand(env.helmPath, [...args, '--kubeconfig', env.kubeconfigPath, '-o', 'json']);
  if (result.code !== 0) throw new Error(`helm ${args.join(' ')}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

async function releases(): Promise<Record<string, { revision: string; status: string }>> {
  const rows = (await helmJson('list', '--namespace', env.namespace, '--all')) as {
    name: string;
    revision: string;
    status: string;
  }[];
  return Object.fromEntries(rows.map((row) => [row.name, { revision: row.revision, status: row.status }]));
}

/** Each component in turn: waits until the workflow waits for its rollout, checks it keeps waiting, marks it ready. */
async function playRollouts(
  handle: Awaited<ReturnType<typeof startDeployment>>,
  components: InfraComponent[],
): Promise<void> {
  for (const component of components) {
    const step = async () =>
      (await handle.query(infraStatusQuery)).components.find((c) => c.component === component)?.step;
    await expect.poll(step, { timeout: 60_000, interval: 200 }).toBe('waiting-for-rollout');
    const workloads = await releaseWorkloadsInCluster(env.kubeConfig, RELEASE_NAMES[component], [
      env.namespace,
      'kube-system',
    ]);
    expect(workloads.length).toBeGreaterThan(0);
    // Several readiness polls later the workflow still waits: nothing reported ready yet.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await step()).toBe('waiting-for-rollout');
    for (const workload of workloads) await markReady(env.kubeConfig, workload);
    await expect.poll(step, { timeout: 30_000, interval: 200 }).toBe('done');
  }
}

beforeAll(async () => {
  const provider = NodeProvider.parse(parse(await readSpecExample('nodeprovider-full.yaml')));
  input = {
    ...deploymentInput(
      { ...provider, metadata: { ...provider.metadata, name: `full-${env.namespace}` } },
      { namespace: env.namespace, rolloutTimeoutMs: 120_000 },
    ),
    rolloutPollMs: 200,
  };
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

describe('deployInfrastructure', () => {
  it('installs Multus, Metal3 and the DHCP server of the full example, each after the previous one is ready', async () => {
    expect(['metal3', 'dhcp', 'multus'].map((c) => input.deploy[c as InfraComponent]?.enabled)).toEqual([
      true,
      true,
      true,
    ]);
    const handle = await startDeployment(env.temporal.client, input, { taskQueue: env.taskQueue });
    expect(handle.workflowId).toBe(`infra/full-${env.namespace}`);
    await playRollouts(handle, ['multus', 'metal3', 'dhcp']);
    const result = await handle.result();
    await recordHistory(handle, 'deploy-infrastructure');
    expect(result.components.map((c) => [c.component, c.outcome, c.revision])).toEqual([
      ['multus', 'installed', 1],
      ['metal3', 'installed', 1],
      ['dhcp', 'installed', 1],
    ]);
    expect(result.components.find((c) => c.component === 'metal3')?.workloads?.length).toBe(2);

    // The DHCP server points at the Metal3 release's Ironic; the user's vip is kept.
    const dhcpValues = (await helmJson('get', 'values', RELEASE_NAMES.dhcp, '--namespace', env.namespace)) as {
      proxy: { ironicHttpUrl: string; ironicApiUrl: string };
      networkAttachmentDefinition: { vip: string };
    };
    expect(dhcpValues.proxy).toEqual({
      ironicHttpUrl: `http://metal3-ironic.${env.namespace}.svc:6180`,
      ironicApiUrl: `http://metal3-ironic.${env.namespace}.svc:6385`,
    });
    expect(dhcpValues.networkAttachmentDefinition.vip).toBe('192.168.100.2/24');
    // The user's Multus namespace wins over the provider namespace.
    const multus = await releaseWorkloadsInCluster(env.kubeConfig, RELEASE_NAMES.multus, ['kube-system']);
    expect(multus).toEqual([{ kind: 'DaemonSet', namespace: 'kube-system', name: expect.any(String) as string }]);
  });

  it('changes nothing when run again with the same NodeProvider', async () => {
    const before = await releases();
    const result = await (await startDeployment(env.temporal.client, input, { taskQueue: env.taskQueue })).result();
    expect(result.components.map((c) => [c.component, c.outcome, c.revision])).toEqual([
      ['multus', 'unchanged', 1],
      ['metal3', 'unchanged', 1],
      ['dhcp', 'unchanged', 1],
    ]);
    expect(await releases()).toEqual(before);
  });

  it('leaves a disabled component untouched and upgrades a changed one after its new rollout', async () => {
    const changed: DeployInfrastructureInput = {
      ...input,
      deploy: {
        ...input.deploy,
        metal3: { enabled: true, helmValues: 'ironic:\n  image:\n    tag: release-31.0\n' },
        dhcp: { ...input.deploy.dhcp, enabled: false },
      },
    };
    const handle = await startDeployment(env.temporal.client, changed, { taskQueue: env.taskQueue });
    await playRollouts(handle, ['metal3']);
    const result = await handle.result();
    expect(result.components.map((c) => [c.component, c.outcome, c.revision])).toEqual([
      ['multus', 'unchanged', 1],
      ['metal3', 'upgraded', 2],
      ['dhcp', 'skipped', undefined],
    ]);
    const after = await releases();
    expect(after[RELEASE_NAMES.dhcp]).toEqual({ revision: '1', status: 'deployed' });
    expect(after[RELEASE_NAMES.metal3]).toEqual({ revision: '2', status: 'deployed' });
  });
});
