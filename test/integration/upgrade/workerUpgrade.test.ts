import type { temporal } from '@temporalio/proto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyApiError } from '../../../k8s/apiErrors.js';
import { createBareMetalHostApi } from '../../../k8s/bareMetalHosts.js';
import { createProvisioningWorker } from '../../../worker/provisioningWorker.js';
import type { WorkerVersion } from '../../../worker/workerVersion.js';
import { useMachineStack } from '../../support/machineStack.js';
import { recordHistory } from '../../support/recordHistory.js';

/**
 * Upgrading the provisioning workers from build `a` to build `b` of one Worker Deployment while
 * Machines are Ready, provisioning and releasing: provisions finish on the build that started them,
 * Ready Machines (continued as new, auto-upgrading) serve and release on the current build, the old
 * build drains and is stopped, and every Machine ends as asked.
 */
const stack = useMachineStack({ hosts: 5, worker: false });
const HANG = 'sim.metal3-provider/hang';
const host = (n: number) => `sim-host-00${n}`;

interface Running {
  worker: Worker;
  run: Promise<void>;
  connection: NativeConnection;
}

let deploymentName: string;
const builds = new Map<'a' | 'b', Running>();

async function startBuild(buildId: 'a' | 'b'): Promise<void> {
  const connection = await NativeConnection.connect({ address: stack.env.temporal.address });
  const version: WorkerVersion = { deploymentName, buildId };
  const worker = await createProvisioningWorker({
    connection,
    namespace: stack.env.temporal.namespace,
    kubeConfig: stack.env.kubeConfig,
    taskQueue: stack.env.taskQueue,
    workflowBundlePath: stack.env.workflowBundlePath,
    identity: `build-${buildId}`,
    version,
  });
  builds.set(buildId, { worker, run: worker.run(), connection });
}

async function stopBuild(buildId: 'a' | 'b'): Promise<void> {
  const running = builds.get(buildId);
  if (!running) return;
  builds.delete(buildId);
  running.worker.shutdown();
  await running.run;
  await running.connection.close();
}

/** What an operator does with `temporal worker deployment set-current-version` / `set-ramping-version`. */
async function route(buildId: 'a' | 'b', percentage?: number): Promise<void> {
  const service = stack.env.temporal.connection.workflowService;
  const request = { namespace: stack.env.temporal.namespace, deploymentName, buildId, identity: 'upgrade-test' };
  // A new build is known to the server once its worker has polled.
  await expect
    .poll(
      async () => {
        try {
          if (percentage === undefined) await service.setWorkerDeploymentCurrentVersion(request);
          else await service.setWorkerDeploymentRampingVersion({ ...request, percentage });
          return true;
        } catch {
          return false;
        }
      },
      { timeout: 30_000, interval: 500 },
    )
    .toBe(true);
}

async function routing(): Promise<temporal.api.deployment.v1.IRoutingConfig | null | undefined> {
  const { workerDeploymentInfo } = await stack.env.temporal.connection.workflowService.describeWorkerDeployment({
    namespace: stack.env.temporal.namespace,
    deploymentName,
  });
  return workerDeploymentInfo?.routingConfig;
}

/** Pinned Machine runs still open on a build: the old build may stop once there are none. */
async function pinnedOn(buildId: string): Promise<number> {
  const { count } = await stack.env.temporal.client.workflow.count(
    `TemporalWorkerDeploymentVersion = '${deploymentName}:${buildId}' AND ` +
      `TemporalWorkflowVersioningBehavior = 'Pinned' AND ExecutionStatus = 'Running'`,
  );
  return count;
}

/** Holds the simulated host in `state` (or lets it go on), reading it again after a 409. */
async function hang(name: string, state: string | undefined): Promise<void> {
  const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
  for (let attempt = 0; ; attempt++) {
    const bmh = await hosts.get(name);
    const { [HANG]: _held, ...others } = bmh.metadata.annotations ?? {};
    bmh.metadata.annotations = state === undefined ? others : { ...others, [HANG]: state };
    try {
      await hosts.replace(bmh);
      return;
    } catch (err) {
      if (classifyApiError(err).kind !== 'conflict' || attempt >= 20) throw err;
    }
  }
}

const machine = (name: string) => ({ namespace: stack.env.namespace, name });

/** The build ids of a run's completed workflow tasks, in order. */
async function taskBuilds(name: string, runId?: string): Promise<string[]> {
  const handle = stack.env.temporal.client.workflow.getHandle(`machine/${stack.env.namespace}/${name}`, runId);
  const { events } = await handle.fetchHistory();
  return (events ?? []).flatMap((event) => {
    const completed = event.workflowTaskCompletedEventAttributes;
    if (!completed) return [];
    return [completed.deploymentVersion?.buildId ?? completed.workerVersion?.buildId ?? 'unversioned'];
  });
}

async function historyLength(name: string): Promise<number> {
  const { events } = await stack.client.handle(machine(name)).fetchHistory();
  return events?.length ?? 0;
}

async function provision(name: string, hostNumber: number): Promise<string> {
  const handle = await stack.client.provisionMachine(
    stack.claim(name, { 'metal3.vcluster.com/server-name': host(hostNumber) }),
  );
  return handle.firstExecutionRunId;
}

async function released(name: string): Promise<void> {
  const result = await stack.client.handle(machine(name)).result();
  expect(result.phase).toBe('Released');
}

afterAll(async () => {
  await stopBuild('a');
  await stopBuild('b');
});

describe('upgrading the provisioning workers', () => {
  it('moves Ready Machines to the new build, finishes provisions on the old one, drains it, and ends every Machine as asked', async () => {
    deploymentName = `metal3-${stack.env.namespace}`;
    const hosts = createBareMetalHostApi(stack.env.kubeConfig, stack.env.namespace);
    await expect
      .poll(
        async () => (await hosts.list()).items.filter((h) => h.status?.provisioning?.state === 'available').length,
        {
          timeout: 60_000,
        },
      )
      .toBe(5);
    await startBuild('a');
    await route('a');
    // On build a: two Machines Ready, one held in provisioning, one held in releasing.
    const readyRun = await provision('ready', 1);
    const keptRun = await provision('kept', 2);
    await hang(host(3), 'provisioning');
    const provisioningRun = await provision('provisioning', 3);
    await provision('releasing', 4);
    await stack.waitForPhase('ready', 'Ready', 90_000);
    await stack.waitForPhase('kept', 'Ready', 90_000);
    await stack.waitForPhase('releasing', 'Ready', 90_000);
    await stack.waitForPhase('provisioning', 'Provisioning', 90_000);
    await hang(host(4), 'deprovisioning');
    await stack.client.releaseMachine(machine('releasing'));
    await stack.waitForPhase('releasing', 'Releasing');

    // A Ready Machine went on in a new run that holds only what it needs: a handful of events.
    const kept = await stack.client.handle(machine('kept')).describe();
    expect(kept.runId).not.toBe(keptRun);
    expect(await historyLength('kept')).toBeLessThanOrEqual(10);
    expect(await historyLength('ready')).toBeLessThanOrEqual(10);
    // ... on the same Machine: one listing, Ready, its host and the steps that provisioned it.
    const listed = async () =>
      (await stack.client.listMachines())
        .filter((m) => m.machine.startsWith(`${stack.env.namespace}/`))
        .map((m) => `${m.machine} ${m.phase ?? ''}`)
        .sort();
    await expect
      .poll(listed, { timeout: 10_000 })
      .toEqual(
        ['kept Ready', 'provisioning Provisioning', 'ready Ready', 'releasing Releasing'].map(
          (m) => `${stack.env.namespace}/${m}`,
        ),
      );
    const keptStatus = await stack.client.getMachineStatus(machine('kept'));
    expect(keptStatus).toMatchObject({ phase: 'Ready', host: host(2) });
    expect(keptStatus?.steps.map((s) => s.step)).toEqual(expect.arrayContaining(['resolve', 'awaitProvisioned']));

    // Build b: ramped first, then current.
    await startBuild('b');
    await route('b', 50);
    expect(await routing()).toMatchObject({
      currentDeploymentVersion: { buildId: 'a' },
      rampingDeploymentVersion: { buildId: 'b' },
      rampingVersionPercentage: 50,
    });
    await route('b');
    expect((await routing())?.currentDeploymentVersion?.buildId).toBe('b');
    // The held provision is the one run pinned to a: a cannot be stopped yet.
    await expect.poll(() => pinnedOn('a'), { timeout: 30_000, interval: 1000 }).toBe(1);

    // A Machine started now provisions on b from its first task.
    const newRun = await provision('new', 5);
    await stack.waitForPhase('new', 'Ready', 90_000);

    // The held provision finishes on a, where it started; the held release finishes too.
    await hang(host(3), undefined);
    await hang(host(4), undefined);
    await stack.waitForPhase('provisioning', 'Ready', 90_000);
    await released('releasing');
    expect(new Set(await taskBuilds('provisioning', provisioningRun))).toEqual(new Set(['a']));

    // Build a drains: no pinned run is left on it, so it is stopped.
    await expect.poll(() => pinnedOn('a'), { timeout: 60_000, interval: 1000 }).toBe(0);
    await stopBuild('a');

    // Ready Machines serve and release on b.
    for (const name of ['ready', 'kept', 'provisioning', 'new']) {
      await stack.client.releaseMachine(machine(name));
      await released(name);
      expect((await taskBuilds(name)).at(-1)).toBe('b');
    }
    // The two runs of a Machine, for the replay test (METAL3_RECORD_HISTORIES=1).
    const readyHandle = stack.client.handle(machine('ready'));
    await recordHistory(readyHandle, 'provision-then-continue-ready', readyRun);
    await recordHistory(readyHandle, 'ready-run-released');
    expect(new Set(await taskBuilds('new', newRun))).toEqual(new Set(['b']));
    const finalStatus = await stack.client.getMachineStatus(machine('kept'));
    const steps = finalStatus?.steps.map((s) => s.step) ?? [];
    expect(steps.indexOf('awaitProvisioned')).toBeGreaterThanOrEqual(0);
    expect(steps.indexOf('releaseHost')).toBeGreaterThan(steps.indexOf('awaitProvisioned'));

    // Every host is back, free.
    await expect
      .poll(
        async () =>
          (await hosts.list()).items
            .map((h) => `${h.metadata.name} ${h.status?.provisioning?.state ?? ''} ${h.spec.consumerRef?.name ?? '-'}`)
            .sort(),
        { timeout: 60_000 },
      )
      .toEqual([1, 2, 3, 4, 5].map((n) => `${host(n)} available -`));
  }, 600_000);
});
