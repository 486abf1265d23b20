import type { AppsV1Api } from '../../k8s/kubernetesClient.js';
import { ApplicationFailure } from '@temporalio/common';
import { classifyApiError } from '../../k8s/apiErrors.js';
import { InfraFailureType, type Workload } from '../../contracts/infraContract.js';
import { toApplicationFailure } from '../applicationFailure.js';
import { daemonSetReadiness, deploymentReadiness, type Readiness } from './releaseWorkloads.js';
import type { AwaitRolloutInput } from '../../contracts/infraContract.js';

/** What an activity attempt needs from its context: heartbeats, a cancellable sleep. */
export interface PollContext {
  heartbeat(details: unknown): void;
  sleep(ms: number): Promise<void>;
}

async function readiness(apps: AppsV1Api, workload: Workload): Promise<Readiness> {
  try {
    if (workload.kind === 'Deployment')
      return deploymentReadiness(
        await apps.readNamespacedDeployment({ name: workload.name, namespace: workload.namespace }),
      );
    return daemonSetReadiness(
      await apps.readNamespacedDaemonSet({ name: workload.name, namespace: workload.namespace }),
    );
  } catch (error) {
    const classified = classifyApiError(error);
    // Deleted by hand or not created yet: waiting is right, helm's next run recreates it.
    if (classified.kind === 'notFound') return { ready: false, detail: 'not found' };
    throw toApplicationFailure(error, `reading ${workload.kind} ${workload.namespace}/${workload.name}`, 'infra');
  }
}

const describe = (workload: Workload, detail: string): string =>
  `${workload.kind} ${workload.namespace}/${workload.name} (${detail})`;

/**
 * Polls the release's Deployments and DaemonSets until every one reports ready, heartbeating what it
 * still waits for. Past the deadline it fails with RolloutTimeout naming the workloads not ready.
 */
export async function awaitRollout(apps: AppsV1Api, input: AwaitRolloutInput, ctx: PollContext): Promise<Workload[]> {
  for (;;) {
    const waiting: string[] = [];
    for (const workload of input.workloads) {
      const state = await readiness(apps, workload);
      if (!state.ready) waiting.push(describe(workload, state.detail));
    }
    if (waiting.length === 0) return input.workloads;
    ctx.heartbeat({ waitingFor: waiting });
    const left = input.deadlineAt - Date.now();
    if (left <= 0) {
      throw ApplicationFailure.create({
        type: InfraFailureType.RolloutTimeout,
        message: `release ${input.release} is not ready: ${waiting.join(', ')}; check the pods' events and logs, then deploy again`,
        nonRetryable: true,
      });
    }
    await ctx.sleep(Math.min(input.pollMs, left));
  }
}
